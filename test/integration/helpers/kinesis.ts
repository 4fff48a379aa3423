/** Test-side Kinesis helpers against the real kinesis-local started by the harness. */
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AWS_REGION, AWS_TEST_CREDENTIALS, readEndpoints } from '../../services/endpoints.ts';
import { waitFor } from './wait.ts';

export const kinesisEndpoint = (): string => readEndpoints().kinesis;

export function kinesisClient(): KinesisClient {
  return new KinesisClient({ region: AWS_REGION, endpoint: kinesisEndpoint(), credentials: AWS_TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() });
}

export async function waitActive(client: KinesisClient, name: string): Promise<void> {
  await waitFor(async () => {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    return StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, 30_000, `stream ${name} ACTIVE`);
}

export async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitActive(client, name);
}

export async function deleteStream(client: KinesisClient, name: string): Promise<void> {
  await client.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true })).catch(() => undefined);
}

export async function listShards(client: KinesisClient, name: string): Promise<Shard[]> {
  return (await client.send(new ListShardsCommand({ StreamName: name }))).Shards ?? [];
}

/** Puts records in order (500 per call, calls in sequence so per-key order is the put order). Returns sequence numbers. */
export async function putAll(client: KinesisClient, name: string, records: readonly { key: string; data: string }[]): Promise<string[]> {
  const sequences: string[] = [];
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const result = await client.send(
      new PutRecordsCommand({ StreamName: name, Records: chunk.map((r) => ({ PartitionKey: r.key, Data: Buffer.from(r.data) })) }),
    );
    if ((result.FailedRecordCount ?? 0) > 0) throw new Error(`PutRecords failed for ${result.FailedRecordCount} records`);
    sequences.push(...(result.Records ?? []).map((r) => r.SequenceNumber ?? ''));
  }
  return sequences;
}

/** Splits a shard at the middle of its hash range and waits for the stream to be ACTIVE again. */
export async function splitShard(client: KinesisClient, name: string, shard: Shard): Promise<void> {
  const start = BigInt(shard.HashKeyRange?.StartingHashKey ?? '0');
  const end = BigInt(shard.HashKeyRange?.EndingHashKey ?? '0');
  await client.send(new SplitShardCommand({ StreamName: name, ShardToSplit: shard.ShardId, NewStartingHashKey: ((start + end) / 2n).toString() }));
  await waitActive(client, name);
}

export interface KinesisEventRecord {
  eventID: string;
  kinesis: { partitionKey: string; sequenceNumber: string; data: string };
}

export const decode = (record: KinesisEventRecord): string => Buffer.from(record.kinesis.data, 'base64').toString('utf8');
