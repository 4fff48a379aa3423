/**
 * Resolve a validated `source: { type: kafka }` (./config.ts) into its `KafkaSourceConfig`: the consumer group
 * defaults to `tributary-<pipeline>`, `ssl` and the schema registry are normalised, PEM paths made absolute against
 * the config file's folder.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type * as z from 'zod';
import { GLUE_REGISTRY_ARN, defaultConsumerGroupId, isPemText } from '../../src/connector/config-kit.js';
import type { KafkaSchemaRegistryConfig, KafkaSourceConfig, PemSource } from '../../src/connector/config.js';
import type { SourceResolveContext } from '../../src/connector/source-descriptor.js';
import type { kafkaSourceSchema } from './config.js';

type KafkaInput = z.output<typeof kafkaSourceSchema>;

/** `pipelineName` derives the default consumer group; `baseDir` anchors a relative `ssl.caCertificate`. */
export function resolveKafka(source: KafkaInput, { pipelineName, baseDir }: SourceResolveContext): KafkaSourceConfig {
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

type KafkaSslInput = KafkaInput['ssl'];

type SchemaRegistryInput = KafkaInput['schemaRegistryConfig'];

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
