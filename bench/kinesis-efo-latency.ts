/**
 * Kinesis delivery latency, enhanced fan-out against standard iterators: the time from a PutRecord to the handler
 * seeing the record, for a steady trickle of records (one every BENCH_INTERVAL_MS), through a Tributary pipeline
 * (batchSize 100, no batching window) reading with GetRecords polling and through a stream consumer with
 * SubscribeToShard — plus the bare subscription (the connector's fan-out API, no engine) as the emulator's floor.
 * Same kinesis-local, same run, one fresh 1-shard stream per mode. Reports p50 / p90 / p99 / max in ms.
 *
 *   npm run build && node bench/kinesis-efo-latency.ts        BENCH_RECORDS=300 BENCH_INTERVAL_MS=50
 *
 * On kinesis-local both modes are bounded by the emulator: its subscriptions look for new records once a second,
 * and Tributary polls an idle shard once a second as Lambda does. On AWS, enhanced fan-out pushes within ~70 ms
 * (https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, PutRecordCommand, RegisterStreamConsumerCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type * as Tributary from '../src/index.js';
import type * as Logging from '../src/observability/logger.js';
import type * as FanOut from '../connectors/kinesis/fanout-api.js';
import { ensureStarted, stopStarted } from '../test/services/harness.ts';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, listShards } from '../test/integration/helpers/kinesis.ts';
import { uniqueName } from '../test/integration/helpers/sqs.ts';

// The built package (npm run build first): Node runs this file directly.
const { createService } = (await import(new URL('../dist/src/index.js', import.meta.url).href)) as typeof Tributary;
const { silentLogger } = (await import(new URL('../dist/src/observability/logger.js', import.meta.url).href)) as typeof Logging;
const { FanOutApi } = (await import(new URL('../dist/connectors/kinesis/fanout-api.js', import.meta.url).href)) as typeof FanOut;

const RECORDS = Number(process.env['BENCH_RECORDS'] ?? '200');
const INTERVAL_MS = Number(process.env['BENCH_INTERVAL_MS'] ?? '50');
const REGION = 'us-east-1';

type Mode = 'polling' | 'fan-out' | 'bare subscription';

/** Puts RECORDS records one at a time, each carrying the time it was sent. */
async function produce(client: KinesisClient, stream: string): Promise<void> {
  for (let n = 0; n < RECORDS; n += 1) {
    await client.send(new PutRecordCommand({ StreamName: stream, PartitionKey: `k${n % 8}`, Data: Buffer.from(JSON.stringify({ n, sentAt: Date.now() })) }));
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
}

function latencyOf(data: Uint8Array | string, receivedAt: number): number {
  const text = typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data).toString('utf8');
  return receivedAt - (JSON.parse(text) as { sentAt: number }).sentAt;
}

async function throughPipeline(client: KinesisClient, stream: string, mode: 'polling' | 'fan-out'): Promise<number[]> {
  const latencies: number[] = [];
  const service = createService(
    {
      server: { enabled: false },
      checkpoints: { type: 'file', path: join(mkdtempSync(join(tmpdir(), 'tributary-efo-bench-')), 'checkpoints') },
      pipelines: [
        {
          name: 'latency',
          source: { type: 'kinesis', streamName: stream, endpoint: kinesisEndpoint(), region: REGION, ...(mode === 'fan-out' ? { consumerName: 'bench' } : {}) },
          function: (event: unknown) => {
            const now = Date.now();
            for (const record of (event as { Records: { kinesis: { data: string } }[] }).Records) latencies.push(latencyOf(record.kinesis.data, now));
            return {};
          },
          startingPosition: 'LATEST',
          batchSize: 100,
        },
      ],
    },
    { logger: silentLogger() },
  );
  await service.start();
  // Let the shard's reader open (and subscribe) before the first put: LATEST starts from there.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await produce(client, stream);
  while (latencies.length < RECORDS) await new Promise((resolve) => setTimeout(resolve, 20));
  await service.stop();
  return latencies;
}

async function bareSubscription(client: KinesisClient, stream: string): Promise<number[]> {
  const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
  const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: StreamDescriptionSummary?.StreamARN, ConsumerName: 'bare' }));
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // kinesis-local registers in 10 ms; AWS takes seconds
  const [shard] = await listShards(client, stream);
  const api = new FanOutApi({ region: REGION, endpoint: kinesisEndpoint() });
  const abort = new AbortController();
  const latencies: number[] = [];
  const reading = (async () => {
    const subscription = await api.subscribe(Consumer?.ConsumerARN ?? '', shard?.ShardId ?? '', { type: 'LATEST' }, abort.signal);
    for await (const event of subscription) {
      const now = Date.now();
      for (const record of event.records) latencies.push(latencyOf(record.data, now));
      if (latencies.length >= RECORDS) return;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await produce(client, stream);
  await reading;
  abort.abort();
  api.close();
  return latencies;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function summary(mode: Mode, latencies: readonly number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  const cells = [percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.at(-1) ?? 0].map((x) => x.toFixed(0).padStart(6));
  return `${mode.padEnd(18)} p50 ${cells[0]}  p90 ${cells[1]}  p99 ${cells[2]}  max ${cells[3]}  mean ${mean.toFixed(0).padStart(6)}  (n=${sorted.length})`;
}

async function main(): Promise<void> {
  const services = await ensureStarted(['kinesis']);
  const client = kinesisClient();
  const streams: string[] = [];
  const fresh = async (): Promise<string> => {
    const name = uniqueName('efo-bench');
    streams.push(name);
    await createStream(client, name, 1);
    return name;
  };
  try {
    const results: [Mode, number[]][] = [];
    results.push(['polling', await throughPipeline(client, await fresh(), 'polling')]);
    results.push(['fan-out', await throughPipeline(client, await fresh(), 'fan-out')]);
    results.push(['bare subscription', await bareSubscription(client, await fresh())]);
    process.stdout.write(`Kinesis delivery latency on kinesis-local (ms, put → handler), ${RECORDS} records, one every ${INTERVAL_MS} ms:\n`);
    for (const [mode, latencies] of results) process.stdout.write(`  ${summary(mode, latencies)}\n`);
  } finally {
    await Promise.all(streams.map((s) => deleteStream(client, s)));
    client.destroy();
    await stopStarted(services.started);
  }
}

await main();
