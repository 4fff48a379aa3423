import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the integration tests find the real services, and the fake credentials that go with them.
//
// Every value has a fixed default on 127.0.0.1 and can be overridden by an environment variable.
// The harness (test/services/harness.ts) starts each service on the port named here, and the vitest
// global setup exports these variables so test workers see the same values. Tests import
// readEndpoints() from this file; it has no dependency on the harness.

export type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables read by readEndpoints(). */
export const ENDPOINT_ENV = {
  /** Comma-separated host:port list of the Kafka PLAINTEXT listener(s). */
  kafkaBrokers: 'TRIBUTARY_TEST_KAFKA_BROKERS',
  /** Port of the KRaft CONTROLLER listener of the test broker (never given to clients). */
  kafkaControllerPort: 'TRIBUTARY_TEST_KAFKA_CONTROLLER_PORT',
  /** Comma-separated host:port list of the Kafka SASL_PLAINTEXT listener(s) (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). */
  kafkaSaslBrokers: 'TRIBUTARY_TEST_KAFKA_SASL_BROKERS',
  /** Comma-separated host:port list of the Kafka SSL listener(s) (server certificate signed by a private test CA). */
  kafkaTlsBrokers: 'TRIBUTARY_TEST_KAFKA_TLS_BROKERS',
  /** Path of the PEM file of the test CA that signed the SSL listener's certificate (written by the harness). */
  kafkaTlsCa: 'TRIBUTARY_TEST_KAFKA_TLS_CA',
  /** ElasticMQ (SQS API) base URL. */
  sqs: 'TRIBUTARY_TEST_SQS_ENDPOINT',
  /** DynamoDB Local base URL; it serves the DynamoDB Streams API on the same URL. */
  dynamodb: 'TRIBUTARY_TEST_DYNAMODB_ENDPOINT',
  /** kinesis-local plain-HTTP base URL. */
  kinesis: 'TRIBUTARY_TEST_KINESIS_ENDPOINT',
  /** Port kinesis-local binds for its (unused) TLS listener. */
  kinesisTlsPort: 'TRIBUTARY_TEST_KINESIS_TLS_PORT',
} as const;

export const ENDPOINT_DEFAULTS = {
  kafkaBrokers: '127.0.0.1:19092',
  kafkaControllerPort: 19093,
  kafkaSaslBrokers: '127.0.0.1:19094',
  kafkaTlsBrokers: '127.0.0.1:19095',
  /** Generated once and kept (test/services/kafka.ts `ensureKafkaTlsMaterial`). */
  kafkaTlsCa: join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.infra', 'run', 'kafka-tls', 'ca.pem'),
  sqs: 'http://127.0.0.1:19324',
  dynamodb: 'http://127.0.0.1:18000',
  kinesis: 'http://127.0.0.1:14568',
  kinesisTlsPort: 14567,
} as const;

export interface TestEndpoints {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaControllerPort: number;
  /** SASL_PLAINTEXT listener of the same broker; users in {@link KAFKA_SASL_TEST_USER}. */
  readonly kafkaSaslBrokers: readonly string[];
  /** SSL listener of the same broker; its certificate (SAN 127.0.0.1, localhost) is signed by {@link kafkaTlsCa}. */
  readonly kafkaTlsBrokers: readonly string[];
  /** PEM file of the test CA (not trusted by the system). */
  readonly kafkaTlsCa: string;
  readonly sqs: string;
  readonly dynamodb: string;
  readonly kinesis: string;
  readonly kinesisTlsPort: number;
}

/** Region used by every AWS client in the tests (ElasticMQ and kinesis-local are configured for it). */
export const AWS_REGION = 'us-east-1';

/** Dummy credentials for ElasticMQ and kinesis-local (any value is accepted). */
export const AWS_TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * The one SASL user of the test broker, for PLAIN (JAAS `user_<name>`) and for SCRAM-SHA-256/512 (credentials
 * written by `StorageTool format --add-scram`). A test-only secret: tests assert it never shows up in logs.
 */
