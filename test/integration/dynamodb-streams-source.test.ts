// DynamoDbStreamsSource against the real DynamoDB Local (test/services): for each stream view type, put / update /
// delete an item and read the changes back as exact Lambda records; the source by table name and by stream ARN;
// LATEST; resuming AFTER a sequence number; the end of a shard once its stream is disabled; refused configurations.
// Setup (tables, writes) goes through the SDK directly; everything under test goes through the connector.

import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand,
  UpdateItemCommand, UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, StreamViewType } from '@aws-sdk/client-dynamodb';
import { pino } from 'pino';
import { dynamoDbStreamsConnector } from '../../connectors/dynamodb-streams/index.js';
import { itemKeyOf } from '../../connectors/dynamodb-streams/event.js';
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import type { ShardReader, SourceContext, SourceRecord, StartPosition, StreamSource } from '../../src/connector/index.js';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';
import { delay } from './helpers/wait.js';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const admin = new DynamoDBClient({ region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
const context: SourceContext = {
  pipeline: 'dynamodb-streams-source-test',
  logger: pino({ level: 'silent' }),
  now: Date.now,
  functionTimeoutMs: 3_000,
  batchSize: 100,
  startingPosition: 'TRIM_HORIZON',
  startingPositionTimestampMs: null,
  maximumBatchingWindowMs: 0,
};
const tables: string[] = [];
const opened: StreamSource[] = [];

const signal = (): AbortSignal => AbortSignal.timeout(20_000);
const dynamodbOf = (r: SourceRecord): Record<string, unknown> => r.eventRecord['dynamodb'] as Record<string, unknown>;

function sourceConfig(overrides: Partial<DynamoDbStreamsSourceConfig>): DynamoDbStreamsSourceConfig {
  return { type: 'dynamodb-streams', tableName: null, streamArn: null, region: AWS_REGION, endpoint: endpoints.dynamodb, ...overrides };
}

/** A table keyed by `pk` (S) and `sk` (N), with a stream of `viewType` (none when null). Returns its stream ARN. */
async function createTable(suffix: string, viewType: StreamViewType | null): Promise<{ name: string; streamArn: string | null }> {
  const name = `ddbs-${suffix}-${run}`;
  tables.push(name);
  const created = await admin.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(viewType === null ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }),
  }));
  return { name, streamArn: created.TableDescription?.LatestStreamArn ?? null };
}

async function openSource(config: DynamoDbStreamsSourceConfig): Promise<StreamSource> {
  const source = await dynamoDbStreamsConnector.create(config, context);
  if (source.kind !== 'stream') throw new Error('expected a stream source');
  opened.push(source);
  await source.open(signal());
  return source;
}

/** Reads until `count` records came back or the shard ended; pages of `pageSize` to exercise several GetRecords. */
async function readUntil(reader: ShardReader, count: number, pageSize = 2): Promise<{ records: SourceRecord[]; shardEnd: boolean }> {
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

/** Every record of every shard from `start`, shard by shard (DynamoDB Local usually has one shard per stream). */
async function readStream(source: StreamSource, count: number, start: StartPosition = { kind: 'TRIM_HORIZON' }): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for (const shard of await source.listShards(signal())) {
    const reader = await source.openReader(shard.shardId, start, signal());
    records.push(...(await readUntil(reader, count - records.length)).records);
    await reader.close();
    if (records.length >= count) break;
  }
  return records;
}

const key = (pk: string): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { N: '1' } });

/** An item with every attribute type, as DynamoDB JSON. */
function richItem(pk: string, version: string): Record<string, AttributeValue> {
  return {
    ...key(pk),
    version: { S: version },
    n: { N: '12.5' },
    b: { B: new Uint8Array([0, 255, 128]) },
    ss: { SS: ['x', 'y'] },
    ns: { NS: ['1', '2'] },
    bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    m: { M: { nested: { L: [{ S: 'q' }, { NULL: true }, { BOOL: true }] } } },
    l: { L: [{ N: '3' }, { M: { k: { S: 'v' } } }] },
    nul: { NULL: true },
    flag: { BOOL: false },
  };
}

/** `richItem` in DynamoDB JSON as the wire (and Lambda) carries it: binary as base64. */
function wireItem(pk: string, version: string): Record<string, unknown> {
  return {
    ...key(pk),
    version: { S: version },
    n: { N: '12.5' },
    b: { B: Buffer.from([0, 255, 128]).toString('base64') },
    ss: { SS: ['x', 'y'] },
    ns: { NS: ['1', '2'] },
    bs: { BS: [Buffer.from([1]).toString('base64'), Buffer.from([2, 3]).toString('base64')] },
    m: { M: { nested: { L: [{ S: 'q' }, { NULL: true }, { BOOL: true }] } } },
    l: { L: [{ N: '3' }, { M: { k: { S: 'v' } } }] },
    nul: { NULL: true },
    flag: { BOOL: false },
  };
}

