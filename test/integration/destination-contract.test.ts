// The on-failure destination contract (test/contract/destination.contract.ts) for the SQS destination against the
// real ElasticMQ and the `kafka://` destination against the real Kafka broker. Each test gets a fresh queue or
// topic. Cut off: the queue / topic is deleted (and gone); restored: created again under the same name, empty.

import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import type { KafkaSourceConfig } from '../../src/config/types.js';
import { KafkaDestination } from '../../src/destination/kafka-destination.js';
import { SqsDestination } from '../../src/destination/sqs-destination.js';
import { silentLogger } from '../../src/observability/logger.js';
import { describeDestinationContract, type StoredRecord } from '../contract/destination.contract.ts';
import { AWS_REGION, AWS_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';
import { waitFor } from './helpers/wait.js';

// kafkajs 2.2.4 calls setTimeout with negative delays (TimeoutNegativeWarning under Node 24): harmless, hidden.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const endpoints = readEndpoints();
const run = `${Date.now().toString(36)}-${process.pid}`;
const sqs = new SQSClient({ region: AWS_REGION, endpoint: endpoints.sqs, credentials: AWS_TEST_CREDENTIALS });
const kafka = new Kafka({ clientId: 'destination-contract-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  sqs.destroy();
});

async function createQueue(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return QueueUrl;
}

describeDestinationContract('sqs (ElasticMQ standard queue)', { kind: 'sqs', keys: 'ignored', order: 'none' }, async (label) => {
  const name = `destination-contract-${run}-${label}`;
  const queueUrl = await createQueue(name);
  const received: StoredRecord[] = [];
  return {
    destination: new SqsDestination({ queueUrl, queueArn: null, region: AWS_REGION, logger: silentLogger() }),
    read: async (count) => {
      await waitFor(async () => {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        received.push(...Messages.map((m) => ({ json: m.Body ?? '', key: null })));
        if (Messages.length > 0) {
          await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
        }
        return received.length >= count;
      }, 30_000, `${count} messages on ${name}`);
      return received.splice(0);
    },
    cut: async () => {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      await waitFor(() => sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(() => false, () => true), 10_000, `${name} deleted`);
    },
    restore: async () => {
      received.length = 0;
      await createQueue(name);
    },
    dispose: async () => {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    },
  };
});

const kafkaSource: KafkaSourceConfig = {
  type: 'kafka',
  bootstrapServers: [...endpoints.kafkaBrokers],
  topics: [`orders-${run}`],
  consumerGroupId: `orders-${run}`,
  clusterArn: null,
  ssl: false,
  sasl: null,
};

async function createTopic(topic: string): Promise<void> {
  // A topic deleted a moment ago may still be on its way out: try again until the broker accepts it.
  await waitFor(() => admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true }).then(() => true, () => false), 30_000, `topic ${topic} created`);
}

/** Every message of `topic`, partition by partition in offset order, read by a fresh consumer group. */
async function readTopic(topic: string, count: number): Promise<StoredRecord[]> {
  const consumer = kafka.consumer({ groupId: `destination-contract-read-${topic}-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const byPartition = new Map<number, { offset: bigint; record: StoredRecord }[]>();
  let total = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const list = byPartition.get(partition) ?? [];
        list.push({ offset: BigInt(message.offset), record: { json: message.value?.toString() ?? '', key: message.key === null ? null : message.key.toString() } });
        byPartition.set(partition, list);
        total += 1;
      },
    });
    await waitFor(() => total >= count, 60_000, `${count} messages on ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return [...byPartition.keys()].sort().flatMap((p) => (byPartition.get(p) ?? []).sort((a, b) => (a.offset < b.offset ? -1 : 1)).map((m) => m.record));
}

describeDestinationContract('kafka:// topic (real broker)', { kind: 'kafka', keys: 'kept', order: 'per-key' }, async (label) => {
  const topic = `destination-contract-${run}-${label}`;
  await createTopic(topic);
  return {
    // One kafkajs retry: a missing topic is refused in about a second instead of after five back-offs.
    destination: new KafkaDestination({ topic, source: kafkaSource, logger: silentLogger(), retries: 1 }),
    read: (count) => readTopic(topic, count),
    cut: async () => {
      await admin.deleteTopics({ topics: [topic] });
      await waitFor(async () => !(await admin.listTopics()).includes(topic), 30_000, `topic ${topic} deleted`);
    },
    restore: () => createTopic(topic),
    dispose: async () => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    },
  };
});
