// KafkaSource against the real Kafka broker (test/services), driven by the real lane engine
// (test/support/engine-harness.ts): delivery once and in order per partition, commits that never pass the settled
// prefix, retry state stored in the commit metadata and restored after a restart, heartbeats during a slow handler
// (and a slow partition not holding back the others), a rebalance, and the three starting positions for new and
// existing groups. Setup (topics, produce, reading commits) goes through kafkajs directly; everything under test
// goes through the connector and the engine. Each test has its own topic and consumer group.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Message, Producer } from 'kafkajs';
import { pino } from 'pino';
import { createKafkaSource, type KafkaRunOptions } from '../../connectors/kafka/index.js';
import type { KafkaSourceConfig, SourceContext } from '../../src/connector/index.js';
import { readEndpoints } from '../services/endpoints.ts';
import { consumeKafka, failFrom, type Delivered, type Invocation, type InvocationHandler } from './helpers/kafka-engine.js';
import { delay, waitFor } from './helpers/wait.js';

// kafkajs 2.2.4 calls setTimeout with negative delays, which Node 24 reports as TimeoutNegativeWarning (harmless:
// Node uses 1 ms). Keep the test output clean; every other warning is printed as usual.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
// TRIBUTARY_TEST_LOG=debug shows what the source logs.
const context: SourceContext = {
  pipeline: 'kafka-source-test',
  logger: pino({ level: process.env['TRIBUTARY_TEST_LOG'] ?? 'silent' }),
  now: Date.now,
  functionTimeoutMs: 30_000,
  batchSize: 100,
  startingPosition: 'TRIM_HORIZON',
  startingPositionTimestampMs: null,
  maximumBatchingWindowMs: 50,
};
const kafka = new Kafka({ clientId: 'kafka-source-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const topics: string[] = [];
let admin: Admin;
let producer: Producer;

const names = (suffix: string): { topic: string; groupId: string } => ({ topic: `kafka-source-${suffix}-${run}`, groupId: `kafka-source-${suffix}-${run}` });
const text = (r: Delivered): string => r.text;
const offsetOf = (r: Delivered): number => r.offset;

function config(topic: string, groupId: string): KafkaSourceConfig {
  return { type: 'kafka', bootstrapServers: [...endpoints.kafkaBrokers], topics: [topic], consumerGroupId: groupId, clusterArn: null, ssl: false, sasl: null };
}

function options(overrides: Partial<KafkaRunOptions> = {}): KafkaRunOptions {
  return { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 100, maximumBatchingWindowMs: 50, ...overrides };
}

/** The pipeline the engine runs: the source's settings in config-file form, partial batch responses on. */
function pipeline(cfg: KafkaSourceConfig, opts: KafkaRunOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'kafka-source-test',
    source: { type: 'kafka', bootstrapServers: [...cfg.bootstrapServers], topics: [...cfg.topics], consumerGroupId: cfg.consumerGroupId },
    startingPosition: opts.startingPosition,
    ...(opts.startingPositionTimestampMs === null || opts.startingPosition !== 'AT_TIMESTAMP' ? {} : { startingPositionTimestamp: opts.startingPositionTimestampMs / 1000 }),
    batchSize: opts.batchSize,
    functionResponseTypes: ['ReportBatchItemFailures'],
    ...extra,
  };
}

async function createTopic(topic: string, partitions: number, configEntries: { name: string; value: string }[] = []): Promise<void> {
  topics.push(topic);
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }], waitForLeaders: true });
}

async function produce(topic: string, messages: Message[]): Promise<void> {
  await producer.send({ topic, messages, acks: -1 });
}

async function committed(groupId: string, topic: string): Promise<{ partition: number; offset: string; metadata: string | null }[]> {
  const result = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (result[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset, metadata: p.metadata })).sort((a, b) => a.partition - b.partition);
}

