// The kafka:// on-failure destination against the real Kafka broker: each record is one message with the record's
// exact JSON, produced with its original key when it carries one (same key → same partition), round-robin otherwise;
// a missing topic is a retryable DESTINATION_FAILED (topics are never auto-created).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Consumer } from 'kafkajs';
import type { KafkaSourceConfig } from '../../src/config/types.ts';
import { createDestination } from '../../src/destination/create-destination.ts';
import { KafkaDestination } from '../../src/destination/kafka-destination.ts';
import { withRecordKey } from '../../src/destination/record-key.ts';
import type { OnFailureDestination } from '../../src/destination/types.ts';
import { TributaryError } from '../../src/errors.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const topic = `destination-${run}`;
const source: KafkaSourceConfig = {
  type: 'kafka',
  bootstrapServers: [...endpoints.kafkaBrokers],
  topics: [`orders-${run}`],
  consumerGroupId: `orders-${run}`,
  clusterArn: null,
  ssl: false,
  sasl: null,
};
const signal = (): AbortSignal => AbortSignal.timeout(60_000);

interface Received {
  readonly partition: number;
  readonly key: string | null;
  readonly value: string;
}

function failureRecord(n: number): object {
  return {
    requestContext: { requestId: `req-${run}-${n}`, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2024-05-01T12:00:00.000Z',
    KafkaBatchInfo: { batchSize: 6, bootstrapServers: endpoints.kafkaBrokers.join(','), payloadSize: 100, recordInfo: { offset: String(n), timestamp: '2024-05-01T11:59:59.000Z' } },
    payload: { eventSource: 'SelfManagedKafka', records: {} },
  };
}

describe('Kafka on-failure destination (real broker)', () => {
  const kafka = new Kafka({ clientId: 'tributary-destination-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
  let admin: Admin;
  let consumer: Consumer | undefined;
  const destinations: OnFailureDestination[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await Promise.all(destinations.map((d) => d.close()));
    await consumer?.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('produces each record with its exact JSON and its original key', async () => {
    const destination = createDestination({ type: 'kafka', topic }, { source, logger: silentLogger() });
    destinations.push(destination);
    expect([destination.kind, destination.target]).toEqual(['kafka', `kafka://${topic}`]);

    const keys = ['key-a', 'key-b', 'key-a', null, Buffer.from('key-c'), null];
    const records = keys.map((_, n) => failureRecord(n));
    await destination.deliver(records.map((record, n) => withRecordKey(record, keys[n] ?? null)), signal());
    // A second delivery reuses the connected producer.
    await destination.deliver([withRecordKey(failureRecord(6), 'key-b')], signal());

    const expected = 7;
    const received: Received[] = [];
    const groupConsumer = kafka.consumer({ groupId: `destination-check-${run}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    consumer = groupConsumer;
    await groupConsumer.connect();
    await groupConsumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received ${received.length}/${expected} messages in 60 s`)), 60_000);
      groupConsumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({ partition, key: message.key === null ? null : message.key.toString(), value: message.value?.toString() ?? '' });
            if (received.length >= expected) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });

    expect(received).toHaveLength(expected);
    const byValue = new Map(received.map((r) => [r.value, r]));
    const allRecords = [...records, failureRecord(6)];
    const allKeys = [...keys.map((k) => (k === null ? null : k.toString())), 'key-b'];
    allRecords.forEach((record, n) => {
      const message = byValue.get(JSON.stringify(record));
      expect(message, `record ${n}`).toBeDefined();
      expect(message?.key).toBe(allKeys[n]);
    });
    // The same key always lands on the same partition.
    for (const key of ['key-a', 'key-b']) {
      expect(new Set(received.filter((r) => r.key === key).map((r) => r.partition)).size).toBe(1);
    }
  });

  it('rejects with a retryable DESTINATION_FAILED when the topic does not exist', async () => {
    const destination = new KafkaDestination({ topic: `missing-${run}`, source, logger: silentLogger(), retries: 1 });
    destinations.push(destination);
    const error: unknown = await destination.deliver([failureRecord(0)], signal()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
    expect((error as Error).message).toContain(`kafka://missing-${run}`);
  });
});
