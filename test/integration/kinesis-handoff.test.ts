// Graceful lease hand-over between two instances (KCL 3.x style, issue 19) on kinesis-local with a DynamoDB Local
// lease table: while records flow, a second instance joins; it asks for leases instead of stealing them, each owner
// finishes and checkpoints its batch before the lease moves, so no record is delivered twice. (With the old
// immediate steals the batch in flight when a lease moved was delivered again by the thief.)
import { afterAll, describe, expect, it } from 'vitest';
import { createService, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { readEndpoints } from '../services/endpoints.ts';
import { createStream, decode, deleteStream, kinesisClient, kinesisEndpoint, putAll, type KinesisEventRecord } from './helpers/kinesis.js';
import { delay, waitFor } from './helpers/wait.js';
import { uniqueName } from './helpers/sqs.js';

const client = kinesisClient();
const streams: string[] = [];
const services: TributaryService[] = [];

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  for (const name of streams) await deleteStream(client, name).catch(() => undefined);
});

function instance(stream: string, table: string, workerId: string, deliveries: Map<string, string[]>): TributaryService {
  const s = createService(
    {
      server: { enabled: false },
      checkpoints: { type: 'dynamodb', tableName: table, endpoint: readEndpoints().dynamodb, region: 'us-east-1', leaseDurationSeconds: 2 },
      shutdownTimeoutSeconds: 10,
      pipelines: [
        {
          name: 'handoff',
          source: { type: 'kinesis', streamName: stream, endpoint: kinesisEndpoint(), region: 'us-east-1' },
          function: {
            type: 'in-process',
            timeout: 30,
            handler: async (event: { Records: KinesisEventRecord[] }) => {
              // Long enough that every hand-over meets a batch in flight.
              await delay(150);
              for (const record of event.Records) {
                const value = decode(record);
                deliveries.set(value, [...(deliveries.get(value) ?? []), workerId]);
              }
              return {};
            },
          },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 20,
        },
      ],
    },
    { logger: silentLogger(), workerId },
  );
  services.push(s);
  return s;
}

describe('graceful lease hand-over (kinesis-local + DynamoDB Local)', () => {
  it('a joining instance gets its share of the shards without a single record delivered twice', async () => {
    const stream = uniqueName('handoff');
    streams.push(stream);
    await createStream(client, stream, 4);
    const table = uniqueName('handoff-leases');
    const deliveries = new Map<string, string[]>();
    const produced: string[] = [];
    const produce = async (count: number): Promise<void> => {
      const batch = Array.from({ length: count }, (_, i) => `r${produced.length + i}`);
      produced.push(...batch);
      await putAll(client, stream, batch.map((data, i) => ({ key: `k${(produced.length + i) % 64}`, data })));
    };
    await produce(400);
    const a = instance(stream, table, 'worker-a', deliveries);
    await a.start();
    await waitFor(() => deliveries.size >= 100, 60_000, 'instance a to be busy');
    const b = instance(stream, table, 'worker-b', deliveries);
    await b.start();
    // Records keep arriving while the leases move.
    for (let i = 0; i < 10; i += 1) {
      await produce(60);
      await delay(300);
    }
    await waitFor(() => produced.every((value) => deliveries.has(value)), 90_000, 'every record');
    await waitFor(() => (b.pipelines[0]?.status().lanes ?? 0) >= 2, 60_000, 'instance b to hold its share');
    await produce(100);
    await waitFor(() => produced.every((value) => deliveries.has(value)), 60_000, 'the records after the hand-over');
    const twice = [...deliveries].filter(([, by]) => by.length > 1);
    expect(twice).toEqual([]);
    const byB = [...deliveries.values()].filter((by) => by[0] === 'worker-b').length;
    expect(byB).toBeGreaterThan(0);
    expect(a.pipelines[0]?.status().lanes).toBe(2);
  }, 240_000);
});
