// The DynamoDB MappingStore against real DynamoDB Local: the shared contract on a fresh lease table (deleted after),
// and mapping items living beside the leases of the same table without ever being read as leases.

import { afterAll, describe, expect, it } from 'vitest';
import { DeleteTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../src/checkpoint/dynamodb-store.ts';
import { DynamoDbMappingStore, MAPPINGS_PARTITION } from '../../src/checkpoint/dynamodb-mapping-store.ts';
import { describeMappingStoreContract } from '../contract/mapping-store.contract.ts';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const tableName = `tributary_mappings_${Date.now()}_${process.pid}`;
const ddb = new DynamoDBClient({ region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
const signal = (): AbortSignal => AbortSignal.timeout(30_000);
const options = { tableName, region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS };

afterAll(async () => {
  await ddb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  ddb.destroy();
});

describeMappingStoreContract('dynamodb', async () => new DynamoDbMappingStore(options));

describe('DynamoDbMappingStore specifics', () => {
  it('keeps mappings in a partition of their own in the lease table, next to the leases, with a version attribute', async () => {
    const mappings = new DynamoDbMappingStore(options);
    const leases = new DynamoDbCheckpointStore(options);
    try {
      await leases.ensureShards('orders', [{ shardId: 'shardId-0', parentShardIds: [] }], signal());
      const record = { uuid: 'a0d7c7e6-5d1f-4c57-9a38-3b0d3f3e9e11', origin: 'api', functionName: 'f', qualifier: null, pipeline: { name: 'x' }, awsOnly: {}, status: 'active', lastModifiedMs: 5, version: 1 } as const;
      expect(await mappings.put(record, null, signal())).toBe(true);
      const { Item } = await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pipeline: { S: MAPPINGS_PARTITION }, shardId: { S: record.uuid } }, ConsistentRead: true }));
      expect(Item?.['version']).toEqual({ N: '1' });
      expect(JSON.parse(Item?.['mapping']?.S ?? 'null')).toEqual(record);
      expect((await leases.list('orders', signal())).map((lease) => lease.shardId)).toEqual(['shardId-0']);
      expect((await mappings.list(signal())).map((m) => m.uuid)).toContain(record.uuid);
    } finally {
      await Promise.all([mappings.close(), leases.close()]);
    }
  });
});
