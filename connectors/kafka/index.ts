/**
 * The Kafka connector: Amazon MSK and self-managed Apache Kafka through kafkajs.
 *
 * A Kafka source needs pipeline-level settings the generic `create(config, context)` does not carry
 * (StartingPosition, its timestamp, the batching window): build it with {@link createKafkaSource}. Guessing a
 * starting position would be wrong — StartingPosition is required for a Kafka mapping on AWS — so
 * `kafkaConnector.create` refuses with INTERNAL instead of defaulting.
 *
 * SASL `aws-iam` (MSK IAM) uses kafkajs's OAUTHBEARER with tokens from AWS's `aws-msk-iam-sasl-signer-js`
 * (src/connector/msk-iam.ts).
 */
import { defineConnector, type KafkaSourceConfig, type SourceContext } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import { KafkaApi, kafkaSasl } from './client.js';
import { KafkaSource, type KafkaRunOptions } from './source.js';

export { recordId, partitionKey, toKafkaEvent, toKafkaEventRecord, type KafkaRecordData, type KafkaTimestampType } from './event.js';
export { KafkaSource, type KafkaRunOptions } from './source.js';
export type { KafkaStartingPosition } from './start-position.js';

/** Checks what can be checked without I/O, then builds the source; no connection until `open()`. */
export function createKafkaSource(config: KafkaSourceConfig, context: SourceContext, options: KafkaRunOptions): KafkaSource {
  if (config.bootstrapServers.length === 0) throw new TributaryError('CONFIG_INVALID', 'kafka source: bootstrapServers is empty');
  if (config.topics.length === 0) throw new TributaryError('CONFIG_INVALID', 'kafka source: topics is empty');
  if (options.startingPosition === 'AT_TIMESTAMP' && options.startingPositionTimestampMs === null) {
    throw new TributaryError('CONFIG_INVALID', 'kafka source: startingPosition AT_TIMESTAMP needs startingPositionTimestamp');
  }
  kafkaSasl(config); // checks the SASL settings before anything connects
  const api = new KafkaApi({ config, clientId: `tributary-${context.pipeline}`, logger: context.logger.child({ source: 'kafka' }) });
  return new KafkaSource(config, api, context, options);
}

export const kafkaConnector = defineConnector<KafkaSourceConfig>({
  type: 'kafka',
  async create() {
    throw new TributaryError('INTERNAL', 'a kafka source needs the pipeline startingPosition and batching window: use createKafkaSource(config, context, options)');
  },
});
