/** Mapping rules one by one, on small templates. */
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { envName, envPrefix, interpolation, literal } from '../../../src/import/env-names.js';
import { importTemplates, type ImportResult } from '../../../src/import/import-templates.js';
import { originOf, renderYaml, scalar } from '../../../src/import/out-yaml.js';
import { samFunctionProperties } from '../../../src/import/sam-functions.js';
import { baseImage } from '../../../src/import/function-code.js';
import { stackNameFromFile } from '../../../src/import/stack.js';
import { scopeOf } from './helpers.js';

type Json = Record<string, unknown>;
type Ok = Extract<ImportResult, { ok: true }>;

function importText(text: string, parameters: Record<string, string> = {}): Ok {
  const result = importTemplates({
    templates: [{ text, file: 't.yaml', dir: '/srv/app', stackName: 'st' }],
    parameters: new Map(Object.entries(parameters)),
    region: 'us-east-1',
    accountId: '000000000000',
    outPath: '/srv/app/out/pipelines.yaml',
    outLabel: 'pipelines.yaml',
    env: {},
    nowMs: 1_700_000_000_000,
  });
  if (!result.ok) expect.fail(JSON.stringify(result.issues));
  return result;
}
const pipelines = (result: Ok): Json[] => (parseYaml(result.text) as { pipelines: Json[] }).pipelines;
const functions = (result: Ok): Json => (parseYaml(result.text) as { functions: Json }).functions;
const messages = (result: Ok, kind?: string): string[] => result.notes.filter((n) => kind === undefined || n.kind === kind).map((n) => n.message);

const NODE_FUNCTION = `
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Runtime: nodejs22.x, Handler: app.handler, Code: ./code }`;