/** Runs a fresh source through the engine until `done()` holds (or the handler calls `stop`); returns every invocation. */
async function consume(
  cfg: KafkaSourceConfig,
  opts: KafkaRunOptions,
  handler: InvocationHandler,
  done: (invocations: readonly Invocation[]) => boolean,
  extra: Record<string, unknown> = {},
  timeoutMs = 20_000,
): Promise<Invocation[]> {
  return consumeKafka(createKafkaSource(cfg, { ...context, startingPosition: opts.startingPosition }, opts), pipeline(cfg, opts, extra), handler, done, timeoutMs, {
    maximumBatchingWindowMs: opts.maximumBatchingWindowMs,
  });
}

const settleAll: InvocationHandler = () => ({});
const recordsOf = (invocations: readonly Invocation[]): Delivered[] => invocations.flatMap((b) => b.records);

describe('KafkaSource (real broker)', () => {
  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('delivers 3 × 1,000 messages once each, in order per partition, and commits the end', async () => {
    const { topic, groupId } = names('all');
    await createTopic(topic, 3);
    const messages: Message[] = Array.from({ length: 3_000 }, (_, i) => ({
      partition: i % 3,
      key: i === 0 ? null : `key-${i}`,
      value: JSON.stringify({ i }),
      headers: { 'x-index': String(i) },
    }));
    await produce(topic, messages);

    const batches = await consume(config(topic, groupId), options(), settleAll, (b) => recordsOf(b).length >= 3_000);
    await waitFor(async () => (await committed(groupId, topic)).every((c) => c.offset === '1000'), 10_000, 'the final commits');
    const records = recordsOf(batches);
    // Each record once: no batch was retried.
    expect(records).toHaveLength(3_000);
    expect(new Set(records.map((r) => r.id)).size).toBe(3_000);
    for (const batch of batches) {
      expect(batch.records.length).toBeGreaterThan(0);
      expect(batch.records.length).toBeLessThanOrEqual(100);
      expect(new Set(batch.records.map((r) => r.partition))).toEqual(new Set([batch.partition]));
    }
    for (let p = 0; p < 3; p++) {
      const inPartition = records.filter((r) => r.partition === `${topic}-${p}`);
      expect(inPartition.map(offsetOf)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
      expect(inPartition.map((r) => JSON.parse(text(r)).i)).toEqual(Array.from({ length: 1_000 }, (_, i) => i * 3 + p));
    }
    // The Lambda record of a real message: base64 key and value, headers as byte arrays; no key when it had none.
    const second = records.find((r) => r.id === `${topic}-1:0`);
    expect(second?.eventRecord).toMatchObject({
      topic,
      partition: 1,
      offset: 0,
      timestampType: 'CREATE_TIME',
      key: Buffer.from('key-1').toString('base64'),
      value: Buffer.from('{"i":1}').toString('base64'),
      headers: [{ 'x-index': [...Buffer.from('1')] }],
    });
    expect(records.find((r) => r.id === `${topic}-0:0`)?.eventRecord).not.toHaveProperty('key');
    expect((await committed(groupId, topic)).map((c) => c.offset)).toEqual(['1000', '1000', '1000']);
  });

  it('commits only the settled prefix: the next run resumes right after it, and a short answer is re-read', async () => {
    const { topic, groupId } = names('prefix');
    await createTopic(topic, 1);
    await produce(topic, Array.from({ length: 30 }, (_, i) => ({ value: `m${i}` })));

    // Stops while its first answer settles the first 7 records of its first batch (an interruption: no retry).
    const first = await consume(config(topic, groupId), options(), (batch, stop) => {
      stop();
      return failFrom(batch, 7);
    }, () => false);
    expect(first).toHaveLength(1);
    expect((await committed(groupId, topic))[0]?.offset).toBe('7');

    // Resumes at 7. Its first answer settles 3 records without any stop: the rest is read again, never skipped.
    let calls = 0;
    const second = await consume(
      config(topic, groupId),
      options(),
      (batch) => (++calls === 1 ? failFrom(batch, 3) : {}),
      (b) => recordsOf(b.slice(1)).some((r) => r.position === '29'),
    );
    expect(second[0]?.records[0]?.position).toBe('7');
    expect(second[1]?.records[0]?.position).toBe('10');
    const afterRetry = recordsOf(second.slice(1)).map(offsetOf);
    expect(afterRetry).toEqual(Array.from({ length: 20 }, (_, i) => i + 10));
    await waitFor(async () => (await committed(groupId, topic))[0]?.offset === '30', 10_000, 'the commit of the end');
  });

  it('stores the retry count with the offset and restores it after a restart', async () => {
    const { topic, groupId } = names('attempt');
    await createTopic(topic, 1);
    await produce(topic, Array.from({ length: 5 }, (_, i) => ({ value: `m${i}` })));
    const retries = { maximumRetryAttempts: 3 };

    // Fails every time; stopped while waiting for its fourth attempt (three retries used).
    const firstRun = await consume(config(topic, groupId), options(), () => {
      throw new Error('poison');
    }, (b) => b.length >= 3, retries);
    expect(firstRun).toHaveLength(3);
    const stored = (await committed(groupId, topic))[0];
    expect(stored?.offset).toBe('0');
    expect(JSON.parse(stored?.metadata ?? '{}')).toEqual({ tributaryAttempt: 3, tributaryThrough: '4' }); // the failing batch: offsets 0–4

    // After the restart the batch has no retry left: one more invocation, then it is discarded (dropped here).
    const restarted = await consume(config(topic, groupId), options(), () => {
      throw new Error('poison');
    }, (b) => b.length >= 1, retries);
    expect(restarted).toHaveLength(1);
    expect(restarted[0]?.records[0]?.position).toBe('0');
    await waitFor(async () => (await committed(groupId, topic))[0]?.offset === '5', 10_000, 'the discarded batch to be committed past');
    const after = (await committed(groupId, topic))[0];
    expect(after?.offset).toBe('5');
    // A plain commit clears the retry count.
    expect(after?.metadata ?? '').toBe('');
  });

  it('keeps the member alive while a handler outlasts the session timeout, and other partitions keep flowing', async () => {
    const { topic, groupId } = names('slow');
    await createTopic(topic, 2);
    await produce(topic, [{ partition: 0, value: 'slow' }]);
    const events: string[] = [];
    const batches = await consume(
      config(topic, groupId),
      options({ sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 }),
      async (batch) => {
        if (batch.partition.endsWith('-0')) {
          events.push('slow-start');
          await produce(topic, [{ partition: 1, value: 'fast' }]);
          await delay(7_500); // > sessionTimeout
          events.push('slow-end');
        } else {
          events.push('fast');
        }
        return {};
      },
      (b) => recordsOf(b).length >= 2 && events.includes('slow-end'),
    );
    expect(events).toEqual(['slow-start', 'fast', 'slow-end']);
    // No rebalance: the slow invocation was never aborted (it would have been delivered again), each record came once.
    expect(recordsOf(batches).map(text).sort()).toEqual(['fast', 'slow']);
    await waitFor(async () => (await committed(groupId, topic)).every((c) => c.offset === '1'), 10_000, 'the commits');
    expect((await committed(groupId, topic)).map((c) => c.offset)).toEqual(['1', '1']);
  });

  it('shares a topic with a second instance: the rebalance revokes lanes, nothing is lost, commits reach the end', async () => {
    const { topic, groupId } = names('rebalance');
    await createTopic(topic, 4);
    await produce(topic, Array.from({ length: 200 }, (_, i) => ({ partition: i % 4, value: `m${i}` })));
    const settled = new Map<string, string>();
    const seenBy = { a: 0, b: 0 };
    const handlerFor = (who: 'a' | 'b'): InvocationHandler => async (batch) => {
      seenBy[who] += batch.records.length;
      await delay(100);
      for (const r of batch.records) settled.set(r.id, who);
      return {};
    };
    // Slow enough (4 partitions × 25 batches × 100 ms) that the second instance joins halfway; a short heartbeat
    // interval lets the first one notice the rebalance quickly.
    const opts = options({ batchSize: 2, maximumBatchingWindowMs: 0, heartbeatIntervalMs: 500 });
    const a = consume(config(topic, groupId), opts, handlerFor('a'), () => settled.size >= 200, {}, 40_000);
    await waitFor(() => settled.size >= 20, 15_000, 'instance a to settle 20 records');
    const b = consume(config(topic, groupId), opts, handlerFor('b'), () => settled.size >= 200, {}, 40_000);
    await Promise.all([a, b]);
    expect(seenBy.b).toBeGreaterThan(0);
    expect([...settled.values()].filter((who) => who === 'b').length).toBeGreaterThan(0);
    // At-least-once across the rebalance: every record was handled, some maybe twice (a batch in flight when its
    // partition was revoked is read again by the next owner), never skipped.
    expect(seenBy.a + seenBy.b).toBeGreaterThanOrEqual(200);
    await waitFor(async () => (await committed(groupId, topic)).every((c) => c.offset === '50'), 10_000, 'the commits');
    expect((await committed(groupId, topic)).map((c) => c.offset)).toEqual(['50', '50', '50', '50']);
  });

  it('LATEST for a new group skips what was there before the pipeline started', async () => {
    const { topic, groupId } = names('latest');
    await createTopic(topic, 1);
    await produce(topic, Array.from({ length: 5 }, (_, i) => ({ value: `old${i}` })));
    const source = consume(config(topic, groupId), options({ startingPosition: 'LATEST' }), settleAll, (b) => recordsOf(b).length >= 3);
    // The starting offsets are committed before the consumer joins.
    await waitFor(async () => (await committed(groupId, topic))[0]?.offset === '5', 15_000, 'the LATEST offsets to be committed');
    await produce(topic, Array.from({ length: 3 }, (_, i) => ({ value: `new${i}` })));
    const batches = await source;
    expect(recordsOf(batches).map(text)).toEqual(['new0', 'new1', 'new2']);
  });

  it('AT_TIMESTAMP starts at the first record at or after the timestamp', async () => {
    const { topic, groupId } = names('timestamp');
    await createTopic(topic, 1);
    const base = Date.now() - 60_000;
    await produce(topic, Array.from({ length: 5 }, (_, i) => ({ value: `m${i}`, timestamp: String(base + i * 1_000) })));
    const batches = await consume(config(topic, groupId), options({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestampMs: base + 2_500 }), settleAll, (b) => recordsOf(b).length >= 2);
    expect(recordsOf(batches).map(offsetOf)).toEqual([3, 4]);
    expect(recordsOf(batches).map((r) => r.arrivedAtMs)).toEqual([base + 3_000, base + 4_000]);
  });

  it('an existing group ignores startingPosition and resumes from its committed offsets', async () => {
    const { topic, groupId } = names('existing');
    await createTopic(topic, 1);
    await produce(topic, Array.from({ length: 6 }, (_, i) => ({ value: `m${i}` })));
    await consume(config(topic, groupId), options(), (batch, stop) => {
      stop();
      return failFrom(batch, 2);
    }, () => false);
    for (const startingPosition of ['LATEST', 'AT_TIMESTAMP'] as const) {
      const batches = await consume(
        config(topic, groupId),
        // A timestamp before every record: a new group would start at offset 0.
        options({ startingPosition, startingPositionTimestampMs: Date.now() - 3_600_000 }),
        (batch, stop) => {
          stop();
          return failFrom(batch, 0);
        },
        () => false,
      );
      expect(batches[0]?.records[0]?.position).toBe('2');
    }
  });

  it('reports LOG_APPEND_TIME with the broker append time', async () => {
    const { topic, groupId } = names('append-time');
    await createTopic(topic, 1, [{ name: 'message.timestamp.type', value: 'LogAppendTime' }]);
    const before = Date.now();
    await produce(topic, [{ value: 'x', timestamp: '1000' }]);
    const batches = await consume(config(topic, groupId), options(), settleAll, (b) => recordsOf(b).length >= 1);
    const record = recordsOf(batches)[0];
    expect(record?.eventRecord['timestampType']).toBe('LOG_APPEND_TIME');
    expect(record?.arrivedAtMs).toBeGreaterThanOrEqual(before - 1_000);
  });
});
