// KinesisSource against the real kinesis-local (test/services): shard listing and lineage, the four start
// positions, in-order reads per shard, SHARD_END after a split, the two parents of a merge. Setup (streams,
// puts, resharding) goes through the SDK directly; everything under test goes through the connector.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListShardsCommand,
  MergeShardsCommand, PutRecordsCommand, SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import type { Shard } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { pino } from 'pino';
import { kinesisConnector } from '../../connectors/kinesis/index.js';
import { KinesisApi } from '../../connectors/kinesis/client.js';
import { userRecordPosition } from '../../connectors/kinesis/position.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import type { ShardReader, SourceContext, SourceRecord, StreamSource } from '../../src/connector/index.js';
import { AWS_REGION, AWS_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';
import { delay, waitFor } from './helpers/wait.js';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const admin = new KinesisClient({
  region: AWS_REGION,
  endpoint: endpoints.kinesis,
  credentials: AWS_TEST_CREDENTIALS,
  requestHandler: new NodeHttpHandler(),
});
const context: SourceContext = {
  pipeline: 'kinesis-source-test',
  logger: pino({ level: 'silent' }),
  now: Date.now,
  functionTimeoutMs: 3_000,
  batchSize: 100,
  startingPosition: 'TRIM_HORIZON',
  startingPositionTimestampMs: null,
  maximumBatchingWindowMs: 0,
};
const streams: string[] = [];
const opened: StreamSource[] = [];

const signal = (): AbortSignal => AbortSignal.timeout(20_000);
const text = (r: SourceRecord): string => Buffer.from(r.filterPayload as Uint8Array).toString('utf8');

function sourceConfig(overrides: Partial<KinesisSourceConfig>): KinesisSourceConfig {
  return { type: 'kinesis', streamName: null, streamArn: null, region: AWS_REGION, endpoint: endpoints.kinesis, ...overrides };
}

async function waitActive(streamName: string): Promise<void> {
  await waitFor(async () => {
    const { StreamDescriptionSummary } = await admin.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, 30_000, `stream ${streamName} ACTIVE`);
}

async function createStream(suffix: string, shardCount: number): Promise<{ name: string; shards: Shard[] }> {
  const name = `kinesis-source-${suffix}-${run}`;
  streams.push(name);
  await admin.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  await waitActive(name);
  const { Shards } = await admin.send(new ListShardsCommand({ StreamName: name }));
  return { name, shards: Shards ?? [] };
}

async function openSource(config: KinesisSourceConfig): Promise<StreamSource> {
  const source = await kinesisConnector.create(config, context);
  if (source.kind !== 'stream') throw new Error('expected a stream source');
  opened.push(source);
  await source.open(signal());
  return source;
}

/** Puts `payloads` in order into the shard owning `hashKey`; returns their sequence numbers. */
async function put(streamName: string, hashKey: string, payloads: readonly string[]): Promise<string[]> {
  const result = await admin.send(new PutRecordsCommand({
    StreamName: streamName,
    Records: payloads.map((p, i) => ({ Data: Buffer.from(p), PartitionKey: `pk-${i}`, ExplicitHashKey: hashKey })),
  }));
  expect(result.FailedRecordCount ?? 0).toBe(0);
  return (result.Records ?? []).map((r) => r.SequenceNumber ?? '');
}

/** Reads until `count` records came back or the shard ended; pages of `pageSize` to exercise several GetRecords. */
async function readUntil(reader: ShardReader, count: number, pageSize = 4): Promise<{ records: SourceRecord[]; shardEnd: boolean }> {
  const records: SourceRecord[] = [];
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await reader.read(pageSize, signal());
    records.push(...result.records);
    if (result.shardEnd) return { records, shardEnd: true };
    if (records.length >= count) return { records, shardEnd: false };
    if (Date.now() > deadline) throw new Error(`read ${records.length} of ${count} records before the deadline`);
    if (result.records.length === 0) await delay(50);
  }
}

function hashKeyOf(shard: Shard | undefined): string {
  const key = shard?.HashKeyRange?.StartingHashKey;
  if (key === undefined) throw new Error('shard without a hash key range');
  return key;
}

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await Promise.all(streams.map((name) => admin.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true })).catch(() => undefined)));
  admin.destroy();
});

