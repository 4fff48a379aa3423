/**
 * `source: { type: kafka }`'s schema (src/connector/source-descriptor.ts): Amazon MSK (with clusterArn) or
 * self-managed Kafka; which fields go together is checked in src/config/rules/kafka-rules.ts and
 * schema-registry-rules.ts. The resolver is ./resolve-config.ts.
 */
import * as z from 'zod';
import {
  CONSUMER_GROUP_ID_PATTERN,
  KAFKA_BOOTSTRAP_SERVERS,
  MSK_CLUSTER_ARN,
  SECRETS_MANAGER_SECRET_ARN,
  acceptsInterpolation,
  expected,
  matching,
  oneOf,
  optional,
  optionalBoolean,
  required,
  strictMapping,
  text,
} from '../../src/connector/config-kit.js';

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
const bootstrapServer = matching(HOST_PORT, 'host:port').refine((value) => {
  const port = Number(HOST_PORT.exec(value)?.[1]);
  return port >= 1 && port <= 65_535;
}, 'port must be between 1 and 65535');
/** Kafka topic names: 1–249 of `[a-zA-Z0-9._-]` (Kafka's Topic.validate). */
const topicName = matching(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name');

/**
 * A list of `host:port`, 1–10 entries [API-SMES]. A comma-separated string is split, so the
 * list can come from one environment variable: `bootstrapServers: ${KAFKA_BROKERS}`.
 */
const bootstrapServersSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value),
  z
    .array(bootstrapServer, { error: expected('a list of host:port') })
    .min(KAFKA_BOOTSTRAP_SERVERS.min, { error: 'must list at least 1 server' })
    .max(KAFKA_BOOTSTRAP_SERVERS.max, {
      error: (issue) => `must list between 1 and 10 servers (got ${Array.isArray(issue.input) ? issue.input.length : '?'})`,
    }),
);
acceptsInterpolation.add(bootstrapServersSchema);
const bootstrapServers = bootstrapServersSchema as unknown as z.ZodType<string[], string[] | string>;

/** `sasl:` of a Kafka source; PLAIN/SCRAM need username and password (rules/kafka-rules.ts). */
export const kafkaSaslShape = {
  mechanism: required(oneOf(['plain', 'scram-sha-256', 'scram-sha-512', 'aws-iam'])),
  username: optional(text()),
  password: optional(text(), { description: 'Use ${ENV_VAR}; never commit secrets' }),
  secretArn: optional(matching(SECRETS_MANAGER_SECRET_ARN, 'a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)'), {
    description: 'PLAIN / SCRAM: a Secrets Manager secret holding username and password (AWS BASIC_AUTH / SASL_SCRAM_*_AUTH), instead of username and password',
  }),
};

/**
 * `ssl:` as a mapping: TLS with a private CA, a client certificate (mutual TLS) and/or without verification of the
 * broker certificate. Each PEM value is a file (relative to the config file) or the PEM text itself (a value starting
 * with `-----BEGIN`, e.g. `${KAFKA_CLIENT_KEY}`).
 */
export const kafkaSslShape = {
  caCertificate: optional(text(), {
    description: "CA that signed the brokers' certificates (AWS SERVER_ROOT_CA_CERTIFICATE): a PEM file relative to the config file, or PEM text",
  }),
  rejectUnauthorized: optionalBoolean({ description: 'Verify the brokers\' certificates', default: true }),
  certificate: optional(text(), {
    description: 'Client certificate for mutual TLS (AWS CLIENT_CERTIFICATE_TLS_AUTH): a PEM file or PEM text; needs key',
  }),
  key: optional(text(), { description: "The client certificate's private key: a PEM file or PEM text (use ${ENV_VAR}); may be encrypted (keyPassword)" }),
  keyPassword: optional(text(), { description: 'Password of an encrypted key (use ${ENV_VAR}; never commit secrets)' }),
};

const kafkaSslObject = strictMapping(kafkaSslShape);

/**
 * `ssl: true | false` (system CAs) or `ssl: { caCertificate, rejectUnauthorized }` (implies TLS). A mapping with a
 * bad field reports that field (`caCertificate: expected a string …`) instead of zod's "no form matched".
 */