/** Put, update (version v1 → v2), delete one item. */
async function putUpdateDelete(table: string, pk: string): Promise<void> {
  await admin.send(new PutItemCommand({ TableName: table, Item: richItem(pk, 'v1') }));
  await admin.send(new UpdateItemCommand({
    TableName: table, Key: key(pk), UpdateExpression: 'SET version = :v', ExpressionAttributeValues: { ':v': { S: 'v2' } },
  }));
  await admin.send(new DeleteItemCommand({ TableName: table, Key: key(pk) }));
}

/** Attribute-order-insensitive comparison of DynamoDB JSON maps (DynamoDB Local orders attributes its own way). */
function sorted(map: unknown): unknown {
  if (Array.isArray(map)) return map.map(sorted);
  if (typeof map !== 'object' || map === null) return map;
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
}

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await Promise.all(tables.map((name) => admin.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined)));
  admin.destroy();
});

describe.each([
  ['KEYS_ONLY', { INSERT: [], MODIFY: [], REMOVE: [] }],
  ['NEW_IMAGE', { INSERT: ['NewImage'], MODIFY: ['NewImage'], REMOVE: [] }],
  ['OLD_IMAGE', { INSERT: [], MODIFY: ['OldImage'], REMOVE: ['OldImage'] }],
  ['NEW_AND_OLD_IMAGES', { INSERT: ['NewImage'], MODIFY: ['NewImage', 'OldImage'], REMOVE: ['OldImage'] }],
] as const)('DynamoDbStreamsSource, StreamViewType %s (DynamoDB Local)', (viewType, images) => {
  it('reads put / update / delete from TRIM_HORIZON as exact Lambda records, by table name and by stream ARN', async () => {
    const table = await createTable(viewType.toLowerCase().replaceAll('_', '-'), viewType);
    const source = await openSource(sourceConfig({ tableName: table.name }));
    expect(source.sourceArn).toBe(table.streamArn);
    const before = Date.now();
    await putUpdateDelete(table.name, 'item-1');

    const shards = await source.listShards(signal());
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) expect(shard).toMatchObject({ closed: false, parentShardIds: [] });

    const records = await readStream(source, 3);
    expect(records.map((r) => r.eventRecord['eventName'])).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const sequences = records.map((r) => BigInt(r.id));
    expect(sequences[0]! < sequences[1]! && sequences[1]! < sequences[2]!).toBe(true);

    const region = source.sourceArn.split(':')[3];
    for (const [i, r] of records.entries()) {
      const eventName = ['INSERT', 'MODIFY', 'REMOVE'][i] as 'INSERT' | 'MODIFY' | 'REMOVE';
      const dynamodb = dynamodbOf(r);
      // Exactly the images the view type gives this event, in AWS's key order.
      expect(Object.keys(dynamodb)).toEqual(['ApproximateCreationDateTime', 'Keys', ...images[eventName], 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
      expect(Object.keys(r.eventRecord)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
      expect(r.eventRecord).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: region, eventSourceARN: source.sourceArn });
      expect(r.eventRecord['eventID']).toEqual(expect.any(String));
      expect(dynamodb).toMatchObject({ SequenceNumber: r.id, StreamViewType: viewType, SizeBytes: expect.any(Number) as number });
      expect(sorted(dynamodb['Keys'])).toEqual(sorted(key('item-1')));
      // Epoch seconds; DynamoDB Local rounds them down to the minute.
      const created = dynamodb['ApproximateCreationDateTime'] as number;
      expect(created * 1000).toBeGreaterThan(before - 120_000);
      expect(created * 1000).toBeLessThanOrEqual(Date.now());
      expect(r).toMatchObject({ position: r.id, partitionKey: itemKeyOf(key('item-1')), arrivedAtMs: created * 1000, receiveCount: 1, filterPayload: null });
      expect(r.shard).toBe(shards[0]?.shardId);
      expect(r.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(r.eventRecord)));
    }
    const [insert, modify, remove] = records.map(dynamodbOf);
    const modifyImages: readonly string[] = images.MODIFY;
    if (images.INSERT.length > 0) expect(sorted(insert?.['NewImage'])).toEqual(sorted(wireItem('item-1', 'v1')));
    if (modifyImages.includes('NewImage')) expect(sorted(modify?.['NewImage'])).toEqual(sorted(wireItem('item-1', 'v2')));
    if (modifyImages.includes('OldImage')) expect(sorted(modify?.['OldImage'])).toEqual(sorted(wireItem('item-1', 'v1')));
    if (images.REMOVE.length > 0) expect(sorted(remove?.['OldImage'])).toEqual(sorted(wireItem('item-1', 'v2')));
    expect(source.toEvent(records)).toEqual({ Records: records.map((r) => r.eventRecord) });

    const byArn = await openSource(sourceConfig({ streamArn: table.streamArn, region: null }));
    expect(byArn.sourceArn).toBe(source.sourceArn);
    expect(await byArn.listShards(signal())).toEqual(shards);
    const again = await readStream(byArn, 3);
    expect(again.map((r) => r.eventRecord)).toEqual(records.map((r) => r.eventRecord));
  });
});

