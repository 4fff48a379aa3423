/**
 * Resolve a validated `source:` into its `SourceConfig`: nulls for what is absent, names and
 * ARNs derived from each other where the format allows it, region taken from the ARN (or an
 * AWS queue URL) when not given, because the resource lives in that region.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import {
  GLUE_REGISTRY_ARN,
  dynamoDbTableNameOfArn,
  isFifoQueueName,
  kinesisStreamArnOfConsumerArn,
  kinesisStreamNameOfArn,
  regionOfArn,
  sqsArnFromUrl,
  sqsQueueRef,
  sqsUrlFromArn,
} from './aws-resources.js';
import { defaultConsumerGroupId } from './defaults.js';
import { TributaryError } from '../errors.js';
import type { SourceInput } from './schema/source.js';
import { isPemText } from './pem-text.js';
import type { KafkaSchemaRegistryConfig, KafkaSourceConfig, MappingSourceConfig, PemSource, SqsSourceConfig } from './types.js';

/**
 * Resolve a validated `source:`; `pipelineName` derives the default Kafka consumer group; `baseDir` (the config
 * file's folder, default the working directory) anchors a relative Kafka `ssl.caCertificate`.
 */
export function resolveSource(source: SourceInput, pipelineName: string, baseDir: string = process.cwd()): MappingSourceConfig {
  switch (source.type) {
    case 'sqs':
      return resolveSqs(source);
    case 'kinesis': {
      const consumerArn = source.consumerArn ?? null;
      // A consumer ARN names its stream (AWS's EFO mappings give only the consumer ARN as EventSourceArn).
      const streamArn = source.streamArn ?? (consumerArn === null ? null : kinesisStreamArnOfConsumerArn(consumerArn));
      return {
        type: 'kinesis',
        streamName: source.streamName ?? (streamArn === null ? null : kinesisStreamNameOfArn(streamArn)),
        streamArn,
        region: source.region ?? (streamArn === null ? null : regionOfArn(streamArn)),
        endpoint: source.endpoint ?? null,
        consumerArn,
        consumerName: source.consumerName ?? null,
      };
    }
    case 'dynamodb-streams': {
      const streamArn = source.streamArn ?? null;
      return {
        type: 'dynamodb-streams',
        tableName: source.tableName ?? (streamArn === null ? null : dynamoDbTableNameOfArn(streamArn)),
        streamArn,
        region: source.region ?? (streamArn === null ? null : regionOfArn(streamArn)),
        endpoint: source.endpoint ?? null,
      };
    }
    case 'kafka':
      return {
        type: 'kafka',
        bootstrapServers: [...source.bootstrapServers],
        topics: [...source.topics],
        consumerGroupId: source.consumerGroupId ?? defaultConsumerGroupId(pipelineName),
        clusterArn: source.clusterArn ?? null,
        ...resolveKafkaSsl(source.ssl, baseDir),
        schemaRegistry: resolveSchemaRegistry(source.schemaRegistryConfig),
        sasl:
          source.sasl === undefined
            ? null
            : {
                mechanism: source.sasl.mechanism,
                username: source.sasl.username ?? null,
                password: source.sasl.password ?? null,
                secretArn: source.sasl.secretArn ?? null,
              },
      };
  }
}

type KafkaSslInput = Extract<SourceInput, { type: 'kafka' }>['ssl'];

type SchemaRegistryInput = Extract<SourceInput, { type: 'kafka' }>['schemaRegistryConfig'];

/** AWS's SchemaRegistryConfig; `eventRecordFormat` defaults to JSON. */
function resolveSchemaRegistry(input: SchemaRegistryInput): KafkaSchemaRegistryConfig | null {
  if (input === undefined) return null;
  const attributes = input.schemaValidationConfigs.map((c) => c.attribute);
  return {
    kind: GLUE_REGISTRY_ARN.test(input.schemaRegistryURI) ? 'glue' : 'confluent',
    uri: input.schemaRegistryURI,
    eventRecordFormat: input.eventRecordFormat ?? 'JSON',
    validateKey: attributes.includes('KEY'),
    validateValue: attributes.includes('VALUE'),
    accessConfigs: (input.accessConfigs ?? []).map((c) => ({ type: c.type, uri: c.uri })),
  };
}

type KafkaSslResolved = Pick<KafkaSourceConfig, 'ssl' | 'sslCaFile' | 'sslRejectUnauthorized' | 'sslCaPem' | 'sslClientCertificate'>;

/** `ssl: true|false` or `ssl: { caCertificate, rejectUnauthorized, certificate, key, keyPassword }` (a mapping means TLS). */
function resolveKafkaSsl(ssl: KafkaSslInput, baseDir: string): KafkaSslResolved {
  const none = { sslCaFile: null, sslCaPem: null, sslClientCertificate: null, sslRejectUnauthorized: true };
  if (ssl === undefined || typeof ssl === 'boolean') return { ssl: ssl ?? false, ...none };
  const ca = ssl.caCertificate === undefined ? null : pemSource(ssl.caCertificate, baseDir);
  const { certificate, key } = ssl;
  return {
    ...none,
    ssl: true,
    sslCaFile: ca !== null && 'file' in ca ? ca.file : null,
    sslCaPem: ca !== null && 'pem' in ca ? ca.pem : null,
    sslRejectUnauthorized: ssl.rejectUnauthorized ?? true,
    // rules/kafka-rules.ts requires certificate and key together.
    sslClientCertificate:
      certificate === undefined || key === undefined
        ? null
        : { certificate: pemSource(certificate, baseDir), key: pemSource(key, baseDir), keyPassword: ssl.keyPassword ?? null },
  };
}

/** PEM text as is (it starts with `-----BEGIN`), else a file path made absolute against the config's folder. */
function pemSource(value: string, baseDir: string): PemSource {
  if (isPemText(value)) return { pem: value };
  return { file: isAbsolute(value) ? value : resolvePath(baseDir, value) };
}

type SqsInput = Extract<SourceInput, { type: 'sqs' }>;

/**
 * `queueUrl` from the ARN when only the ARN is given (real AWS form, or `<endpoint>/<account>/<name>`
 * with an endpoint override); `queueArn` from the URL when it has an account id.
 */
function resolveSqs(source: SqsInput): SqsSourceConfig {
  const endpoint = source.endpoint ?? null;
  const given = source.queueUrl ?? source.queueArn;
  const ref = given === undefined ? null : sqsQueueRef(given);
  const region = source.region ?? ref?.region ?? null;
  const queueUrl = source.queueUrl ?? (source.queueArn === undefined ? null : sqsUrlFromArn(source.queueArn, endpoint));
  if (queueUrl === null || ref === null) {
    // Unreachable after validation: rules/sqs-rules.ts requires a URL or a valid ARN.
    throw new TributaryError('INTERNAL', 'SQS source without a resolvable queue URL');
  }
  return {
    type: 'sqs',
    queueUrl,
    queueArn: source.queueArn ?? sqsArnFromUrl(queueUrl, region),
    fifo: isFifoQueueName(ref.name),
    region,
    endpoint,
    maximumConcurrency: source.scalingConfig?.maximumConcurrency ?? null,
  };
}
