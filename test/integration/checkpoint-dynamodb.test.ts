// The DynamoDB CheckpointStore against real DynamoDB Local: the shared contract on a fresh table (deleted after),
// plus the table it creates, the raw item layout, and how failures surface.

import { afterAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../src/checkpoint/dynamodb-store.ts';
import { TributaryError } from '../../src/errors.ts';
import { describeCheckpointStoreContract } from '../contract/checkpoint-store.contract.ts';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}_${process.pid}`;
const tableName = `tributary_leases_${run}`;
const ddb = new DynamoDBClient({ region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
const signal = (): AbortSignal => AbortSignal.timeout(30_000);
const tables = new Set<string>([tableName]);

const store = (name = tableName): DynamoDbCheckpointStore => {
  tables.add(name);
  return new DynamoDbCheckpointStore({ tableName: name, region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
};

afterAll(async () => {
  for (const name of tables) await ddb.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
  ddb.destroy();
});

describeCheckpointStoreContract('dynamodb', async () => store());

describe('DynamoDbCheckpointStore specifics', () => {
  it('creates a PAY_PER_REQUEST table keyed by pipeline (HASH) and shardId (RANGE); open is idempotent', async () => {
    const name = `tributary_leases_create_${run}`;
    const s = store(name);
    try {
      await s.open(signal());
      await s.open(signal());
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pipeline', KeyType: 'HASH' },
        { AttributeName: 'shardId', KeyType: 'RANGE' },
      ]);
      // A second store on the existing table just uses it.
      const again = store(name);
      await again.open(signal());
      await again.close();
    } finally {
      await s.deleteTable(signal());
      await s.close();
    }
  });

  it('two stores opening the same new table at once both succeed', async () => {
    const name = `tributary_leases_race_${run}`;
    const [a, b] = [store(name), store(name)];
    await Promise.all([a.open(signal()), b.open(signal())]);
    await a.ensureShards('p', [{ shardId: 's', parentShardIds: [] }], signal());
    expect(await b.list('p', signal())).toHaveLength(1);
    await a.deleteTable(signal());
    await Promise.all([a.close(), b.close()]);
  });

  it('stores the KCL-style attributes', async () => {
    const s = store();
    try {
      await s.ensureShards('layout', [{ shardId: 'child', parentShardIds: ['p1', 'p2'] }], signal());
      await s.take('layout', 'child', 'worker-1', 0, signal());
      await s.checkpoint('layout', 'child', 'worker-1', { checkpoint: '4959', attempt: 2 }, signal());
      const { Item } = await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pipeline: { S: 'layout' }, shardId: { S: 'child' } }, ConsistentRead: true }));
      expect(Item).toEqual({
        pipeline: { S: 'layout' },
        shardId: { S: 'child' },
        leaseOwner: { S: 'worker-1' },
        leaseCounter: { N: '1' },
        checkpoint: { S: '4959' },
        attempt: { N: '2' },
        parentShardIds: { L: [{ S: 'p1' }, { S: 'p2' }] },
        ownerSwitchesSinceCheckpoint: { N: '0' },
        throughput: { N: '0' },
      });
      await s.release('layout', 'child', 'worker-1', signal());
      const released = await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pipeline: { S: 'layout' }, shardId: { S: 'child' } }, ConsistentRead: true }));
      expect(released.Item?.['leaseOwner']).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('refuses an existing table with another key schema', async () => {
    const name = `tributary_not_leases_${run}`;
    tables.add(name);
    await ddb.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
    const s = store(name);
    await expect(s.open(signal())).rejects.toMatchObject({ code: 'CHECKPOINT_FAILED', retryable: false });
    await s.close();
  });

  it('an unreachable endpoint is a retryable CHECKPOINT_FAILED', async () => {
    const s = new DynamoDbCheckpointStore({ tableName, region: AWS_REGION, endpoint: 'http://127.0.0.1:9', credentials: DYNAMODB_TEST_CREDENTIALS });
    const error = await s.list('p', signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code: 'CHECKPOINT_FAILED', retryable: true });
    await s.close();
  });

  it('works with only an endpoint: dummy alphanumeric credentials and a default region', async () => {
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], profile: process.env['AWS_PROFILE'] };
    delete process.env['AWS_ACCESS_KEY_ID'];
    delete process.env['AWS_PROFILE'];
    try {
      const s = new DynamoDbCheckpointStore({ tableName, endpoint: endpoints.dynamodb });
      await s.ensureShards('endpoint-only', [{ shardId: 's', parentShardIds: [] }], signal());
      expect(await s.list('endpoint-only', signal())).toHaveLength(1);
      await s.close();
    } finally {
      if (saved.id !== undefined) process.env['AWS_ACCESS_KEY_ID'] = saved.id;
      if (saved.profile !== undefined) process.env['AWS_PROFILE'] = saved.profile;
    }
  });
});
