/**
 * Lambda's Kinesis event source mapping semantics, end to end against real kinesis-local, with file checkpoints.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TributaryService } from '../../src/index.js';
import { streamService } from './helpers/stream-service.ts';
import { createStream, decode, deleteStream, kinesisClient, kinesisEndpoint, listShards, putAll, splitShard, type KinesisEventRecord } from './helpers/kinesis.ts';
import { uniqueName } from './helpers/sqs.ts';
import { delay, waitFor } from './helpers/wait.ts';

let client: KinesisClient;
const streams: string[] = [];
const services: TributaryService[] = [];

beforeAll(() => {
  client = kinesisClient();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(streams.map((s) => deleteStream(client, s)));
  client.destroy();
});

async function stream(shards: number): Promise<string> {
  const name = uniqueName('ks');
  streams.push(name);
  await createStream(client, name, shards);
  return name;
}

function service(streamName: string, handler: (event: { Records: KinesisEventRecord[] }) => unknown, pipeline: Record<string, unknown> = {}, dir?: string): TributaryService {
  const source = { type: 'kinesis', streamName, endpoint: kinesisEndpoint(), region: 'us-east-1' };
  const s = streamService({ name: 'ks', source, handler, pipeline, ...(dir === undefined ? {} : { dir }) });
  services.push(s);
  return s;
}

describe('Kinesis pipeline', () => {
  it('keeps per-partition-key order with parallelizationFactor 4 over 4 shards', async () => {
    const name = await stream(4);
    const keys = 120;
    const perKey = 25;
    const records = Array.from({ length: keys * perKey }, (_, i) => ({ key: `key-${i % keys}`, data: JSON.stringify({ k: `key-${i % keys}`, n: Math.floor(i / keys) }) }));
    await putAll(client, name, records);
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let peak = 0;
    let total = 0;
    const s = service(name, async (event) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await delay(50); // long enough that concurrent key lanes overlap even on a loaded machine
      for (const record of event.Records) {
        const { k, n } = JSON.parse(decode(record)) as { k: string; n: number };
        seen.set(k, [...(seen.get(k) ?? []), n]);
      }
      total += event.Records.length;
      inFlight -= 1;
      return {};
    }, { parallelizationFactor: 4 });
    await s.start();
    await waitFor(() => total >= records.length, 60_000, 'every record');
    expect(seen.size).toBe(keys);
    for (const [, ns] of seen) expect(ns).toEqual(Array.from({ length: perKey }, (_, i) => i));
    expect(peak).toBeGreaterThan(4); // more than one batch per shard in flight: sub-lanes ran concurrently
    expect(peak).toBeLessThanOrEqual(16);
  });

  it('isolates one poison record with bisect on and maximumRetryAttempts 2; the rest of the shard is processed', async () => {
    const name = await stream(1);
    const dir = mkdtempSync(join(tmpdir(), 'tributary-ks-'));
    const failedFile = join(dir, 'failed.jsonl');
    const bodies = Array.from({ length: 64 }, (_, i) => (i === 37 ? 'POISON' : `ok-${i}`));
    const sequences = await putAll(client, name, bodies.map((data) => ({ key: 'k', data })));
    const handled: string[] = [];
    let poisonInvocations = 0;
    const s = service(name, (event) => {
      const data = event.Records.map(decode);
      if (data.includes('POISON')) {
        if (data.length === 1) poisonInvocations += 1;
        throw new Error('poison in batch');
      }
      handled.push(...data);
      return {};
    }, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: `file://${failedFile}` } } }, dir);
    await s.start();
    await waitFor(() => handled.length >= 63 && existsSync(failedFile), 60_000, 'the shard to be processed and the poison discarded');
    const lines = readFileSync(failedFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, Record<string, unknown>>;
    expect(record['requestContext']).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
    expect(record['responseContext']).toMatchObject({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record['KinesisBatchInfo']).toMatchObject({ batchSize: 1, startSequenceNumber: sequences[37], endSequenceNumber: sequences[37] });
    expect(record['KinesisBatchInfo']?.['streamArn']).toMatch(new RegExp(`:stream/${name}$`));
    expect(poisonInvocations).toBe(3);
    expect(handled.sort()).toEqual(bodies.filter((b) => b !== 'POISON').sort());
  });

  /** The emulator's ApproximateArrivalTimestamp (epoch ms) of the record `data` in the stream's one shard. */
  async function arrivalOf(name: string, data: string): Promise<number> {
    const [shard] = await listShards(client, name);
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    for (let page = 0; iterator !== undefined && page < 20; page += 1) {
      const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const found = (result.Records ?? []).find((r) => Buffer.from(r.Data ?? new Uint8Array()).toString('utf8') === data);
      if (found?.ApproximateArrivalTimestamp !== undefined) return found.ApproximateArrivalTimestamp.getTime();
      iterator = result.NextShardIterator;
    }
    throw new Error(`no record ${data} in ${name}`);
  }

  it('starts AT_TIMESTAMP where it should', async () => {
    const name = await stream(1);
    await putAll(client, name, [{ key: 'a', data: 'before-1' }, { key: 'a', data: 'before-2' }]);
    // The emulator's clock (kinesis-local keeps time with the process's monotonic clock, which can fall behind the
    // wall clock on a busy VM): its arrival time of before-2 against ours, taken after the put.
    const skewMs = (await arrivalOf(name, 'before-2')) - Date.now();
    await delay(1200);
    const atSeconds = Math.ceil((Date.now() + skewMs) / 1000); // startingPositionTimestamp is in whole Unix seconds
    await delay(atSeconds * 1000 - (Date.now() + skewMs) + 300);
    await putAll(client, name, [{ key: 'a', data: 'after-1' }, { key: 'b', data: 'after-2' }]);
    const seen: string[] = [];
    const s = service(name, (event) => {
      seen.push(...event.Records.map(decode));
      return {};
    }, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: atSeconds });
    await s.start();
    await waitFor(() => seen.length >= 2, 20_000, 'records after the timestamp');
    await delay(1500);
    expect(seen).toEqual(['after-1', 'after-2']);
  });

  it('after a shard split, parents finish before children start; nothing lost; per-key order kept', async () => {
    const name = await stream(1);
    const keys = 20;
    const phase = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ key: `k${(from + i) % keys}`, data: JSON.stringify({ k: `k${(from + i) % keys}`, n: Math.floor((from + i) / keys) }) }));
    await putAll(client, name, phase(0, 400));
    const seen = new Map<string, number[]>();
    const firstByShard = new Map<string, number>();
    const lastByShard = new Map<string, number>();
    let total = 0;
    let clock = 0;
    const s = service(name, async (event) => {
      clock += 1;
      const shard = event.Records[0]?.eventID.split(':')[0] ?? '';
      if (!firstByShard.has(shard)) firstByShard.set(shard, clock);
      lastByShard.set(shard, clock);
      await delay(20);
      for (const record of event.Records) {
        const { k, n } = JSON.parse(decode(record)) as { k: string; n: number };
        seen.set(k, [...(seen.get(k) ?? []), n]);
      }
      total += event.Records.length;
      return {};
    }, { batchSize: 25 });
    await s.start();
    await waitFor(() => total >= 50, 20_000, 'the parent shard to be in progress');
    const [parent] = await listShards(client, name);
    if (parent === undefined) throw new Error('no shard');
    await splitShard(client, name, parent);
    await putAll(client, name, phase(400, 400));
    await waitFor(() => total >= 800, 60_000, 'every record, across the split');
    const children = (await listShards(client, name)).filter((shard) => shard.ParentShardId === parent.ShardId).map((shard) => shard.ShardId ?? '');
    expect(children).toHaveLength(2);
    const parentLast = lastByShard.get(parent.ShardId ?? '') ?? Infinity;
    for (const child of children) expect(firstByShard.get(child) ?? 0).toBeGreaterThan(parentLast);
    for (const [, ns] of seen) expect(ns).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('tumbling windows carry state between invocations and end with a final invocation', async () => {
    const name = await stream(1);
    const windowMs = 2000;
    // Start just after a window boundary so each burst lands in one window.
    await delay(windowMs - (Date.now() % windowMs) + 100);
    await putAll(client, name, Array.from({ length: 30 }, (_, i) => ({ key: 'a', data: `w1-${i}` })));
    await delay(windowMs - (Date.now() % windowMs) + 100);
    await putAll(client, name, Array.from({ length: 12 }, (_, i) => ({ key: 'a', data: `w2-${i}` })));
    interface WindowEvent {
      Records: KinesisEventRecord[];
      window: { start: string; end: string };
      state: { count?: number };
      shardId: string;
      isFinalInvokeForWindow: boolean;
      isWindowTerminatedEarly: boolean;
    }
    const events: WindowEvent[] = [];
    const s = service(name, (raw) => {
      const event = raw as unknown as WindowEvent;
      events.push(structuredClone(event));
      return { state: { count: (event.state.count ?? 0) + event.Records.length }, batchItemFailures: [] };
    }, { tumblingWindowInSeconds: 2, batchSize: 10 });
    await s.start();
    await waitFor(() => events.filter((e) => e.isFinalInvokeForWindow).length >= 2, 30_000, 'two windows to close');
    const finals = events.filter((e) => e.isFinalInvokeForWindow);
    expect(finals.map((f) => f.state.count)).toEqual([30, 12]);
    for (const f of finals) {
      expect(f.Records).toEqual([]);
      expect(f.isWindowTerminatedEarly).toBe(false);
      expect(Date.parse(f.window.end) - Date.parse(f.window.start)).toBe(windowMs);
      expect(Date.parse(f.window.start) % windowMs).toBe(0);
    }
    const firstWindow = events.filter((e) => !e.isFinalInvokeForWindow && e.window.start === finals[0]?.window.start);
    expect(firstWindow.length).toBe(3); // 30 records, batches of 10
    expect(firstWindow.map((e) => e.state.count ?? 0)).toEqual([0, 10, 20]);
    expect(Object.keys(events[0] ?? {})).toEqual(['Records', 'window', 'state', 'shardId', 'eventSourceARN', 'isFinalInvokeForWindow', 'isWindowTerminatedEarly']);
  });
});
