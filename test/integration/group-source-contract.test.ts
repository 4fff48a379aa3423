// The GroupSource contract (test/contract/group-source.contract.ts) for the Kafka connector against the real Kafka
// broker, through the real engine. Each fixture is a fresh 3-partition topic (retention.ms set, so the source's
// retentionMs is known) and its own consumer group. Unreachable: brokers on a port of this suite's range where
// nothing listens; refused: the broker's SASL_PLAINTEXT listener with a wrong password. Setup goes through kafkajs.

import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { createKafkaSource, kafkaConnector, type KafkaRunOptions } from '../../connectors/kafka/index.js';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { KafkaSourceConfig } from '../../src/connector/index.js';
import { describeGroupSourceContract, type GroupFixture } from '../contract/group-source.contract.ts';
import { contractSourceContext } from '../contract/source-context.ts';
import { KAFKA_SASL_TEST_USER, readEndpoints } from '../services/endpoints.ts';

// kafkajs 2.2.4 calls setTimeout with negative delays (TimeoutNegativeWarning under Node 24): harmless, hidden.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const endpoints = readEndpoints();
const run = `${Date.now().toString(36)}-${process.pid}`;
/** Nothing listens here (the port range of this suite). */
const UNREACHABLE_BROKER = '127.0.0.1:22291';
const PARTITIONS = 3;
const RETENTION_MS = 7 * 24 * 3_600_000;
const context = contractSourceContext('group-contract', { functionTimeoutMs: 30_000, batchSize: 10 });
// A short heartbeat interval: a member notices a rebalance within a second.
const options: KafkaRunOptions = { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 10, maximumBatchingWindowMs: 0, heartbeatIntervalMs: 500 };
const kafka = new Kafka({ clientId: 'group-contract-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

async function kafkaFixture(label: string): Promise<GroupFixture> {
  const topic = `group-contract-${label}-${run}`;
  const groupId = topic;
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: String(RETENTION_MS) }] }], waitForLeaders: true });
  const config: KafkaSourceConfig = { type: 'kafka', bootstrapServers: [...endpoints.kafkaBrokers], topics: [topic], consumerGroupId: groupId, clusterArn: null, ssl: false, sasl: null };
  return {
    connector: kafkaConnector as ConnectorDefinition,
    pipelineSource: { type: 'kafka', bootstrapServers: [...endpoints.kafkaBrokers], topics: [topic], consumerGroupId: groupId },
    partitions: Array.from({ length: PARTITIONS }, (_, p) => `${topic}-${p}`),
    expected: { sourceArn: `kafka://${endpoints.kafkaBrokers.join(',')}`, region: null, retentionMs: RETENTION_MS },
    createSource: async () => createKafkaSource(config, context, options),
    createUnreachable: async () => createKafkaSource({ ...config, bootstrapServers: [UNREACHABLE_BROKER] }, context, options),
    createRefused: async () =>
      createKafkaSource({ ...config, bootstrapServers: [...endpoints.kafkaSaslBrokers], sasl: { mechanism: 'scram-sha-512', username: KAFKA_SASL_TEST_USER.username, password: `wrong-${run}` } }, context, options),
    write: async (messages) => {
      await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ partition: m.partition, value: m.value })) });
    },
    decode: (eventRecord) => ({
      partition: `${String(eventRecord['topic'])}-${String(eventRecord['partition'])}`,
      position: String(eventRecord['offset']),
      value: Buffer.from(String(eventRecord['value']), 'base64').toString('utf8'),
    }),
    committed: async () => {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((result?.partitions ?? []).filter((p) => p.offset !== '-1').map((p) => [`${topic}-${p.partition}`, { next: p.offset, metadata: p.metadata }]));
    },
    dispose: async () => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    },
  };
}

describeGroupSourceContract('kafka (real broker)', kafkaFixture);