describe('DynamoDbStreamsSource positions and shard end (DynamoDB Local)', () => {
  it('reads from LATEST only the changes made after the reader opened', async () => {
    const table = await createTable('latest', 'NEW_IMAGE');
    const source = await openSource(sourceConfig({ tableName: table.name }));
    await admin.send(new PutItemCommand({ TableName: table.name, Item: { ...key('early'), v: { S: 'before' } } }));
    const [shard] = await source.listShards(signal());
    const reader = await source.openReader(shard?.shardId ?? '', { kind: 'LATEST' }, signal());
    await admin.send(new PutItemCommand({ TableName: table.name, Item: { ...key('late-1'), v: { S: 'after' } } }));
    await admin.send(new PutItemCommand({ TableName: table.name, Item: { ...key('late-2'), v: { S: 'after' } } }));
    const { records } = await readUntil(reader, 2, 100);
    expect(records.map((r) => (dynamodbOf(r)['Keys'] as Record<string, { S: string }>)['pk']?.S)).toEqual(['late-1', 'late-2']);
    expect((await reader.read(100, signal())).records).toEqual([]);
    await reader.close();
  });

  it('resumes AFTER a sequence number', async () => {
    const table = await createTable('after', 'KEYS_ONLY');
    const source = await openSource(sourceConfig({ tableName: table.name }));
    for (const pk of ['a', 'b', 'c', 'd']) await admin.send(new PutItemCommand({ TableName: table.name, Item: key(pk) }));
    const all = await readStream(source, 4);
    const [shard] = await source.listShards(signal());
    const reader = await source.openReader(shard?.shardId ?? '', { kind: 'AFTER', position: all[1]?.id ?? '' }, signal());
    const { records } = await readUntil(reader, 2, 100);
    await reader.close();
    expect(records.map((r) => r.id)).toEqual(all.slice(2).map((r) => r.id));
  });

  it('ends a shard with SHARD_END once its stream is disabled and every record was returned', async () => {
    const table = await createTable('end', 'KEYS_ONLY');
    const source = await openSource(sourceConfig({ tableName: table.name }));
    for (const pk of ['a', 'b', 'c']) await admin.send(new PutItemCommand({ TableName: table.name, Item: key(pk) }));
    const [shard] = await source.listShards(signal());
    const reader = await source.openReader(shard?.shardId ?? '', { kind: 'TRIM_HORIZON' }, signal());
    const head = await reader.read(1, signal());
    expect(head.records).toHaveLength(1);

    await admin.send(new UpdateTableCommand({ TableName: table.name, StreamSpecification: { StreamEnabled: false } }));
    expect(await source.listShards(signal())).toEqual([{ shardId: shard?.shardId, parentShardIds: [], closed: true }]);
    const rest = await readUntil(reader, 100, 1);
    expect(rest.shardEnd).toBe(true);
    expect([...head.records, ...rest.records].map((r) => (dynamodbOf(r)['Keys'] as Record<string, { S: string }>)['pk']?.S)).toEqual(['a', 'b', 'c']);
    expect(await reader.read(10, signal())).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
    await reader.close();

    // A reader opened on the closed shard afterwards reads it all and ends as well.
    const late = await source.openReader(shard?.shardId ?? '', { kind: 'TRIM_HORIZON' }, signal());
    const whole = await readUntil(late, 100, 100);
    expect(whole).toMatchObject({ shardEnd: true });
    expect(whole.records).toHaveLength(3);
    await late.close();

    // The table's stream is now disabled: configured by table name, the source is refused.
    await expect(openSource(sourceConfig({ tableName: table.name }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});

describe('DynamoDbStreamsSource refusals (DynamoDB Local)', () => {
  it('refuses a table without a stream with CONFIG_INVALID', async () => {
    const table = await createTable('nostream', null);
    const described = await admin.send(new DescribeTableCommand({ TableName: table.name }));
    expect(described.Table?.LatestStreamArn).toBeUndefined();
    await expect(openSource(sourceConfig({ tableName: table.name }))).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('no stream enabled') as string });
  });

  it('refuses a missing table or stream with SOURCE_NOT_FOUND', async () => {
    await expect(openSource(sourceConfig({ tableName: `missing-${run}` }))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', retryable: false });
    const arn = `arn:aws:dynamodb:ddblocal:000000000000:table/missing-${run}/stream/2024-01-01T00:00:00.000`;
    await expect(openSource(sourceConfig({ streamArn: arn }))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND', retryable: false });
  });

  it('refuses a stream ARN of another table than tableName, and AT_TIMESTAMP', async () => {
    const table = await createTable('refuse', 'KEYS_ONLY');
    await expect(openSource(sourceConfig({ streamArn: table.streamArn, tableName: 'another-table' }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const source = await openSource(sourceConfig({ streamArn: table.streamArn, tableName: table.name }));
    const [shard] = await source.listShards(signal());
    await expect(source.openReader(shard?.shardId ?? '', { kind: 'AT_TIMESTAMP', timestampMs: Date.now() }, signal())).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(source.capabilities).toEqual({ ordering: 'per-shard', maxBatchSize: 10_000, pageSize: 1_000 });
    expect(source.atTimestamp).toBe(false);
    expect(source.retentionMs).toBe(24 * 3_600_000);
    expect(source.idlePollIntervalMs).toBe(250);
  });
});
