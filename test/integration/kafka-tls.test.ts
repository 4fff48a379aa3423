// KafkaSource over TLS against the real broker's SSL listener (test/services/kafka.ts), whose certificate is signed
// by a private test CA (endpoints.kafkaTlsCa): with `ssl.caCertificate` the source consumes and commits; with the
// system CAs only, the connection fails with a TributaryError about the certificate, within a bound; with
// `rejectUnauthorized: false` it connects without the CA. Topics are created and filled over PLAINTEXT.

import { rejection } from '../support/rejection.ts';
import { isPortOpen } from '../services/common.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { pino } from 'pino';
import { createKafkaSource, type KafkaRunOptions } from '../../connectors/kafka/index.js';
import { consumeKafka } from './helpers/kafka-engine.js';
import type { KafkaSourceConfig, SourceContext } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import { readEndpoints } from '../services/endpoints.ts';

// kafkajs 2.2.4 calls setTimeout with negative delays (TimeoutNegativeWarning under Node 24): harmless, hidden.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const kafka = new Kafka({ clientId: 'kafka-tls-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const topics: string[] = [];
let admin: Admin;
let producer: Producer;

const context: SourceContext = {
  pipeline: 'kafka-tls-test',
  logger: pino({ level: 'silent' }),
  now: Date.now,
  functionTimeoutMs: 30_000,
  batchSize: 100,
  startingPosition: 'TRIM_HORIZON',
  startingPositionTimestampMs: null,
  maximumBatchingWindowMs: 50,
};
const options: KafkaRunOptions = { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 100, maximumBatchingWindowMs: 50 };

function tlsConfig(topic: string, tls: Pick<KafkaSourceConfig, 'sslCaFile' | 'sslRejectUnauthorized'>): KafkaSourceConfig {
  return {
    type: 'kafka',
    bootstrapServers: [...endpoints.kafkaTlsBrokers],
    topics: [topic],
    consumerGroupId: topic,
    clusterArn: null,
    ssl: true,
    ...tls,
    sasl: null,
  };
}

async function filledTopic(suffix: string, count: number): Promise<string> {
  const topic = `kafka-tls-${suffix}-${run}`;
  topics.push(topic);
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `message-${i}` })) });
  return topic;
}

/** Runs a source through the engine until `count` records arrived, then stops it gracefully; returns the values in order. */
async function consume(cfg: KafkaSourceConfig, count: number): Promise<string[]> {
  const source = createKafkaSource(cfg, context, options);
  const pipeline = {
    name: context.pipeline,
    source: { type: 'kafka', bootstrapServers: [...cfg.bootstrapServers], topics: [...cfg.topics], consumerGroupId: cfg.consumerGroupId },
    startingPosition: 'TRIM_HORIZON',
  };
  const invocations = await consumeKafka(source, pipeline, () => ({}), (b) => b.reduce((n, i) => n + i.records.length, 0) >= count, 20_000, { maximumBatchingWindowMs: 50 });
  return invocations.flatMap((i) => i.records.map((r) => r.text));
}

/** `host:port` answers on TCP (the harness's check, for a broker string). */
function brokerListening(broker: string): Promise<boolean> {
  const i = broker.lastIndexOf(':');
  return isPortOpen(broker.slice(0, i), Number(broker.slice(i + 1)), 1_000);
}

describe('KafkaSource over TLS with a private CA (real broker)', () => {
  beforeAll(async () => {
    const tls = endpoints.kafkaTlsBrokers[0] ?? '';
    if (!(await brokerListening(tls))) {
      throw new Error(`no Kafka SSL listener on ${tls}: restart the test broker (npm run services:stop kafka)`);
    }
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

  it('consumes and commits with ssl.caCertificate', async () => {
    const topic = await filledTopic('ca', 3);
    const values = await consume(tlsConfig(topic, { sslCaFile: endpoints.kafkaTlsCa, sslRejectUnauthorized: true }), 3);
    expect(values).toEqual(['message-0', 'message-1', 'message-2']);
    const committed = await admin.fetchOffsets({ groupId: topic, topics: [topic] });
    expect(committed[0]?.partitions.map((p) => p.offset)).toEqual(['3']);
  });

  it('fails on the certificate with the system CAs only, within a bound', async () => {
    const topic = await filledTopic('system-cas', 1);
    const t0 = Date.now();
    const opened = await rejection(createKafkaSource(tlsConfig(topic, { sslCaFile: null }), context, options).open(AbortSignal.timeout(25_000)));
    expect(Date.now() - t0).toBeLessThan(25_000);
    expect(opened).toBeInstanceOf(TributaryError);
    expect((opened as Error).message).toMatch(/certificate|TLS|SSL/i);
  });

  it('connects without the CA when rejectUnauthorized is false', async () => {
    const topic = await filledTopic('no-verify', 2);
    const values = await consume(tlsConfig(topic, { sslCaFile: null, sslRejectUnauthorized: false }), 2);
    expect(values).toEqual(['message-0', 'message-1']);
  });

  it('refuses an unreadable CA file with CONFIG_INVALID naming the path', () => {
    const missing = `/nonexistent/tributary-${run}/ca.pem`;
    let thrown: unknown;
    try {
      createKafkaSource(tlsConfig('unused', { sslCaFile: missing }), context, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((thrown as Error).message).toContain(missing);
  });
});
