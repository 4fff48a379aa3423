/**
 * Issue 18 item 9: the per-lane gauges say what this process reads now. Against the real services:
 * - DynamoDB Streams (DynamoDB Local): IteratorAge is the age of the newest record at its invocation, returns to 0
 *   once the shard is idle at its head (it froze at its last value on an idle stream, so an alert never cleared),
 *   and the series of a shard that ended is removed. The service's clock runs an hour ahead, so the age at the
 *   invocation is about 3600 s whatever the machine's speed — no timing in the assertions.
 * - Kafka: a pipeline exports OffsetLag per `partition` and never IteratorAge or a `shard` label; when a second
 *   replica joins the consumer group, the partitions taken from the first disappear from the first's gauges.
 */
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { AWS_REGION } from '../services/endpoints.ts';
import { createStreamTable, deleteTable, dynamodbClient, dynamodbEndpoint, put } from './helpers/dynamodb.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, produce } from './helpers/kafka.ts';
import { uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';
import { untypedPipeline } from '../support/untyped-input.ts';

const HOUR_MS = 3_600_000;
let dir: string;
const services: TributaryService[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-gauges-'));
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function service(name: string, pipeline: Record<string, unknown>, handler: (event: unknown) => unknown, now?: () => number): TributaryService {
  const s = createService(
    {
      server: { enabled: false },
      checkpoints: { type: 'file', path: join(dir, `checkpoints-${name}`) },
      shutdownTimeoutSeconds: 10,
      pipelines: [untypedPipeline({ name, function: { type: 'in-process', handler, timeout: 30 }, startingPosition: 'TRIM_HORIZON', ...pipeline })],
    },
    { logger: silentLogger(), leaseDurationMs: 1_000, ...(now === undefined ? {} : { now }) },
  );
  services.push(s);
  return s;
}

type Series = { labels: Record<string, string | number>; value: number };
async function series(s: TributaryService, metric: string): Promise<Series[]> {
  const found = (await s.metrics.registry.getMetricsAsJSON()).find((m) => m.name === metric);
  return ((found?.values ?? []) as Series[]).filter((v) => v.labels['pipeline'] !== undefined);
}

describe('IteratorAge of a DynamoDB stream (DynamoDB Local)', () => {
  it('is the age at the invocation, 0 once the shard is idle at its head, and gone once the shard ended', async () => {
    const client = dynamodbClient();
    const table = uniqueName('gauges');
    try {
      await createStreamTable(client, table, 'NEW_AND_OLD_IMAGES');
      for (let i = 0; i < 3; i += 1) await put(client, table, { pk: { S: `k${i}` }, sk: { N: '1' } });
      const seenAges: number[] = [];
      const s = service(
        'gauges-ddb',
        { source: { type: 'dynamodb-streams', tableName: table, endpoint: dynamodbEndpoint(), region: AWS_REGION } },
        async () => {
          seenAges.push(...(await series(s, 'tributary_iterator_age_seconds')).map((v) => v.value));
          return {};
        },
        () => Date.now() + HOUR_MS,
      );
      await s.start();
      await waitFor(() => seenAges.length > 0, 60_000, 'the first invocation');
      // During the invocation: the newest record's age, an hour by the service's clock.
      expect(Math.min(...seenAges)).toBeGreaterThan(HOUR_MS / 1000 - 120);
      const idle = async (): Promise<boolean> => {
        const values = await series(s, 'tributary_iterator_age_seconds');
        return values.length === 1 && values[0]?.value === 0;
      };
      await waitFor(idle, 30_000, 'IteratorAge 0 on the idle shard');
      const [shard] = await series(s, 'tributary_iterator_age_seconds');
      expect(shard?.labels).toEqual({ pipeline: 'gauges-ddb', shard: expect.stringMatching(/^shardId-/) });

      // Disabling the stream closes its shards (DynamoDB Local closes them without children): the lane ends.
      await client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }));
      await waitFor(async () => (await series(s, 'tributary_iterator_age_seconds')).length === 0, 60_000, 'the ended shard gone from IteratorAge');
      expect(await series(s, 'tributary_pollers')).toEqual([{ labels: { pipeline: 'gauges-ddb' }, value: 0 }]);
    } finally {
      await deleteTable(client, table);
      client.destroy();
    }
  });
});