describe('KinesisSource (kinesis-local)', () => {
  let stream: { name: string; shards: Shard[] };
  let source: StreamSource;
  const shardIds: string[] = [];
  const putSequences: string[][] = [[], []];

  beforeAll(async () => {
    stream = await createStream('main', 2);
    shardIds.push(...stream.shards.map((s) => s.ShardId ?? ''));
    source = await openSource(sourceConfig({ streamName: stream.name }));
  });

  it('resolves the stream ARN and its region on open()', async () => {
    const { StreamDescriptionSummary } = await admin.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
    expect(source.sourceArn).toBe(StreamDescriptionSummary?.StreamARN);
    expect(source.sourceArn).toMatch(new RegExp(`^arn:aws:kinesis:${AWS_REGION}:\\d{12}:stream/${stream.name}$`));
    expect(source.idlePollIntervalMs).toBe(1000);
    expect(source.capabilities).toEqual({ ordering: 'per-shard', maxBatchSize: 10_000, pageSize: 10_000 });
    expect(source.region).toBe(AWS_REGION);
    expect(source.retentionMs).toBe(24 * 3_600_000);
  });

  it('lists both shards, open and without parents', async () => {
    const shards = await source.listShards(signal());
    expect(shards).toEqual(shardIds.map((shardId) => ({ shardId, parentShardIds: [], closed: false })));
  });

  it('reads everything from TRIM_HORIZON, in order per shard, as exact Lambda records', async () => {
    for (const [s, shard] of stream.shards.entries()) {
      putSequences[s] = await put(stream.name, hashKeyOf(shard), Array.from({ length: 10 }, (_, i) => JSON.stringify({ s, i })));
    }
    const before = Date.now();
    for (const [s, shardId] of shardIds.entries()) {
      const reader = await source.openReader(shardId, { kind: 'TRIM_HORIZON' }, signal());
      const { records, shardEnd } = await readUntil(reader, 10);
      await reader.close();
      expect(shardEnd).toBe(false);
      expect(records.map(text)).toEqual(Array.from({ length: 10 }, (_, i) => JSON.stringify({ s, i })));
      expect(records.map((r) => r.id)).toEqual(putSequences[s]);
      for (const [i, r] of records.entries()) {
        // The position extends the sequence number (user records of KPL aggregates, connectors/kinesis/position.ts).
        expect(r).toMatchObject({ shard: shardId, position: userRecordPosition(r.id, null, false), partitionKey: `pk-${i}`, receiveCount: 1 });
        expect(r.arrivedAtMs).toBeGreaterThan(before - 60_000);
        expect(r.arrivedAtMs).toBeLessThanOrEqual(Date.now());
        expect(r.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(r.eventRecord)));
        expect(r.filterPayload).toBeInstanceOf(Uint8Array);
        expect(JSON.stringify(r.eventRecord)).toBe(JSON.stringify({
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: `pk-${i}`,
            sequenceNumber: r.id,
            data: Buffer.from(JSON.stringify({ s, i })).toString('base64'),
            approximateArrivalTimestamp: r.arrivedAtMs / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shardId}:${r.id}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: `arn:aws:iam::${source.sourceArn.split(':')[4] ?? ''}:role/tributary`,
          awsRegion: AWS_REGION,
          eventSourceARN: source.sourceArn,
        }));
      }
      expect(source.toEvent(records.slice(0, 2))).toEqual({ Records: records.slice(0, 2).map((r) => r.eventRecord) });
    }
  });

  it('resumes AFTER a given sequence number (a bare one, as earlier builds stored, or a position)', async () => {
    const after = putSequences[0]?.[6] ?? '';
    for (const position of [after, userRecordPosition(after, null, false)]) {
      const reader = await source.openReader(shardIds[0] ?? '', { kind: 'AFTER', position }, signal());
      const { records } = await readUntil(reader, 3);
      await reader.close();
      expect(records.slice(0, 3).map((r) => r.id)).toEqual(putSequences[0]?.slice(7));
    }
  });

  it('reads from LATEST only the records put after the reader opened', async () => {
    const reader = await source.openReader(shardIds[0] ?? '', { kind: 'LATEST' }, signal());
    const sequences = await put(stream.name, hashKeyOf(stream.shards[0]), ['late-1', 'late-2', 'late-3']);
    const { records } = await readUntil(reader, 3, 100);
    expect(records.map(text)).toEqual(['late-1', 'late-2', 'late-3']);
    expect(records.map((r) => r.id)).toEqual(sequences);
    expect((await reader.read(100, signal())).records).toEqual([]);
    await reader.close();
  });

  it('starts AT_TIMESTAMP at the first record that arrived at or after it', async () => {
    const hashKey = hashKeyOf(stream.shards[1]);
    await put(stream.name, hashKey, ['batch-1a', 'batch-1b']);
    await delay(1_500);
    await put(stream.name, hashKey, ['batch-2a', 'batch-2b']);
    // The timestamp on the emulator's clock (its arrival time of batch-2a): kinesis-local keeps time with the process's
    // monotonic clock, which can fall behind the wall clock on a busy VM.
    const everything = await source.openReader(shardIds[1] ?? '', { kind: 'TRIM_HORIZON' }, signal());
    const all: SourceRecord[] = [];
    while (!all.some((r) => text(r) === 'batch-2a')) all.push(...(await readUntil(everything, all.length + 1, 100)).records);
    await everything.close();
    const at = all.find((r) => text(r) === 'batch-2a')?.arrivedAtMs ?? 0;
    const reader = await source.openReader(shardIds[1] ?? '', { kind: 'AT_TIMESTAMP', timestampMs: at }, signal());
    const { records } = await readUntil(reader, 2, 100);
    await reader.close();
    expect(records.map(text)).toEqual(['batch-2a', 'batch-2b']);
    expect(records.every((r) => r.arrivedAtMs >= at)).toBe(true);
  });

  it('opens by streamArn alone (StreamARN parameters) and reads the same records', async () => {
    const byArn = await openSource(sourceConfig({ streamArn: source.sourceArn, region: null }));
    expect(byArn.sourceArn).toBe(source.sourceArn);
    expect((await byArn.listShards(signal())).map((s) => s.shardId)).toEqual(shardIds);
    const reader = await byArn.openReader(shardIds[0] ?? '', { kind: 'TRIM_HORIZON' }, signal());
    const { records } = await readUntil(reader, 10, 100);
    expect(records.slice(0, 10).map((r) => r.id)).toEqual(putSequences[0]);
    await reader.close();
  });

  it('paginates ListShards with NextToken', async () => {
    const api = new KinesisApi({ region: AWS_REGION, endpoint: endpoints.kinesis });
    try {
      const shards = await api.listShards({ streamName: stream.name }, signal(), 1);
      expect(shards.map((s) => s.shardId)).toEqual(shardIds);
    } finally {
      api.close();
    }
  });

  it('refuses a stream that does not exist with SOURCE_NOT_FOUND', async () => {
    await expect(openSource(sourceConfig({ streamName: `missing-${run}` }))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', retryable: false });
  });
});

