/**
 * Lambda's Kafka event source mapping, end to end against the real Kafka broker.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createService, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startCli } from './helpers/cli.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, produce, readTopic, type KafkaTestClient } from './helpers/kafka.ts';
import { uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';
import { untypedHandler } from '../support/untyped-input.ts';

interface KafkaEvent {
  eventSource: string;
  eventSourceArn?: string;
  bootstrapServers: string;
  records: Record<string, { topic: string; partition: number; offset: number; timestamp: number; timestampType: string; key: string; value: string; headers: unknown[] }[]>;
}

let client: KafkaTestClient;
const services: TributaryService[] = [];

beforeAll(async () => {
  client = await kafkaTestClient();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await client.close();
});

function service(topic: string, handler: (event: KafkaEvent) => unknown, pipeline: Record<string, unknown> = {}): TributaryService {
  const s = createService(
    {
      server: { enabled: false },
      shutdownTimeoutSeconds: 10,
      pipelines: [
        {
          name: uniqueName('kp'),
          source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: uniqueName('group') },
          function: { type: 'in-process', handler: untypedHandler((event) => handler(event as KafkaEvent)), timeout: 30 },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          ...pipeline,
        },
      ],
    },
    { logger: silentLogger() },
  );
  services.push(s);
  return s;
}

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

describe('Kafka pipeline', () => {
  it('handles 3 partitions × 1,000 messages, each once, in order per partition, with the exact event', async () => {
    const topic = uniqueName('orders');
    await createTopic(client, topic, 3);
    const messages = Array.from({ length: 3000 }, (_, i) => ({ partition: i % 3, key: `k${i % 3}`, value: `${i % 3}:${Math.floor(i / 3)}` }));
    await produce(client, topic, messages);
    const seen = new Map<number, number[]>();
    let total = 0;
    let sample: KafkaEvent | null = null;
    const s = service(topic, (event) => {
      sample ??= event;
      for (const [key, records] of Object.entries(event.records)) {
        for (const record of records) {
          expect(key).toBe(`${record.topic}-${record.partition}`);
          const [p, n] = decode(record.value).split(':').map(Number);
          seen.set(p ?? -1, [...(seen.get(p ?? -1) ?? []), n ?? -1]);
          total += 1;
        }
      }
      return {};
    });
    await s.start();
    await waitFor(() => total >= 3000, 60_000, 'every message');
    for (const p of [0, 1, 2]) expect(seen.get(p)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const event = sample as KafkaEvent | null;
    expect(event?.eventSource).toBe('SelfManagedKafka');
    expect(event).not.toHaveProperty('eventSourceArn');
    expect(event?.bootstrapServers).toBe(kafkaBrokers().join(','));
    const first = Object.values(event?.records ?? {})[0]?.[0];
    expect(Object.keys(first ?? {})).toEqual(['topic', 'partition', 'offset', 'timestamp', 'timestampType', 'key', 'value', 'headers']);
    expect(first?.timestampType).toBe('CREATE_TIME');
  });

  it('isolates a poison message to the on-failure topic (with its key and payload); the partition moves on', async () => {
    const topic = uniqueName('payments');
    const dlq = uniqueName('payments-dlq');
    await createTopic(client, topic, 1);
    await createTopic(client, dlq, 1);
    const values = Array.from({ length: 50 }, (_, i) => (i === 17 ? 'POISON' : `ok-${i}`));
    await produce(client, topic, values.map((value, i) => ({ partition: 0, key: `key-${i}`, value })));
    const handled: string[] = [];
    const s = service(topic, (event) => {
      const batch = Object.values(event.records).flat().map((r) => decode(r.value));
      if (batch.includes('POISON')) throw new Error('poison');
      handled.push(...batch);
      return {};
    }, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, batchSize: 20, destinationConfig: { onFailure: { destination: `kafka://${dlq}` } } });
    await s.start();
    await waitFor(() => handled.length >= 49, 60_000, 'the rest of the partition');
    const failures = await readTopic(client, dlq, 1);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.key).toBe('key-17');
    const record = JSON.parse(failures[0]?.value ?? '{}') as { requestContext: Record<string, unknown>; KafkaBatchInfo: Record<string, unknown>; payload: KafkaEvent };
    expect(record.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(record.KafkaBatchInfo).toMatchObject({ batchSize: 1, bootstrapServers: kafkaBrokers().join(','), recordInfo: { offset: '17' } });
    expect(decode(Object.values(record.payload.records)[0]?.[0]?.value ?? '')).toBe('POISON');
    expect(handled.sort()).toEqual(values.filter((v) => v !== 'POISON').sort());
  });

  it('tributary run killed with SIGKILL resumes from committed offsets, losing nothing', async () => {
    const topic = uniqueName('ledger');
    await createTopic(client, topic, 3);
    const values = Array.from({ length: 900 }, (_, i) => `v${i}`);
    await produce(client, topic, values.map((value, i) => ({ partition: i % 3, key: `k${i}`, value })));
    const dir = mkdtempSync(join(tmpdir(), 'tributary-kafka-cli-'));
    mkdirSync(join(dir, 'handlers'));
    writeFileSync(
      join(dir, 'handlers', 'ledger.mjs'),
      `import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  await new Promise((r) => setTimeout(r, 40));
  const values = Object.values(event.records).flat().map((r) => Buffer.from(r.value, 'base64').toString());
  appendFileSync(process.env.LEDGER_FILE, values.map((v) => v + '\\n').join(''));
  return {};
};
`,
    );
    const file = join(dir, 'pipelines.yaml');
    writeFileSync(
      file,
      `server: { enabled: false }
pipelines:
  - name: ledger
    source: { type: kafka, bootstrapServers: ["\${BROKERS}"], topics: ["\${TOPIC}"], consumerGroupId: "\${GROUP}" }
    function: { type: module, handler: ./handlers/ledger.handler, timeout: 10, environment: { LEDGER_FILE: '\${LEDGER_FILE}' } }
    startingPosition: TRIM_HORIZON
    batchSize: 25
`,
    );
    const ledger = join(dir, 'ledger.txt');
    const lines = (): string[] => (existsSync(ledger) ? readFileSync(ledger, 'utf8').split('\n').filter((l) => l !== '') : []);
    const env = { BROKERS: kafkaBrokers()[0] ?? '', TOPIC: topic, GROUP: uniqueName('ledger-group'), LEDGER_FILE: ledger, LOG_LEVEL: 'warn' };
    const first = startCli(['run', '-c', file], env);
    await waitFor(() => lines().length >= 150, 60_000, 'the first 150 messages');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(lines().length).toBeLessThan(values.length);
    const second = startCli(['run', '-c', file], env);
    await waitFor(() => new Set(lines()).size >= values.length, 90_000, 'every message after the restart');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(new Set(lines())).toEqual(new Set(values));
    expect(lines().length - values.length).toBeLessThanOrEqual(3 * 25); // at most one in-flight batch per partition
  });
});