const kafkaSsl = z.union([optionalBoolean().unwrap(), kafkaSslObject], {
  error: (issue) => {
    const input: unknown = issue.input;
    if (typeof input === 'object' && input !== null && !Array.isArray(input) && issue.code === 'invalid_union') {
      const nested = issue.errors.at(-1)?.[0];
      if (nested !== undefined) return nested.path.length === 0 ? nested.message : `${nested.path.join('.')}: ${nested.message}`;
    }
    return expected('true, false or a mapping (caCertificate, rejectUnauthorized, certificate, key, keyPassword)')(issue);
  },
});

/**
 * `schemaRegistryConfig` of a Kafka source, as AWS names it (API_KafkaSchemaRegistryConfig): a Confluent-compatible
 * registry URL or an AWS Glue registry ARN, the record format the function gets, which attributes are validated, and
 * the registry's credentials (Secrets Manager secrets). Combinations are checked in rules/schema-registry-rules.ts.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html
 */
export const schemaRegistryShape = {
  schemaRegistryURI: required(text().min(1).max(10_000, { error: 'must be at most 10000 characters (API_KafkaSchemaRegistryConfig)' }), {
    description: 'The registry: a Confluent-compatible URL (http(s)://…) or an AWS Glue registry ARN (arn:aws:glue:<region>:<account>:registry/<name>)',
  }),
  eventRecordFormat: optional(oneOf(['JSON', 'SOURCE']), {
    description: 'JSON: the function gets validated attributes as JSON; SOURCE: in their original format without the schema header',
    default: 'JSON',
  }),
  schemaValidationConfigs: required(
    z
      .array(strictMapping({ attribute: required(oneOf(['KEY', 'VALUE'])) }), { error: expected('a list of { attribute: KEY | VALUE }') })
      .min(1, { error: 'must list at least one attribute (KEY and/or VALUE)' })
      .max(2, { error: 'must list at most 2 attributes (KEY, VALUE)' }),
    { description: 'Which record attributes are validated (and, with JSON, deserialised): [{ attribute: KEY }, { attribute: VALUE }]' },
  ),
  accessConfigs: optional(
    z
      .array(
        strictMapping({
          type: required(oneOf(['BASIC_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH', 'SERVER_ROOT_CA_CERTIFICATE'])),
          uri: required(matching(SECRETS_MANAGER_SECRET_ARN, 'a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)')),
        }),
        { error: expected('a list of { type, uri }') },
      )
      .max(2, { error: 'must list at most 2 access configurations (API_KafkaSchemaRegistryConfig)' }),
    { description: 'Registry credentials in Secrets Manager: BASIC_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE' },
  ),
};

/** `type: kafka`: Amazon MSK (with clusterArn) or self-managed Kafka. */
export const kafkaSourceSchema = strictMapping({
  type: z.literal('kafka'),
  bootstrapServers: required(bootstrapServers, { description: '1–10 host:port (or one comma-separated string)' }),
  // AWS's Topics takes exactly one topic [API-CESM, MSK-PARAM]; Tributary accepts several,
  // consumed by one consumer group, as kafkajs allows.
  topics: required(z.array(topicName, { error: expected('a list of topic names') }).min(1, { error: 'must list at least 1 topic' }), {
    description: 'Topics to consume (AWS allows exactly one; Tributary allows several)',
  }),
  consumerGroupId: optional(matching(CONSUMER_GROUP_ID_PATTERN, '1–200 characters of [a-zA-Z0-9-/*:_+=.@]'), {
    description: 'Consumer group id; defaults to tributary-<pipeline name>',
  }),
  clusterArn: optional(matching(MSK_CLUSTER_ARN, 'an MSK cluster ARN'), {
    description: 'MSK cluster ARN: events then look like aws:kafka (Amazon MSK) events',
  }),
  ssl: optional(kafkaSsl, {
    description: 'Connect with TLS: true/false (system CAs), or { caCertificate, rejectUnauthorized, certificate, key, keyPassword } for a private CA and/or a client certificate',
    default: false,
  }),
  sasl: optional(strictMapping(kafkaSaslShape)),
  schemaRegistryConfig: optional(strictMapping(schemaRegistryShape), {
    description: 'Decode and validate Avro, Protobuf or JSON Schema records with a schema registry (AWS SchemaRegistryConfig)',
  }),
});
