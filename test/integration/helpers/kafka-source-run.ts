/**
 * What the Kafka source tests that build a KafkaSource themselves share: the source context and run options, a
 * logger whose lines are kept (to prove no secret is in them), a filled topic, and a run through the engine that
 * returns the values the function got.
 */
import { Writable } from 'node:stream';
import type { Admin, Producer } from 'kafkajs';
import { pino, type Logger } from 'pino';
import { createKafkaSource, type KafkaRunOptions } from '../../../connectors/kafka/index.js';
import type { KafkaSourceConfig, SourceContext } from '../../../src/connector/index.js';
import { consumeKafka } from './kafka-engine.js';

export const KAFKA_RUN_OPTIONS: KafkaRunOptions = { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 100, maximumBatchingWindowMs: 50 };

export function sourceContext(pipeline: string, logger: Logger): SourceContext {
  return { pipeline, logger, now: Date.now, functionTimeoutMs: 30_000, batchSize: 100, startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, maximumBatchingWindowMs: 50 };
}

/** A trace-level logger (kafkajs's debug lines included) whose lines are kept in `lines`. */
export function keptLogger(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(chunk.toString('utf8'))) }));
  return { logger, lines };
}

/** A one-partition topic `<prefix>-<suffix>` with `count` messages `message-<i>`, written over PLAINTEXT. */
export async function filledTopic(admin: Admin, producer: Producer, topic: string, count: number): Promise<string> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `message-${i}` })) });
  return topic;
}

/** Runs a source for `config` through the engine until `count` records arrived; the values, in order. */
export async function consumeValues(config: KafkaSourceConfig, context: SourceContext, count: number): Promise<string[]> {
  const source = createKafkaSource(config, context, KAFKA_RUN_OPTIONS);
  const pipeline = { name: context.pipeline, source: { type: 'kafka', bootstrapServers: [...config.bootstrapServers], topics: [...config.topics], consumerGroupId: config.consumerGroupId }, startingPosition: 'TRIM_HORIZON' };
  const invocations = await consumeKafka(source, pipeline, () => ({}), (b) => b.reduce((n, i) => n + i.records.length, 0) >= count, 30_000, { maximumBatchingWindowMs: 50 });
  return invocations.flatMap((i) => i.records.map((r) => r.text));
}
