// Smoke test of DynamoDB Local with @aws-sdk/client-dynamodb and client-dynamodb-streams: a table
// with a NEW_AND_OLD_IMAGES stream, put / update / delete, and the three change records read back.

import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, ENDPOINT_ENV, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}_${process.pid}`;
const tableName = `smoke_${run}`;
const clientConfig = { region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS };
const ddb = new DynamoDBClient(clientConfig);
const streams = new DynamoDBStreamsClient(clientConfig);

/** Reads every shard of the stream from TRIM_HORIZON until `expected` records arrived (or 30 s). */
async function readStream(streamArn: string, expected: number): Promise<StreamRecord[]> {
  const records: StreamRecord[] = [];
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const iterators = new Map<string, string | undefined>();
  for (const shard of StreamDescription?.Shards ?? []) {
    if (shard.ShardId === undefined) continue;
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({
      StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }));
    iterators.set(shard.ShardId, ShardIterator);
  }
  expect(iterators.size).toBeGreaterThan(0);
  const deadline = Date.now() + 30_000;
  while (records.length < expected && Date.now() < deadline) {
    for (const [shardId, iterator] of iterators) {
      if (iterator === undefined) continue;
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      records.push(...(page.Records ?? []));
      iterators.set(shardId, page.NextShardIterator);
    }
    if (records.length < expected) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return records;
}

describe('DynamoDB + Streams (client-dynamodb against DynamoDB Local)', () => {
  afterAll(async () => {
    await ddb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    ddb.destroy();
    streams.destroy();
  });

  it('gets its endpoint from the global setup', () => {
    expect(process.env[ENDPOINT_ENV.dynamodb]).toBe(endpoints.dynamodb);
  });

  it('streams INSERT, MODIFY and REMOVE with old and new images', async () => {
    const created = await ddb.send(new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    const streamArn = created.TableDescription?.LatestStreamArn;
    expect(streamArn).toMatch(/stream/);
    if (streamArn === undefined) throw new Error('no LatestStreamArn');
    const described = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.StreamSpecification?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');

    const key = { pk: { S: `item-${run}` } };
    await ddb.send(new PutItemCommand({ TableName: tableName, Item: { ...key, n: { N: '1' }, note: { S: 'created' } } }));
    await ddb.send(new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET n = :n, note = :note',
      ExpressionAttributeValues: { ':n': { N: '2' }, ':note': { S: 'updated' } },
    }));
    await ddb.send(new DeleteItemCommand({ TableName: tableName, Key: key }));

    const records = await readStream(streamArn, 3);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert?.eventSource).toBe('aws:dynamodb');
    expect(insert?.dynamodb?.Keys).toEqual(key);
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(insert?.dynamodb?.NewImage).toEqual({ ...key, n: { N: '1' }, note: { S: 'created' } });
    expect(modify?.dynamodb?.OldImage).toEqual({ ...key, n: { N: '1' }, note: { S: 'created' } });
    expect(modify?.dynamodb?.NewImage).toEqual({ ...key, n: { N: '2' }, note: { S: 'updated' } });
    expect(remove?.dynamodb?.OldImage).toEqual({ ...key, n: { N: '2' }, note: { S: 'updated' } });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
    for (const r of records) expect(r.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');

    // Sequence numbers grow with the order of the changes.
    const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sequence);
    expect(new Set(sequence).size).toBe(3);
  });
});
