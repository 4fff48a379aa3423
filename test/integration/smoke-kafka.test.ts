// Smoke test of the real Kafka broker with kafkajs: topic with 3 partitions, produce, consume in a
// consumer group, committed offsets.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { ENDPOINT_ENV, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const topic = `smoke-kafka-${run}`;
const groupId = `smoke-group-${run}`;
const PARTITIONS = 3;
const PER_PARTITION = 10;

interface Received {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
  readonly header: string;
}

describe('Kafka (kafkajs against the real broker)', () => {
  // Errors still surface as rejections; the client's own log would only repeat the expected
  // "group coordinator not available" retries of the first join.
  const kafka = new Kafka({ clientId: 'tributary-smoke', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('gets its broker list from the global setup', () => {
    expect(process.env[ENDPOINT_ENV.kafkaBrokers]).toBe(endpoints.kafkaBrokers.join(','));
    expect(endpoints.kafkaBrokers.length).toBeGreaterThan(0);
  });

  it('creates a topic with 3 partitions', async () => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]?.partitions ?? [];
    expect(partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(partitions.every((p) => p.leader === 1)).toBe(true);
  });

  it('produces to every partition and consumes everything in a consumer group', async () => {
    const sent = Array.from({ length: PARTITIONS * PER_PARTITION }, (_, i) => ({
      partition: i % PARTITIONS,
      key: `key-${i}`,
      value: JSON.stringify({ i, run }),
      headers: { 'x-index': String(i) },
    }));
    const acks = await producer.send({ topic, messages: sent, acks: -1 });
    expect(acks.map((a) => a.partition).sort()).toEqual([0, 1, 2]);
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const received: Received[] = [];
    const groupConsumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    consumer = groupConsumer;
    await groupConsumer.connect();
    await groupConsumer.subscribe({ topic, fromBeginning: true });
    const all = new Promise<void>((resolve, reject) => {
      groupConsumer.run({
        eachMessage: async ({ partition, message }) => {
          received.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            header: message.headers?.['x-index']?.toString() ?? '',
          });
          if (received.length >= sent.length) resolve();
        },
      }).catch(reject);
    });
    await Promise.race([
      all,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`received ${received.length}/${sent.length} messages in 60 s`)), 60_000)),
    ]);

    // Every message exactly once, with key, value and header intact, on the partition it was sent to.
    expect(received).toHaveLength(sent.length);
    const byKey = new Map(received.map((r) => [r.key, r]));
    for (const [i, m] of sent.entries()) {
      const r = byKey.get(m.key);
      expect(r, m.key).toBeDefined();
      expect(r?.value).toBe(m.value);
      expect(r?.partition).toBe(m.partition);
      expect(r?.header).toBe(String(i));
    }
    // In order within each partition: offsets 0..9 and the send order.
    for (let p = 0; p < PARTITIONS; p++) {
      const inPartition = received.filter((r) => r.partition === p);
      expect(inPartition.map((r) => Number(r.offset))).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => i));
      expect(inPartition.map((r) => r.key)).toEqual(sent.filter((m) => m.partition === p).map((m) => m.key));
    }

    // The group committed its position: next offset 10 on every partition.
    await groupConsumer.disconnect();
    consumer = undefined;
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offsets = committed[0]?.partitions.map((p) => [p.partition, p.offset] as const).sort((a, b) => a[0] - b[0]);
    expect(offsets).toEqual([[0, '10'], [1, '10'], [2, '10']]);
  });
});
