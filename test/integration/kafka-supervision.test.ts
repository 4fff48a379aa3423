// A Kafka pipeline whose source goes away for good — its topic deleted on the real broker — is Failed and /readyz
// answers 503 naming it within the supervisor's budget; recreating the topic recovers it by itself (issue 11). Before
// the lane engine, the group source only recorded the error: the pipeline stayed Enabled and /readyz 200.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { createService, type TributaryService } from '../../src/index.js';
import { readEndpoints } from '../services/endpoints.ts';
import { waitFor } from './helpers/wait.js';

process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const endpoints = readEndpoints();
const topic = `kafka-supervision-${Date.now()}-${process.pid}`;
const kafka = new Kafka({ clientId: 'kafka-supervision-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
let admin: Admin;
let service: TributaryService | null = null;

const BUDGET_MS = 4_000;

async function readyz(url: string): Promise<{ status: number; body: { ready: boolean; pipelines: { name: string; state: string }[] } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { ready: boolean; pipelines: { name: string; state: string }[] } };
}

describe('Kafka source supervision (real broker)', () => {
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await service?.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('a deleted topic makes the pipeline Failed and /readyz 503 within the budget; the recreated topic recovers it', async () => {
    const handled: string[] = [];
    service = createService(
      {
        server: { host: '127.0.0.1', port: 0 },
        logLevel: 'silent',
        pipelines: [
          {
            name: 'orders',
            source: { type: 'kafka', bootstrapServers: [...endpoints.kafkaBrokers], topics: [topic] },
            startingPosition: 'TRIM_HORIZON',
            function: async (event: { records: Record<string, { value?: string }[]> }) => {
              for (const list of Object.values(event.records)) handled.push(...list.map((r) => Buffer.from(r.value ?? '', 'base64').toString()));
              return {};
            },
          },
        ],
      },
      { failureBudgetMs: BUDGET_MS },
    );
    await service.start();
    await service.whenSettled();
    const url = service.url ?? '';
    expect((await readyz(url)).status).toBe(200);

    await admin.deleteTopics({ topics: [topic] });
    await waitFor(async () => (await readyz(url)).status === 503, 60_000, '/readyz 503');
    const { body } = await readyz(url);
    expect(body).toMatchObject({ ready: false, pipelines: [{ name: 'orders', state: 'Failed' }] });
    const status = service.pipelines[0]?.status();
    expect(status?.retrying).toBe(true);
    expect(status?.failing?.component).toBe('consumer group');

    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await waitFor(async () => (await readyz(url)).status === 200, 90_000, '/readyz 200 again');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'after' }] });
    await producer.disconnect();
    await waitFor(() => handled.includes('after'), 60_000, 'a record produced after the recovery');
  }, 240_000);
});

describe('Kafka source missing at start (real broker)', () => {
  it('a topic created after the pipeline started is picked up: retried with back-off, visible in /status, then consumed', async () => {
    const late = `kafka-supervision-late-${Date.now()}-${process.pid}`;
    const lateAdmin = kafka.admin();
    await lateAdmin.connect();
    const handled: string[] = [];
    const s = createService(
      {
        server: { enabled: false },
        logLevel: 'silent',
        pipelines: [
          {
            name: 'late',
            source: { type: 'kafka', bootstrapServers: [...endpoints.kafkaBrokers], topics: [late] },
            startingPosition: 'TRIM_HORIZON',
            function: async (event: { records: Record<string, { value?: string }[]> }) => {
              for (const list of Object.values(event.records)) handled.push(...list.map((r) => Buffer.from(r.value ?? '', 'base64').toString()));
              return {};
            },
          },
        ],
      },
      { failureBudgetMs: 60_000 },
    );
    try {
      await s.start();
      const pipeline = s.pipelines[0];
      await waitFor(() => pipeline?.status().failing !== null, 30_000, 'the missing topic reported');
      expect(pipeline?.status()).toMatchObject({ state: 'Enabling', lastError: expect.stringContaining(`SOURCE_NOT_FOUND: Kafka topic(s) not found: ${late}`) as string });
      await lateAdmin.createTopics({ topics: [{ topic: late, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: late, messages: [{ value: 'first' }] });
      await producer.disconnect();
      await waitFor(() => handled.includes('first'), 90_000, 'the record of the late topic');
      expect(pipeline?.state).toBe('Enabled');
    } finally {
      await s.stop();
      await lateAdmin.deleteTopics({ topics: [late] }).catch(() => undefined);
      await lateAdmin.disconnect();
    }
  }, 180_000);
});
