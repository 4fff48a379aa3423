/** `source.schemaRegistryConfig` of a Kafka source: AWS's names, ranges and combinations, with file:line:col. */
import { describe, expect, it } from 'vitest';
import { DYNAMODB, KAFKA, expectIssue, issuesOf, onePipeline, parse } from './helpers.ts';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf';
const pipeline = (registry: string): string => onePipeline([...KAFKA, `schemaRegistryConfig: ${registry}`], ['startingPosition: LATEST']);
const AT = 'pipelines[0].source.schemaRegistryConfig';

describe('schemaRegistryConfig', () => {
  it('resolves AWS fields: a Confluent URL, JSON by default, the validated attributes, the access configs', () => {
    const source = parse(pipeline(`{ schemaRegistryURI: 'https://registry.internal/apis/ccompat/v7', schemaValidationConfigs: [{ attribute: VALUE }], accessConfigs: [{ type: BASIC_AUTH, uri: '${SECRET}' }] }`)).pipelines[0]?.source;
    expect(source).toMatchObject({
      schemaRegistry: { kind: 'confluent', uri: 'https://registry.internal/apis/ccompat/v7', eventRecordFormat: 'JSON', validateKey: false, validateValue: true, accessConfigs: [{ type: 'BASIC_AUTH', uri: SECRET }] },
    });
    const glue = parse(pipeline("{ schemaRegistryURI: 'arn:aws:glue:eu-west-1:123456789012:registry/orders', eventRecordFormat: SOURCE, schemaValidationConfigs: [{ attribute: KEY }, { attribute: VALUE }] }")).pipelines[0]?.source;
    expect(glue).toMatchObject({ schemaRegistry: { kind: 'glue', eventRecordFormat: 'SOURCE', validateKey: true, validateValue: true, accessConfigs: [] } });
  });

  it('explains the rules where they are broken', () => {
    const cases: [string, string, string, string][] = [
      ["{ schemaRegistryURI: 'ftp://x', schemaValidationConfigs: [{ attribute: VALUE }] }", `${AT}.schemaRegistryURI`, 'must be a Confluent-compatible registry URL (http:// or https://) or an AWS Glue registry ARN', 'schemaRegistryURI:'],
      ["{ schemaRegistryURI: 'http://r', schemaValidationConfigs: [] }", `${AT}.schemaValidationConfigs`, 'must list at least one attribute (KEY and/or VALUE)', 'schemaValidationConfigs:'],
      ["{ schemaRegistryURI: 'http://r', schemaValidationConfigs: [{ attribute: VALUE }, { attribute: VALUE }] }", `${AT}.schemaValidationConfigs[1].attribute`, 'lists VALUE twice', 'attribute: VALUE }]'],
      ["{ schemaRegistryURI: 'http://r', schemaValidationConfigs: [{ attribute: BODY }] }", `${AT}.schemaValidationConfigs[0].attribute`, 'must be one of KEY, VALUE (got "BODY")', 'attribute:'],
      ["{ schemaRegistryURI: 'http://r', eventRecordFormat: AVRO, schemaValidationConfigs: [{ attribute: KEY }] }", `${AT}.eventRecordFormat`, 'must be one of JSON, SOURCE (got "AVRO")', 'eventRecordFormat:'],
      [`{ schemaRegistryURI: 'http://r', schemaValidationConfigs: [{ attribute: KEY }], accessConfigs: [{ type: SERVER_ROOT_CA_CERTIFICATE, uri: '${SECRET}' }] }`, `${AT}.accessConfigs[0].type`, 'SERVER_ROOT_CA_CERTIFICATE needs an https:// schemaRegistryURI', 'type: SERVER_ROOT'],
      [`{ schemaRegistryURI: 'https://r', schemaValidationConfigs: [{ attribute: KEY }], accessConfigs: [{ type: BASIC_AUTH, uri: '${SECRET}' }, { type: CLIENT_CERTIFICATE_TLS_AUTH, uri: '${SECRET}' }] }`, `${AT}.accessConfigs`, 'must not combine BASIC_AUTH and CLIENT_CERTIFICATE_TLS_AUTH', 'accessConfigs:'],
      [`{ schemaRegistryURI: 'arn:aws:glue:eu-west-1:123456789012:registry/r', schemaValidationConfigs: [{ attribute: KEY }], accessConfigs: [{ type: BASIC_AUTH, uri: '${SECRET}' }] }`, `${AT}.accessConfigs[0].type`, 'is not used with an AWS Glue registry', 'type: BASIC_AUTH'],
      ["{ schemaRegistryURI: 'https://r', schemaValidationConfigs: [{ attribute: KEY }], accessConfigs: [{ type: BASIC_AUTH, uri: 'my-secret' }] }", `${AT}.accessConfigs[0].uri`, 'must be a Secrets Manager secret ARN', 'uri:'],
    ];
    for (const [registry, path, message, at] of cases) {
      const text = pipeline(registry);
      expectIssue(text, issuesOf(text), path, message, at);
    }
  });

  it('is a Kafka field: other sources refuse it by name', () => {
    const text = onePipeline([...DYNAMODB, "schemaRegistryConfig: { schemaRegistryURI: 'http://r', schemaValidationConfigs: [{ attribute: KEY }] }"], ['startingPosition: LATEST']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.schemaRegistryConfig', 'is only for kafka sources', 'schemaRegistryConfig:');
    const ssl = onePipeline([...DYNAMODB, 'ssl: { certificate: ./c.pem, key: ./c.key }'], ['startingPosition: LATEST']);
    expectIssue(ssl, issuesOf(ssl), 'pipelines[0].source.ssl', 'is only for kafka sources', 'ssl:');
    const endpoint = onePipeline([...KAFKA, 'endpoint: http://x'], ['startingPosition: LATEST']);
    expectIssue(endpoint, issuesOf(endpoint), 'pipelines[0].source.endpoint', 'is only for sqs, kinesis, dynamodb-streams sources', 'endpoint:');
  });
});
