// KafkaSource with SASL against the real broker's SASL_PLAINTEXT listener (test/services/kafka.ts): PLAIN,
// SCRAM-SHA-256 and SCRAM-SHA-512 consume and commit; a wrong password fails fast with a non-retryable
// SOURCE_READ_FAILED; and no password — right or wrong — ever reaches a log line (captured at trace level, so
// kafkajs's own debug output is included) or an error message. Topics are created and filled over PLAINTEXT; each
// test has its own topic and consumer group.

import { rejection } from '../support/rejection.ts';
import { isPortOpen } from '../services/common.ts';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { pino } from 'pino';
import { createKafkaSource, type KafkaRunOptions } from '../../connectors/kafka/index.js';
import { consumeKafka } from './helpers/kafka-engine.js';
import type { KafkaSourceConfig, SourceContext } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import { KAFKA_SASL_TEST_USER, readEndpoints } from '../services/endpoints.ts';

// kafkajs 2.2.4 calls setTimeout with negative delays (TimeoutNegativeWarning under Node 24): harmless, hidden.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

type Mechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const { username, password } = KAFKA_SASL_TEST_USER;
/** Distinctive, so a leak cannot hide behind a common word. */
const wrongPassword = `wrong-pw-${run}`;
const kafka = new Kafka({ clientId: 'kafka-security-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const topics: string[] = [];
let admin: Admin;
let producer: Producer;

/** Every line the sources log, at trace level (kafkajs DEBUG included). */
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer | string, _encoding, callback) {
    logLines.push(...String(chunk).split('\n').filter((line) => line !== ''));
    callback();
  },
});
const context: SourceContext = {
  pipeline: 'kafka-security-test',
  logger: pino({ level: 'trace' }, logStream),
  now: Date.now,
  functionTimeoutMs: 30_000,
  batchSize: 100,
  startingPosition: 'TRIM_HORIZON',
  startingPositionTimestampMs: null,
  maximumBatchingWindowMs: 50,
};
const options: KafkaRunOptions = { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 100, maximumBatchingWindowMs: 50 };

function saslConfig(topic: string, mechanism: Mechanism, secret: string): KafkaSourceConfig {
  return {
    type: 'kafka',
    bootstrapServers: [...endpoints.kafkaSaslBrokers],
    topics: [topic],
    consumerGroupId: topic,
    clusterArn: null,
    ssl: false,
    sasl: { mechanism, username, password: secret },
  };
}

/** A topic with `count` messages, written over PLAINTEXT. */
async function filledTopic(suffix: string, count: number): Promise<string> {
  const topic = `kafka-security-${suffix}-${run}`;
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

/** Everything an error exposes as text: message, stack, and the same for each cause. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) {
      parts.push(current.name, current.message, current.stack ?? '');
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join('\n');
}

/** `host:port` answers on TCP (the harness's check, for a broker string). */
function brokerListening(broker: string): Promise<boolean> {
  const i = broker.lastIndexOf(':');
  return isPortOpen(broker.slice(0, i), Number(broker.slice(i + 1)), 1_000);
}

describe('KafkaSource with SASL (real broker)', () => {
  beforeAll(async () => {
    const sasl = endpoints.kafkaSaslBrokers[0] ?? '';
    if (!(await brokerListening(sasl))) {
      // The harness reuses a broker that already answers on PLAINTEXT; one started before the SASL listener existed
      // has no such port.
      throw new Error(`no Kafka SASL_PLAINTEXT listener on ${sasl}: restart the test broker (npm run services:stop kafka)`);
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

  it.each<Mechanism>(['plain', 'scram-sha-256', 'scram-sha-512'])('consumes and commits with SASL %s', async (mechanism) => {
    const topic = await filledTopic(mechanism, 5);
    const values = await consume(saslConfig(topic, mechanism, password), 5);
    expect(values).toEqual(['message-0', 'message-1', 'message-2', 'message-3', 'message-4']);
    const committed = await admin.fetchOffsets({ groupId: topic, topics: [topic] });
    expect(committed[0]?.partitions.map((p) => p.offset)).toEqual(['5']);
    // kafkajs's debug line proves the connection really authenticated with this mechanism (and that trace is captured).
    const label = mechanism === 'plain' ? 'SASL PLAIN' : `SASL SCRAM ${mechanism === 'scram-sha-256' ? 'SHA256' : 'SHA512'}`;
    expect(logLines.some((line) => line.includes(`${label} authentication successful`))).toBe(true);
  });

  it.each<Mechanism>(['plain', 'scram-sha-512'])('refuses a wrong password with SASL %s: SOURCE_READ_FAILED, not retried', async (mechanism) => {
    const topic = await filledTopic(`wrong-${mechanism}`, 1);

    const opened = await rejection(createKafkaSource(saslConfig(topic, mechanism, wrongPassword), context, options).open(AbortSignal.timeout(15_000)));
    expect(opened).toBeInstanceOf(TributaryError);
    expect(opened).toMatchObject({ code: 'SOURCE_READ_FAILED', retryable: false });
    expect((opened as Error).message).toMatch(/refused the SASL credentials/);

    // run() gives up at once too (no back-off loop on credentials that cannot start working).
    const source = createKafkaSource(saslConfig(topic, mechanism, wrongPassword), context, options);
    const stop = new AbortController();
    const t0 = Date.now();
    try {
      const failed = await rejection(source.run({ assigned: () => undefined, health: () => undefined }, AbortSignal.any([stop.signal, AbortSignal.timeout(20_000)])));
      expect(failed).toMatchObject({ code: 'SOURCE_READ_FAILED', retryable: false });
      expect(Date.now() - t0).toBeLessThan(15_000);
      for (const error of [opened, failed]) {
        expect(errorText(error)).not.toContain(wrongPassword);
        expect(errorText(error)).not.toContain(password);
      }
    } finally {
      stop.abort();
      await source.close();
    }
    expect(logLines.some((line) => line.includes('authentication failed'))).toBe(true);
  });

  it('never logs a password (every line above, trace level)', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const leaks = logLines.filter((line) => line.includes(password) || line.includes(wrongPassword));
    expect(leaks).toEqual([]);
  });
});
