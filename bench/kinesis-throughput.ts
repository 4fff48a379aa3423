/**
 * Kinesis throughput: Tributary (pipeline, no-op handler, batchSize 1,000, file checkpoints) against the raw SDK
 * loop (GetShardIterator TRIM_HORIZON → GetRecords until the end, one loop per shard) on the same kinesis-local,
 * same stream contents, same run. Reports records/s and the ratio.
 *
 *   npm run bench:kinesis           BENCH_RECORDS=20000 BENCH_ROUNDS=5 npm run bench:kinesis
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type * as Tributary from '../src/index.js';
import type * as Logging from '../src/observability/logger.js';
import { ensureStarted, stopStarted } from '../test/services/harness.ts';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, listShards, putAll } from '../test/integration/helpers/kinesis.ts';
import { uniqueName } from '../test/integration/helpers/sqs.ts';

// The built package (npm run bench:kinesis builds first): Node runs this file directly.
const { createService } = (await import(new URL('../dist/src/index.js', import.meta.url).href)) as typeof Tributary;
const { silentLogger } = (await import(new URL('../dist/src/observability/logger.js', import.meta.url).href)) as typeof Logging;

const RECORDS = Number(process.env['BENCH_RECORDS'] ?? '10000');
const SHARDS = 2;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? '3');

async function fill(client: KinesisClient): Promise<string> {
  const name = uniqueName('bench');
  await createStream(client, name, SHARDS);
  await putAll(client, name, Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i % 64}`, data: JSON.stringify({ n: i, pad: 'x'.repeat(200) }) })));
  return name;
}

async function rawClient(client: KinesisClient, stream: string): Promise<number> {
  const started = performance.now();
  let read = 0;
  await Promise.all(
    (await listShards(client, stream)).map(async (shard) => {
      let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (iterator !== undefined && read < RECORDS) {
        const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        read += result.Records?.length ?? 0;
        iterator = result.NextShardIterator;
        if ((result.Records?.length ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }),
  );
  return RECORDS / ((performance.now() - started) / 1000);
}

async function tributary(stream: string): Promise<number> {
  let handled = 0;
  const service = createService(
    {
      server: { enabled: false },
      checkpoints: { type: 'file', path: join(mkdtempSync(join(tmpdir(), 'tributary-bench-')), 'checkpoints') },
      pipelines: [
        {
          name: 'bench',
          source: { type: 'kinesis', streamName: stream, endpoint: kinesisEndpoint(), region: 'us-east-1' },
          function: async (event: unknown) => {
            handled += (event as { Records: unknown[] }).Records.length;
            return {};
          },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 1000,
        },
      ],
    },
    { logger: silentLogger() },
  );
  const started = performance.now();
  await service.start();
  while (handled < RECORDS) await new Promise((resolve) => setTimeout(resolve, 5));
  const rate = RECORDS / ((performance.now() - started) / 1000);
  await service.stop();
  return rate;
}

async function main(): Promise<void> {
  const services = await ensureStarted(['kinesis']);
  const client = kinesisClient();
  const streams: string[] = [];
  try {
    const raw: number[] = [];
    const ours: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const a = await fill(client);
      const b = await fill(client);
      streams.push(a, b);
      // Alternate which goes first, so warm-up favours neither.
      if (round % 2 === 1) {
        raw.push(await rawClient(client, a));
        ours.push(await tributary(b));
      } else {
        ours.push(await tributary(b));
        raw.push(await rawClient(client, a));
      }
      process.stdout.write(`round ${round}: raw ${raw.at(-1)?.toFixed(0)} rec/s, tributary ${ours.at(-1)?.toFixed(0)} rec/s\n`);
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    const r = median(raw);
    const t = median(ours);
    process.stdout.write(
      `Kinesis on kinesis-local, ${RECORDS} records over ${SHARDS} shards, median of ${ROUNDS}: raw client ${r.toFixed(0)} rec/s, ` +
        `tributary ${t.toFixed(0)} rec/s, ratio ${(t / r).toFixed(2)}\n`,
    );
  } finally {
    await Promise.all(streams.map((s) => deleteStream(client, s)));
    client.destroy();
    await stopStarted(services.started);
  }
}

await main();
