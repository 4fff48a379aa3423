/** Test-side Kafka helpers against the real broker started by the harness. */
import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import { readEndpoints } from '../../services/endpoints.ts';

export const kafkaBrokers = (): string[] => [...readEndpoints().kafkaBrokers];

export interface KafkaTestClient {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  close(): Promise<void>;
}

export async function kafkaTestClient(): Promise<KafkaTestClient> {
  const kafka = new Kafka({ clientId: 'tributary-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  return {
    kafka,
    admin,
    producer,
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

export async function createTopic(client: KafkaTestClient, topic: string, partitions: number): Promise<void> {
  await client.admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
}

/** Sends messages to explicit partitions, in order per partition. */
export async function produce(client: KafkaTestClient, topic: string, messages: readonly { partition: number; key: string; value: string }[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 500) {
    await client.producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500).map((m) => ({ partition: m.partition, key: m.key, value: m.value })) });
  }
}

/** Reads every message of a topic from the beginning until `count` arrived (or the timeout). */
export async function readTopic(client: KafkaTestClient, topic: string, count: number, timeoutMs = 20_000): Promise<{ key: string | null; value: string }[]> {
  const consumer = client.kafka.consumer({ groupId: `reader-${topic}-${Date.now()}` });
  const out: { key: string | null; value: string }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        out.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '' });
        if (out.length >= count) resolve();
      },
    });
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  await consumer.disconnect();
  return out;
}
