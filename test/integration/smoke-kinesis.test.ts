// Smoke test of kinesis-local with @aws-sdk/client-kinesis (over HTTP/1.1: the client's default
// HTTP/2 handler fails against emulators): 2-shard stream, PutRecords, ListShards, read it all back.

import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand,
  KinesisClient, ListShardsCommand, PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import type { Shard } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AWS_REGION, AWS_TEST_CREDENTIALS, ENDPOINT_ENV, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const streamName = `smoke-kinesis-${run}`;
const kinesis = new KinesisClient({
  region: AWS_REGION,
  endpoint: endpoints.kinesis,
  credentials: AWS_TEST_CREDENTIALS,
  requestHandler: new NodeHttpHandler(),
});
const RECORDS = 20;

async function waitActive(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream still ${StreamDescriptionSummary?.StreamStatus ?? '?'} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads one shard from TRIM_HORIZON until `expected` records arrived or a read comes back empty at the tip. */
async function readShard(shardId: string, expected: number): Promise<{ data: string; sequenceNumber: string; partitionKey: string }[]> {
  const out: { data: string; sequenceNumber: string; partitionKey: string }[] = [];
  let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({
    StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON',
  }));
  for (let reads = 0; iterator !== undefined && reads < 50; reads++) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const r of page.Records ?? []) {
      out.push({
        data: Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'),
        sequenceNumber: r.SequenceNumber ?? '',
        partitionKey: r.PartitionKey ?? '',
      });
    }
    iterator = page.NextShardIterator;
    if ((page.Records ?? []).length === 0 && out.length >= expected) break;
    if ((page.Records ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return out;
}

describe('Kinesis (client-kinesis against kinesis-local)', () => {
  afterAll(async () => {
    await kinesis.send(new DeleteStreamCommand({ StreamName: streamName, EnforceConsumerDeletion: true })).catch(() => undefined);
    kinesis.destroy();
  });

  it('gets its endpoint from the global setup', () => {
    expect(process.env[ENDPOINT_ENV.kinesis]).toBe(endpoints.kinesis);
  });

  it('creates a 2-shard stream, puts records and reads all of them back per shard', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
    await waitActive();

    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
    const shards: Shard[] = Shards ?? [];
    expect(shards).toHaveLength(2);
    const shardIds = shards.map((s) => s.ShardId ?? '');

    // Pin records to shards with explicit hash keys (each shard's starting hash key): 10 per shard.
    const entries = Array.from({ length: RECORDS }, (_, i) => ({
      Data: Buffer.from(JSON.stringify({ i, run })),
      PartitionKey: `pk-${i}`,
      ExplicitHashKey: shards[i % 2]?.HashKeyRange?.StartingHashKey ?? '0',
    }));
    const put = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
    expect(put.FailedRecordCount ?? 0).toBe(0);
    expect(put.Records).toHaveLength(RECORDS);
    const putResults = put.Records ?? [];
    putResults.forEach((r, i) => expect(r.ShardId).toBe(shardIds[i % 2]));

    let total = 0;
    for (const [s, shardId] of shardIds.entries()) {
      const expectedIdx = Array.from({ length: RECORDS }, (_, i) => i).filter((i) => i % 2 === s);
      const got = await readShard(shardId, expectedIdx.length);
      total += got.length;
      // Exactly the records sent to this shard, in send order, with the sequence numbers PutRecords returned.
      expect(got.map((r) => r.data)).toEqual(expectedIdx.map((i) => JSON.stringify({ i, run })));
      expect(got.map((r) => r.partitionKey)).toEqual(expectedIdx.map((i) => `pk-${i}`));
      expect(got.map((r) => r.sequenceNumber)).toEqual(expectedIdx.map((i) => putResults[i]?.SequenceNumber));
      const sequence = got.map((r) => BigInt(r.sequenceNumber));
      expect(sequence.every((v, i) => i === 0 || v > (sequence[i - 1] ?? 0n))).toBe(true);
    }
    expect(total).toBe(RECORDS);
  });
});