export const KAFKA_SASL_TEST_USER = { username: 'tributary', password: 'tributary-secret' } as const;

/** DynamoDB Local only accepts alphanumeric access key ids. */
export const DYNAMODB_TEST_CREDENTIALS = { accessKeyId: 'fakeMyKeyId', secretAccessKey: 'fakeSecretAccessKey' } as const;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readUrl(env: Env, name: string, fallback: string): string {
  const raw = nonEmpty(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name}=${raw} is not a URL (expected e.g. ${fallback})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name}=${raw} must be an http:// or https:// URL`);
  }
  // Normalise: no trailing slash, so clients and the harness agree on the string.
  return raw.replace(/\/+$/, '');
}

function readPort(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port`);
  }
  return port;
}

function readBrokers(env: Env, name: string, fallback: string): string[] {
  const raw = nonEmpty(env, name) ?? fallback;
  const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d+$/.test(broker)) throw new Error(`${name}=${raw}: "${broker}" is not host:port`);
  }
  if (brokers.length === 0) throw new Error(`${name} is empty`);
  return brokers;
}

/** Endpoints of the four services, from the environment or the defaults. */
export function readEndpoints(env: Env = process.env): TestEndpoints {
  return {
    kafkaBrokers: readBrokers(env, ENDPOINT_ENV.kafkaBrokers, ENDPOINT_DEFAULTS.kafkaBrokers),
    kafkaControllerPort: readPort(env, ENDPOINT_ENV.kafkaControllerPort, ENDPOINT_DEFAULTS.kafkaControllerPort),
    kafkaSaslBrokers: readBrokers(env, ENDPOINT_ENV.kafkaSaslBrokers, ENDPOINT_DEFAULTS.kafkaSaslBrokers),
    kafkaTlsBrokers: readBrokers(env, ENDPOINT_ENV.kafkaTlsBrokers, ENDPOINT_DEFAULTS.kafkaTlsBrokers),
    kafkaTlsCa: nonEmpty(env, ENDPOINT_ENV.kafkaTlsCa) ?? ENDPOINT_DEFAULTS.kafkaTlsCa,
    sqs: readUrl(env, ENDPOINT_ENV.sqs, ENDPOINT_DEFAULTS.sqs),
    dynamodb: readUrl(env, ENDPOINT_ENV.dynamodb, ENDPOINT_DEFAULTS.dynamodb),
    kinesis: readUrl(env, ENDPOINT_ENV.kinesis, ENDPOINT_DEFAULTS.kinesis),
    kinesisTlsPort: readPort(env, ENDPOINT_ENV.kinesisTlsPort, ENDPOINT_DEFAULTS.kinesisTlsPort),
  };
}

/** The environment variables that reproduce `endpoints` (what the vitest global setup exports). */
export function endpointsToEnv(endpoints: TestEndpoints): Record<string, string> {
  return {
    [ENDPOINT_ENV.kafkaBrokers]: endpoints.kafkaBrokers.join(','),
    [ENDPOINT_ENV.kafkaControllerPort]: String(endpoints.kafkaControllerPort),
    [ENDPOINT_ENV.kafkaSaslBrokers]: endpoints.kafkaSaslBrokers.join(','),
    [ENDPOINT_ENV.kafkaTlsBrokers]: endpoints.kafkaTlsBrokers.join(','),
    [ENDPOINT_ENV.kafkaTlsCa]: endpoints.kafkaTlsCa,
    [ENDPOINT_ENV.sqs]: endpoints.sqs,
    [ENDPOINT_ENV.dynamodb]: endpoints.dynamodb,
    [ENDPOINT_ENV.kinesis]: endpoints.kinesis,
    [ENDPOINT_ENV.kinesisTlsPort]: String(endpoints.kinesisTlsPort),
  };
}