describe('mapping rules', () => {
  it('every stream setting by its AWS name', () => {
    const result = importText(`Resources:${NODE_FUNCTION}
  S: { Type: AWS::Kinesis::Stream, Properties: { Name: s } }
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt S.Arn
      FunctionName: !Ref Fn
      Enabled: false
      StartingPosition: AT_TIMESTAMP
      StartingPositionTimestamp: 1690000000
      BatchSize: "250"
      MaximumBatchingWindowInSeconds: 2
      ParallelizationFactor: 4
      BisectBatchOnFunctionError: true
      MaximumRetryAttempts: -1
      MaximumRecordAgeInSeconds: 7200
      TumblingWindowInSeconds: 120
      FunctionResponseTypes: [ReportBatchItemFailures]
      DestinationConfig: { OnFailure: { Destination: "kafka://host:9092/failed" } }
`);
    expect(result.outputIssues).toEqual([]);
    const { name, function: fn, source, ...settings } = pipelines(result)[0] ?? {};
    expect([name, fn, source]).toEqual(['M', 'Fn', { type: 'kinesis', streamName: 's', region: 'us-east-1', endpoint: '${KINESIS_ENDPOINT:-}' }]);
    expect(settings).toEqual({
      enabled: false,
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 1690000000,
      batchSize: 250,
      maximumBatchingWindowInSeconds: 2,
      parallelizationFactor: 4,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: 7200,
      tumblingWindowInSeconds: 120,
      functionResponseTypes: ['ReportBatchItemFailures'],
      destinationConfig: { onFailure: { destination: 'kafka://host:9092/failed' } },
    });
    expect(result.notes).toEqual([]);
  });

  it('template strings with ${ stay literal in the output (escaped as $${)', () => {
    const result = importText(`Resources:${NODE_FUNCTION.replace('Code: ./code }', 'Code: ./code, Environment: { Variables: { GREETING: "hello ${name}" } } }')}
  Q: { Type: AWS::SQS::Queue, Properties: { QueueName: q } }
  M: { Type: AWS::Lambda::EventSourceMapping, Properties: { EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref Fn, FilterCriteria: { Filters: [{ Pattern: '{"body": {"t": ["\${x}"]}}' }] } } }
`);
    expect(result.text).toContain('GREETING: hello $${name}');
    expect(result.outputIssues).toEqual([]);
    expect(functions(result)['Fn']).toMatchObject({ environment: { GREETING: 'hello $${name}' } });
  });

  it('a function used by two mappings is written once; a shared self-managed cluster gets one prefix, another cluster the next', () => {
    const esm = (id: string, servers: string, topic: string): string =>
      `  ${id}: { Type: AWS::Lambda::EventSourceMapping, Properties: { FunctionName: !Ref Fn, Topics: [${topic}], StartingPosition: LATEST, SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: [${servers}] } } } }`;
    const result = importText(`Resources:${NODE_FUNCTION}\n${esm('A', 'a:9092', 'x')}\n${esm('B', 'a:9092', 'y')}\n${esm('C', 'c:9092', 'z')}\n`);
    expect(Object.keys(functions(result))).toEqual(['Fn']);
    expect(pipelines(result).map((p) => (p['source'] as Json)['bootstrapServers'])).toEqual(['${KAFKA_BROKERS:-a:9092}', '${KAFKA_BROKERS:-a:9092}', '${KAFKA_2_BROKERS:-c:9092}']);
    expect(pipelines(result).map((p) => (p['source'] as Json)['ssl'])).toEqual(['${KAFKA_SSL:-false}', '${KAFKA_SSL:-false}', '${KAFKA_2_SSL:-false}']);
  });

  it('Kafka access configurations: CA certificate, mTLS refused, Queue mode and schema registries not imported; MSK IAM', () => {
    const result = importText(`Resources:${NODE_FUNCTION}
  Iam:
    Type: AWS::MSK::Cluster
    Properties: { ClusterName: iam, ClientAuthentication: { Sasl: { Iam: { Enabled: true } } } }
  A:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      StartingPosition: LATEST
      Topics: [t]
      SelfManagedEventSource: { Endpoints: { KafkaBootstrapServers: ["k:9093"] } }
      SelfManagedKafkaEventSourceConfig: { ConsumptionMode: Queue, SchemaRegistryConfig: { SchemaRegistryURI: "https://registry" } }
      SourceAccessConfigurations:
        - { Type: SERVER_ROOT_CA_CERTIFICATE, URI: "arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-ca-AbCdEf" }
        - { Type: CLIENT_CERTIFICATE_TLS_AUTH, URI: "arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-client-AbCdEf" }
  B:
    Type: AWS::Lambda::EventSourceMapping
    Properties: { FunctionName: !Ref Fn, EventSourceArn: !GetAtt Iam.Arn, StartingPosition: LATEST, Topics: [t] }
  C:
    Type: AWS::Lambda::EventSourceMapping
    Properties: { FunctionName: !Ref Fn, EventSourceArn: "arn:aws:kafka:us-east-1:123456789012:cluster/other/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5", StartingPosition: LATEST, Topics: [t], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: g } }
`);
    const [a, b, c] = pipelines(result).map((p) => p['source'] as Json);
    expect(a?.['ssl']).toEqual({ caCertificate: '${KAFKA_CA_CA_FILE:-./kafka_ca-ca.pem}' });
    expect(b).toMatchObject({ ssl: '${IAM_SSL:-true}', sasl: { mechanism: 'aws-iam' }, clusterArn: expect.stringContaining('${IAM_CLUSTER_ARN:-arn:aws:kafka:us-east-1:000000000000:cluster/iam/') });
    // A literal ARN is kept as it is (no generated part); without access configurations, IAM is a note.
    expect(c).toMatchObject({ clusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/other/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5', consumerGroupId: 'g', ssl: '${OTHER_SSL:-true}' });
    expect(c).not.toHaveProperty('sasl');
    const unmapped = messages(result, 'unmapped');
    expect(unmapped).toEqual(expect.arrayContaining([
      expect.stringContaining('CLIENT_CERTIFICATE_TLS_AUTH: Kafka client certificates (mTLS) are not supported'),
      expect.stringContaining('ConsumptionMode Queue (Kafka share groups) is not supported'),
      expect.stringContaining('SchemaRegistryConfig: schema registry decoding is not supported'),
    ]));
    expect(messages(result, 'action')).toEqual(expect.arrayContaining([
      expect.stringContaining('save the certificate of Secrets Manager secret'),
      expect.stringContaining('add sasl: { mechanism: aws-iam } in that case'),
      expect.stringContaining('A: no ConsumerGroupId: on AWS the group is the mapping\'s UUID'),
      expect.stringContaining('B: no ConsumerGroupId: on AWS the group is the mapping\'s UUID'),
    ]));
  });

  it('enhanced fan-out consumers read their stream; aliases run their function; a FilterCriteria mapping becomes JSON text', () => {
    const result = importText(`Resources:${NODE_FUNCTION}
  S: { Type: AWS::Kinesis::Stream, Properties: { Name: s } }
  Consumer: { Type: AWS::Kinesis::StreamConsumer, Properties: { ConsumerName: c, StreamARN: !GetAtt S.Arn } }
  Live: { Type: AWS::Lambda::Alias, Properties: { FunctionName: !Ref Fn, FunctionVersion: "1", Name: live } }
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !Ref Consumer
      FunctionName: !Ref Live
      StartingPosition: TRIM_HORIZON
      FilterCriteria: { Filters: [{ Pattern: { data: { kind: [click] } } }] }
  L:
    Type: AWS::Lambda::EventSourceMapping
    Properties: { EventSourceArn: "arn:aws:kinesis:us-east-1:123456789012:stream/other/consumer/c:1700000000", FunctionName: !Ref Fn, StartingPosition: LATEST }
`);
    const [m, l] = pipelines(result);
    expect(m).toMatchObject({ function: 'Fn', source: { type: 'kinesis', streamName: 's' }, filterCriteria: { filters: [{ pattern: '{"data":{"kind":["click"]}}' }] } });
    expect(l?.['source']).toMatchObject({ streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/other' });
    const warnings = messages(result, 'warning');
    expect(warnings.filter((w) => w.includes('enhanced fan-out'))).toHaveLength(2);
    expect(warnings.some((w) => w.includes('FunctionName is AWS::Lambda::Alias Live'))).toBe(true);
    expect(warnings.some((w) => w.includes('a Pattern is a mapping, not a JSON string'))).toBe(true);
  });

  it('code in S3, a table without a stream, an unknown --parameter, duplicate pipeline names and a false resource condition', () => {
    const result = importText(`Parameters: { P: { Type: String, Default: x } }
Conditions: { No: !Equals [a, b] }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: s3://bucket/code.zip
      Events:
        E: { Type: DynamoDB, Properties: { Stream: !GetAtt T.StreamArn, StartingPosition: LATEST } }
  FnE: { Type: AWS::Lambda::EventSourceMapping, Properties: { FunctionName: !Ref Fn, EventSourceArn: !GetAtt T.StreamArn, StartingPosition: LATEST } }
  Off: { Type: AWS::Lambda::EventSourceMapping, Condition: No, Properties: { FunctionName: !Ref Fn, EventSourceArn: !GetAtt T.StreamArn } }
  T: { Type: AWS::DynamoDB::Table, Properties: { TableName: t } }
`, { Nope: '1' });
    expect(pipelines(result).map((p) => p['name'])).toEqual(['FnE', 'FnE-2']);
    expect(functions(result)['Fn']).toEqual({ type: 'module', handler: './functions/Fn/index.handler' });
    expect(messages(result, 'action')).toEqual(expect.arrayContaining([
      'function Fn: its code is in s3://bucket/code.zip; unpack it into ./functions/Fn',
      expect.stringContaining('table T has no StreamSpecification'),
    ]));
    expect(messages(result, 'warning')).toContain('--parameter Nope: the template declares no such parameter');
    expect(messages(result, 'unmapped')).toContain('Off: not created by CloudFormation here: its Condition No is false');
  });

  it('SAM Globals: mappings merge (the function wins), lists append, values are the function\'s, paths say where each came from', () => {
    const scope = scopeOf(`Globals:
  Function:
    Timeout: 3
    Layers: [a]
    Environment: { Variables: { A: "1", B: "2" } }
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 9
      Layers: [b]
      Environment: { Variables: { B: "3", C: "4" } }
`);
    const merged = samFunctionProperties(scope, scope.template.resources.get('F') ?? expect.fail('no F'));
    expect(merged.get('Timeout')).toEqual({ value: 9, path: ['Resources', 'F', 'Properties', 'Timeout'] });
    expect(merged.get('Layers')?.value).toEqual(['a', 'b']);
    expect(merged.get('Environment')?.value).toEqual({ Variables: { A: '1', B: '3', C: '4' } });
    const inherited = samFunctionProperties(scopeOf('Globals: { Function: { Runtime: nodejs20.x } }\nResources: { F: { Type: AWS::Serverless::Function } }\n'), { id: 'F', type: 'AWS::Serverless::Function', properties: {}, condition: null, metadata: {} });
    expect(inherited.get('Runtime')).toEqual({ value: 'nodejs20.x', path: ['Globals', 'Function', 'Runtime'] });
  });
});

describe('output helpers', () => {
  it('environment names from logical ids (CDK hashes dropped), interpolation and literals', () => {
    expect(envPrefix('OrdersQueue')).toBe('ORDERS_QUEUE');
    expect(envPrefix('MyQueueE6CA6235')).toBe('MY_QUEUE');
    expect(envPrefix('SQSQueue')).toBe('SQS_QUEUE');
    expect(envPrefix('order-events')).toBe('ORDER_EVENTS');
    expect(envPrefix('1st')).toBe('_1ST');
    expect(envName('OrdersQueue', 'QUEUE', 'ARN')).toBe('ORDERS_QUEUE_ARN');
    expect(envName('Dlq', 'QUEUE', 'URL')).toBe('DLQ_QUEUE_URL');
    expect(interpolation('A', '')).toBe('${A:-}');
    expect(interpolation('A', null)).toBe('${A}');
    expect(literal('a ${b} $c')).toBe('a $${b} $c');
    expect(stackNameFromFile('MyStack.template.json')).toBe('MyStack');
    expect(stackNameFromFile('9 lives.yaml')).toBe('lives');
    expect(baseImage('python3.12')).toBe('public.ecr.aws/lambda/python:3.12');
    expect(baseImage('provided.al2023')).toBe('public.ecr.aws/lambda/provided:al2023');
    expect(baseImage('java21')).toBe('public.ecr.aws/lambda/java:21');
  });

  it('renders comments above keys and at line ends, and finds the origin of a field or of its nearest parent', () => {
    const at = { file: 't.yaml', line: 3, column: 5 };
    const rendered = renderYaml(['Header'], {
      kind: 'map',
      entries: [{ key: 'pipelines', value: { kind: 'list', items: [{ kind: 'map', before: ['one'], origin: at, entries: [{ key: 'batchSize', value: scalar(10), comment: 'BatchSize', origin: { ...at, line: 4 } }] }] } }],
    });
    expect(rendered.text).toBe('# Header\n\npipelines:\n  # one\n  - batchSize: 10 # BatchSize\n');
    expect(originOf(rendered.origins, 'pipelines[0].batchSize')).toEqual({ ...at, line: 4 });
    expect(originOf(rendered.origins, 'pipelines[0].source.type')).toEqual(at);
    expect(originOf(rendered.origins, 'server.port')).toBeUndefined();
  });
});
