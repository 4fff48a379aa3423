// KafkaSource against the real Kafka broker (test/services): delivery once and in order per partition, commits that
// never pass the settled prefix, retry state stored in the commit metadata, heartbeats during a slow handler (and a
// slow partition not holding back the others), and the three starting positions for new and existing groups.
// Setup (topics, produce, reading commits) goes through kafkajs directly; everything under test goes through the
// connector. Each test has its own topic and consumer group.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Message, Producer } from 'kafkajs';
import { pino } from 'pino';
import { createKafkaSource, type KafkaRunOptions } from '../../connectors/kafka/index.js';
import type { KafkaSourceConfig, PartitionBatch, PartitionBatchResult, SourceContext, SourceRecord } from '../../src/connector/index.js';
import { readEndpoints } from '../services/endpoints.ts';
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
const context: SourceContext = { pipeline: 'kafka-source-test', logger: pino({ level: process.env['TRIBUTARY_TEST_LOG'] ?? 'silent' }), now: Date.now, functionTimeoutMs: 30_000, batchSize: 100 };
const kafka = new Kafka({ clientId: 'kafka-source-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const topics: string[] = [];
let admin: Admin;
let producer: Producer;

const names = (suffix: string): { topic: string; groupId: string } => ({ topic: `kafka-source-${suffix}-${run}`, groupId: `kafka-source-${suffix}-${run}` });
const text = (r: SourceRecord): string => Buffer.from(r.filterPayload as Uint8Array).toString('utf8');
const offsetOf = (r: SourceRecord): number => Number(r.position);

function config(topic: string, groupId: string): KafkaSourceConfig {
  return { type: 'kafka', bootstrapServers: [...endpoints.kafkaBrokers], topics: [topic], consumerGroupId: groupId, clusterArn: null, ssl: false, sasl: null };
}

function options(overrides: Partial<KafkaRunOptions> = {}): KafkaRunOptions {
  return { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 100, maximumBatchingWindowMs: 50, ...overrides };
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

type Handler = (batch: PartitionBatch, stop: () => void) => Promise<PartitionBatchResult> | PartitionBatchResult;

/**
 * Runs a fresh source until `done()` holds (or the handler calls `stop`), then stops it gracefully and closes it.
 * Returns every batch the handler saw.
 */
async function consume(cfg: KafkaSourceConfig, opts: KafkaRunOptions, handler: Handler, done: (batches: PartitionBatch[]) => boolean, timeoutMs = 20_000): Promise<PartitionBatch[]> {
  const source = createKafkaSource(cfg, context, opts);
  const batches: PartitionBatch[] = [];
  const stop = new AbortController();
  try {
    await source.open(AbortSignal.timeout(10_000));
    const running = source.run(async (batch) => {
      batches.push(batch);
      return handler(batch, () => stop.abort());
    }, stop.signal);
    await Promise.race([waitFor(() => stop.signal.aborted || done(batches), timeoutMs, 'the expected batches'), running]);
    stop.abort();
    await running;
  } finally {
    stop.abort();
    await source.close();
  }
  return batches;
}

const settleAll: Handler = (batch) => ({ settled: batch.records });
const recordsOf = (batches: PartitionBatch[]): SourceRecord[] => batches.flatMap((b) => b.records);

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
    const records = recordsOf(batches);
    expect(records).toHaveLength(3_000);
    expect(new Set(records.map((r) => r.id)).size).toBe(3_000);
    for (const batch of batches) {
      expect(batch.records.length).toBeGreaterThan(0);
      expect(batch.records.length).toBeLessThanOrEqual(100);
      expect(new Set(batch.records.map((r) => r.shard))).toEqual(new Set([batch.partition]));
      expect(batch.retries).toBe(0);
    }
    for (let p = 0; p < 3; p++) {
      const inPartition = records.filter((r) => r.shard === `${topic}-${p}`);
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

    // Stops while settling the first 7 records of its first batch (an interruption).
    const first = await consume(config(topic, groupId), options(), (batch, stop) => {
      stop();
      return { settled: batch.records.slice(0, 7) };
    }, () => false);
    expect(first).toHaveLength(1);
    expect((await committed(groupId, topic))[0]?.offset).toBe('7');

    // Resumes at 7. Its first answer settles 3 records without any stop: the rest is read again, never skipped.
    let calls = 0;
    const second = await consume(config(topic, groupId), options(), (batch) => ({ settled: ++calls === 1 ? batch.records.slice(0, 3) : batch.records }), (b) => recordsOf(b.slice(1)).some((r) => r.position === '29'));
    expect(second[0]?.records[0]?.position).toBe('7');
    expect(second[1]?.records[0]?.position).toBe('10');
    const afterRetry = recordsOf(second.slice(1)).map(offsetOf);
    expect(afterRetry).toEqual(Array.from({ length: 20 }, (_, i) => i + 10));
    expect((await committed(groupId, topic))[0]?.offset).toBe('30');
  });

  it('stores the retry count with the offset and restores it as `retries` after a restart', async () => {
    const { topic, groupId } = names('attempt');
    await createTopic(topic, 1);
    await produce(topic, Array.from({ length: 5 }, (_, i) => ({ value: `m${i}` })));

    await consume(config(topic, groupId), options(), async (batch, stop) => {
      await batch.persistAttempt(4);
      stop();
      return { settled: [] };
    }, () => false);
    const stored = (await committed(groupId, topic))[0];
    expect(stored?.offset).toBe('0');
    expect(JSON.parse(stored?.metadata ?? '{}')).toEqual({ tributaryAttempt: 4 });

    const restarted = await consume(config(topic, groupId), options(), settleAll, (b) => recordsOf(b).length >= 5);
    expect(restarted[0]?.retries).toBe(4);
    expect(restarted[0]?.records[0]?.position).toBe('0');
    const after = (await committed(groupId, topic))[0];
    expect(after?.offset).toBe('5');
    // A plain commit clears the attempt count.
    expect(after?.metadata ?? '').toBe('');
  });

  it('keeps the member alive while a handler outlasts the session timeout, and other partitions keep flowing', async () => {
    const { topic, groupId } = names('slow');
    await createTopic(topic, 2);
    await produce(topic, [{ partition: 0, value: 'slow' }]);
    const events: string[] = [];
    let slowSignal: AbortSignal | null = null;
    const batches = await consume(
      config(topic, groupId),
      options({ sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 }),
      async (batch) => {
        if (batch.partition.endsWith('-0')) {
          slowSignal = batch.signal;
          events.push('slow-start');
          await produce(topic, [{ partition: 1, value: 'fast' }]);
          await delay(7_500); // > sessionTimeout
          events.push('slow-end');
        } else {
          events.push('fast');
        }
        return { settled: batch.records };
      },
      (b) => recordsOf(b).length >= 2 && events.includes('slow-end'),
    );
    expect(events).toEqual(['slow-start', 'fast', 'slow-end']);
    // No rebalance: the slow batch was never revoked, and each record came exactly once.
    expect((slowSignal as AbortSignal | null)?.aborted).toBe(false);
    expect(recordsOf(batches).map(text).sort()).toEqual(['fast', 'slow']);
    expect((await committed(groupId, topic)).map((c) => c.offset)).toEqual(['1', '1']);
  });

  it('shares a topic with a second instance: the rebalance revokes lanes, nothing is lost, commits reach the end', async () => {
    const { topic, groupId } = names('rebalance');
    await createTopic(topic, 4);
    await produce(topic, Array.from({ length: 200 }, (_, i) => ({ partition: i % 4, value: `m${i}` })));
    const settled = new Map<string, string>();
    const seenBy = { a: 0, b: 0 };
    let revoked = 0;
    const handlerFor = (who: 'a' | 'b') => async (batch: PartitionBatch): Promise<PartitionBatchResult> => {
      seenBy[who] += batch.records.length;
      await delay(100);
      if (batch.signal.aborted) {
        revoked += 1;
        return { settled: [] };
      }
      for (const r of batch.records) settled.set(r.id, who);
      return { settled: batch.records };
    };
    // Slow enough (4 partitions × 25 batches × 100 ms) that the second instance joins halfway; a short heartbeat
    // interval lets the first one notice the rebalance quickly.
    const opts = options({ batchSize: 2, maximumBatchingWindowMs: 0, heartbeatIntervalMs: 500 });
    const a = createKafkaSource(config(topic, groupId), context, opts);
    const b = createKafkaSource(config(topic, groupId), context, opts);
    const stopA = new AbortController();
    const stopB = new AbortController();
    try {
      const runningA = a.run(handlerFor('a'), stopA.signal);
      await waitFor(() => settled.size >= 20, 15_000, 'instance a to settle 20 records');
      const runningB = b.run(handlerFor('b'), stopB.signal);
      await waitFor(() => settled.size >= 200, 20_000, 'all 200 records settled');
      stopA.abort();
      stopB.abort();
      await Promise.all([runningA, runningB]);
    } finally {
      stopA.abort();
      stopB.abort();
      await Promise.all([a.close(), b.close()]);
    }
    expect(seenBy.b).toBeGreaterThan(0);
    expect([...settled.values()].filter((who) => who === 'b').length).toBeGreaterThan(0);
    // A's lanes are busy nearly all the time, so the rebalance caught some batch in flight: its signal aborted and
    // its records were read again by their next owner (at-least-once), never skipped.
    expect(revoked).toBeGreaterThan(0);
    expect(seenBy.a + seenBy.b).toBeGreaterThanOrEqual(200);
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
      return { settled: batch.records.slice(0, 2) };
    }, () => false);
    for (const startingPosition of ['LATEST', 'AT_TIMESTAMP'] as const) {
      const batches = await consume(
        config(topic, groupId),
        options({ startingPosition, startingPositionTimestampMs: Date.now() + 3_600_000 }),
        (batch, stop) => {
          stop();
          return { settled: [] };
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