describe('KinesisSource resharding (kinesis-local)', () => {
  let stream: { name: string; shards: Shard[] };
  let source: StreamSource;

  beforeAll(async () => {
    stream = await createStream('reshard', 2);
    source = await openSource(sourceConfig({ streamName: stream.name }));
  });

  it('closes a split parent, which then ends with SHARD_END after all its records; children name it as parent', async () => {
    const parent = stream.shards[0];
    const parentId = parent?.ShardId ?? '';
    const before = await put(stream.name, hashKeyOf(parent), ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
    const parentReader = await source.openReader(parentId, { kind: 'TRIM_HORIZON' }, signal());
    const head = await parentReader.read(2, signal());
    expect(head).toMatchObject({ shardEnd: false });
    expect(head.records.map(text)).toEqual(['p-1', 'p-2']);

    const start = BigInt(hashKeyOf(parent));
    const end = BigInt(parent?.HashKeyRange?.EndingHashKey ?? '0');
    await admin.send(new SplitShardCommand({ StreamName: stream.name, ShardToSplit: parentId, NewStartingHashKey: ((start + end) / 2n).toString() }));
    await waitActive(stream.name);

    const shards = await source.listShards(signal());
    const children = shards.filter((s) => s.parentShardIds.includes(parentId));
    expect(shards.find((s) => s.shardId === parentId)).toEqual({ shardId: parentId, parentShardIds: [], closed: true });
    expect(children).toHaveLength(2);
    for (const child of children) expect(child).toMatchObject({ parentShardIds: [parentId], closed: false });

    // New records for the parent's hash range go to a child; the parent returns only its own, then ends.
    const after = await put(stream.name, hashKeyOf(parent), ['c-1', 'c-2']);
    const rest = await readUntil(parentReader, 100, 2);
    expect(rest.shardEnd).toBe(true);
    expect(rest.records.map(text)).toEqual(['p-3', 'p-4', 'p-5']);
    expect([...head.records, ...rest.records].map((r) => r.id)).toEqual(before);
    expect(await parentReader.read(10, signal())).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
    await parentReader.close();

    // The child that took over the lower half of the parent's hash range has the new records.
    const { Shards } = await admin.send(new ListShardsCommand({ StreamName: stream.name }));
    const lowerChild = (Shards ?? []).find((s) => s.ParentShardId === parentId && s.HashKeyRange?.StartingHashKey === hashKeyOf(parent));
    const childReader = await source.openReader(lowerChild?.ShardId ?? '', { kind: 'TRIM_HORIZON' }, signal());
    const childRecords = await readUntil(childReader, 2, 100);
    await childReader.close();
    expect(childRecords.records.map((r) => r.id)).toEqual(after);
  });

  it('gives a merged shard both parents', async () => {
    const open = (await source.listShards(signal())).filter((s) => !s.closed);
    const split = open.filter((s) => s.parentShardIds.length === 1);
    expect(split).toHaveLength(2);
    const [left, right] = split;
    await admin.send(new MergeShardsCommand({ StreamName: stream.name, ShardToMerge: left?.shardId ?? '', AdjacentShardToMerge: right?.shardId ?? '' }));
    await waitActive(stream.name);

    const shards = await source.listShards(signal());
    const merged = shards.filter((s) => s.parentShardIds.length === 2);
    expect(merged).toEqual([{ shardId: expect.any(String) as string, parentShardIds: [left?.shardId, right?.shardId], closed: false }]);
    expect(shards.filter((s) => s.shardId === left?.shardId || s.shardId === right?.shardId).every((s) => s.closed)).toBe(true);
  });
});
