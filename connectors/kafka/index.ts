/**
 * The Kafka connector: Amazon MSK and self-managed Apache Kafka through kafkajs.
 *
 * SASL `aws-iam` (MSK IAM) uses kafkajs's OAUTHBEARER with tokens from AWS's `aws-msk-iam-sasl-signer-js`
 * (src/connector/kafka-sasl.ts).
 */
import { defineConnector, destinationCarriesPayload, kafkaFailureBuilder, type KafkaSourceConfig, type SourceContext } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import { KafkaApi, kafkaSasl } from './client.js';
import { normalizeKafkaItemId } from './item-id.js';
import { createRecordDecoder } from './schema/index.js';
import { KafkaSource, type KafkaRunOptions } from './source.js';

export { recordId, partitionKey, toKafkaEvent, toKafkaEventRecord, type KafkaRecordData, type KafkaTimestampType } from './event.js';
export { KafkaSource, type KafkaRunOptions } from './source.js';
export type { KafkaStartingPosition } from './start-position.js';
export { normalizeKafkaItemId } from './item-id.js';

/** Checks what can be checked without I/O, then builds the source; no connection until `open()`. */
export function createKafkaSource(config: KafkaSourceConfig, context: SourceContext, options: KafkaRunOptions): KafkaSource {
  if (config.bootstrapServers.length === 0) throw new TributaryError('CONFIG_INVALID', 'kafka source: bootstrapServers is empty');
  if (config.topics.length === 0) throw new TributaryError('CONFIG_INVALID', 'kafka source: topics is empty');
  if (options.startingPosition === 'AT_TIMESTAMP' && options.startingPositionTimestampMs === null) {
    throw new TributaryError('CONFIG_INVALID', 'kafka source: startingPosition AT_TIMESTAMP needs startingPositionTimestamp');
  }
  kafkaSasl(config); // checks the SASL settings before anything connects
  const api = new KafkaApi({ config, clientId: `tributary-${context.pipeline}`, logger: context.logger.child({ source: 'kafka' }) });
  const registry = config.schemaRegistry ?? null;
  if (registry === null) return new KafkaSource(config, api, context, options);
  // AWS's SchemaRegistryConfig: every fetched record is decoded and validated before the core sees it.
  const decoder = createRecordDecoder(registry);
  return new KafkaSource(config, api, context, {
    ...options,
    toRecord: (record, signal) => decoder.toRecord(record, signal),
    opened: (signal) => decoder.check(signal),
  });
}

export const kafkaConnector = defineConnector<KafkaSourceConfig>({
  type: 'kafka',
  laneLabel: 'partition',
  lagMetric: 'offset-lag',
  settledMetric: 'committed',
  // Patterns address the Kafka record; `value` is decoded as UTF-8 (JSON when it is JSON).
  filterTarget: (record) => ({ target: record.eventRecord, key: 'value' }),
  normalizeItemId: normalizeKafkaItemId,
  failureRecords: ({ config, destination, toEvent }) =>
    kafkaFailureBuilder({
      eventSourceArn: config.clusterArn,
      bootstrapServers: config.bootstrapServers.join(','),
      // A kafka:// topic gets one message per record, with the record and its original key; S3 one object with the
      // whole event as `payload` (reference §3.6).
      perRecord: destination.type === 'kafka',
      withPayload: destinationCarriesPayload(destination),
      toEvent,
    }),
  async create(config, context) {
    // StartingPosition is required for Kafka mappings (validated with the config).
    if (context.startingPosition === null) throw new TributaryError('CONFIG_INVALID', 'kafka source: startingPosition is required (TRIM_HORIZON, LATEST or AT_TIMESTAMP)');
    return createKafkaSource(config, context, {
      startingPosition: context.startingPosition,
      startingPositionTimestampMs: context.startingPositionTimestampMs,
      batchSize: context.batchSize,
      maximumBatchingWindowMs: context.maximumBatchingWindowMs,
    });
  },
});