describe('what a Kafka pipeline exports', () => {
  it('OffsetLag by partition only, no IteratorAge nor shard label; a partition that moved to another replica leaves its gauge', async () => {
    const kafka = await kafkaTestClient();
    const topic = uniqueName('gauges');
    const group = uniqueName('gauges-group');
    try {
      await createTopic(kafka, topic, 2);
      await produce(kafka, topic, [0, 1].flatMap((partition) => Array.from({ length: 5 }, (_, i) => ({ partition, key: `k${i}`, value: `v${i}` }))));
      const pipeline = { source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: group }, maximumBatchingWindowInSeconds: 0 };
      let handledByFirst = 0;
      const first = service('gauges-kafka', pipeline, (event) => {
        handledByFirst += Object.values((event as { records: Record<string, unknown[]> }).records).flat().length;
        return {};
      });
      await first.start();
      await waitFor(() => handledByFirst >= 10, 60_000, 'every record on the first replica');
      const lagOfBoth = async (): Promise<boolean> => (await series(first, 'tributary_offset_lag')).length === 2;
      await waitFor(lagOfBoth, 30_000, 'an OffsetLag series per partition');
      expect((await series(first, 'tributary_offset_lag')).map((v) => v.labels).sort((a, b) => String(a['partition']).localeCompare(String(b['partition'])))).toEqual([
        { pipeline: 'gauges-kafka', partition: `${topic}-0` },
        { pipeline: 'gauges-kafka', partition: `${topic}-1` },
      ]);
      expect(await series(first, 'tributary_iterator_age_seconds')).toEqual([]);
      const shardLabelled = (await first.metrics.registry.getMetricsAsJSON()).filter((m) => m.name.startsWith('tributary_') && (m.values as Series[]).some((v) => 'shard' in v.labels));
      expect(shardLabelled.map((m) => m.name)).toEqual([]);

      // A second replica in the same group: the rebalance revokes the first replica's partitions, and their gauges go
      // with them (a revoked partition's lag is its new owner's to report; a stale series would be counted twice).
      const second = service('gauges-kafka', pipeline, () => ({}));
      await second.start();
      await waitFor(async () => (await series(first, 'tributary_offset_lag')).length < 2, 60_000, 'the revoked partitions gone from the first replica');
      // A partition reaches the core with its first fetched batch: one more record each, so both replicas read theirs.
      await produce(kafka, topic, [0, 1].map((partition) => ({ partition, key: 'late', value: 'late' })));
      const partitionsOf = async (s: TributaryService): Promise<string[]> => (await series(s, 'tributary_offset_lag')).map((v) => String(v.labels['partition']));
      const split = async (): Promise<boolean> => {
        const [a, b] = [await partitionsOf(first), await partitionsOf(second)];
        const pollers = [(await series(first, 'tributary_pollers'))[0]?.value, (await series(second, 'tributary_pollers'))[0]?.value];
        return a.length === 1 && b.length === 1 && a[0] !== b[0] && pollers.every((p) => p === 1);
      };
      await waitFor(split, 60_000, 'one partition per replica, each exporting only its own');
      expect([...(await partitionsOf(first)), ...(await partitionsOf(second))].sort()).toEqual([`${topic}-0`, `${topic}-1`]);
      // Caught up once the late records are committed: 0, not the last value before.
      const lags = async (): Promise<number[]> => [...(await series(first, 'tributary_offset_lag')), ...(await series(second, 'tributary_offset_lag'))].map((v) => v.value);
      await waitFor(async () => (await lags()).every((lag) => lag === 0), 30_000, 'OffsetLag 0 on both replicas once caught up');
    } finally {
      await Promise.all(services.splice(0).map((s) => s.stop()));
      await kafka.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await kafka.close();
    }
  });
});
