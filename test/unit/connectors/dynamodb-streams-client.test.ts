// DynamoDbStreamsApi against canned HTTP responses (the real SDK serialises and deserialises; no network): what it
// sends (DescribeStream pagination, Limit clamping, iterator types, credentials) and how it reads the answers. The
// shapes DynamoDB Local cannot produce (several shards, lineage, pages) are only testable this way.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbStreamsApi } from '../../../connectors/dynamodb-streams/client.js';
import { IteratorRecoveryError } from '../../../connectors/dynamodb-streams/errors.js';

interface Call {
  readonly target: string;
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
}

type Reply = { readonly status?: number; readonly body: unknown };

const signal = new AbortController().signal;
const STREAM = 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000';
const apis: DynamoDbStreamsApi[] = [];

afterEach(() => {
  for (const api of apis.splice(0)) api.close();
});

/** An API whose HTTP calls are answered by `reply`; an explicit endpoint, so it signs with dummy credentials when the environment has none. */
function fakeApi(reply: (operation: string, body: Record<string, unknown>) => Reply, endpoint = 'http://127.0.0.1:1') {
  const calls: Call[] = [];
  const handler = {
    handle(request: { headers: Record<string, string>; body?: unknown }) {
      const target = request.headers['x-amz-target'] ?? '';
      // TextDecoder, not Buffer.from: the SDK's body adapter warns when its string methods (valueOf) are used.
      const raw = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request.body ?? '{}');
      const body = JSON.parse(raw) as Record<string, unknown>;
      calls.push({ target, body, headers: request.headers });
      const answer = reply(target.split('.')[1] ?? '', body);
      const payload = Buffer.from(JSON.stringify(answer.body));
      return Promise.resolve({
        response: { statusCode: answer.status ?? 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([payload]) },
      });
    },
  };
  const api = new DynamoDbStreamsApi({ region: 'eu-west-1', endpoint, requestHandler: handler });
  apis.push(api);
  return { api, calls };
}

const awsError = (type: string, message: string): Reply => ({ status: 400, body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message } });

describe('DynamoDbStreamsApi', () => {
  it('pages DescribeStream with ExclusiveStartShardId and keeps lineage and closed state', async () => {
    const pages: Record<string, unknown>[] = [
      { Shards: [{ ShardId: 's1', SequenceNumberRange: { StartingSequenceNumber: '100', EndingSequenceNumber: '199' } }], LastEvaluatedShardId: 's1' },
      { Shards: [{ ShardId: 's2', ParentShardId: 's1', SequenceNumberRange: { StartingSequenceNumber: '200', EndingSequenceNumber: '299' } }], LastEvaluatedShardId: 's2' },
      { Shards: [{ ShardId: 's3', ParentShardId: 's2', SequenceNumberRange: { StartingSequenceNumber: '300' } }] },
    ];
    const { api, calls } = fakeApi(() => ({ body: { StreamDescription: { StreamArn: STREAM, ...pages.shift() } } }));
    const shards = await api.listShards(STREAM, signal, 1);
    expect(shards).toEqual([
      { shardId: 's1', parentShardId: null, startingSequenceNumber: '100', endingSequenceNumber: '199' },
      { shardId: 's2', parentShardId: 's1', startingSequenceNumber: '200', endingSequenceNumber: '299' },
      { shardId: 's3', parentShardId: 's2', startingSequenceNumber: '300', endingSequenceNumber: null },
    ]);
    expect(calls.map((c) => c.target)).toEqual(Array.from({ length: 3 }, () => 'DynamoDBStreams_20120810.DescribeStream'));
    expect(calls.map((c) => c.body)).toEqual([
      { StreamArn: STREAM, Limit: 1 },
      { StreamArn: STREAM, Limit: 1, ExclusiveStartShardId: 's1' },
      { StreamArn: STREAM, Limit: 1, ExclusiveStartShardId: 's2' },
    ]);
  });

  it('clamps the DescribeStream page size to 1..100 and stops when a page repeats its start', async () => {
    const { api, calls } = fakeApi((_op, body) => ({
      body: { StreamDescription: { StreamArn: STREAM, Shards: [{ ShardId: 's1' }], LastEvaluatedShardId: body['ExclusiveStartShardId'] ?? 's1' } },
    }));
    expect((await api.listShards(STREAM, signal, 5_000)).map((s) => s.shardId)).toEqual(['s1']);
    expect(calls.map((c) => c.body['Limit'])).toEqual([100, 100]);
  });

  it('summarises a stream from one DescribeStream page', async () => {
    const { api, calls } = fakeApi(() => ({
      body: { StreamDescription: { StreamArn: STREAM, TableName: 'orders', StreamStatus: 'ENABLED', StreamViewType: 'NEW_IMAGE', Shards: [] } },
    }));
    expect(await api.describeStream(STREAM, signal)).toEqual({ streamArn: STREAM, tableName: 'orders', status: 'ENABLED', viewType: 'NEW_IMAGE' });
    expect(calls[0]?.body).toEqual({ StreamArn: STREAM, Limit: 1 });
  });

  it("reads a table's stream from DescribeTable, enabled or not", async () => {
    const tables: Record<string, unknown>[] = [
      { TableName: 'orders', LatestStreamArn: STREAM, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
      { TableName: 'orders', LatestStreamArn: STREAM },
      { TableName: 'plain' },
    ];
    const { api, calls } = fakeApi(() => ({ body: { Table: tables.shift() } }));
    expect(await api.describeTable('orders', signal)).toEqual({ tableName: 'orders', latestStreamArn: STREAM, streamEnabled: true });
    expect(await api.describeTable('orders', signal)).toEqual({ tableName: 'orders', latestStreamArn: STREAM, streamEnabled: false });
    expect(await api.describeTable('plain', signal)).toEqual({ tableName: 'plain', latestStreamArn: null, streamEnabled: false });
    expect(calls[0]).toMatchObject({ target: 'DynamoDB_20120810.DescribeTable', body: { TableName: 'orders' } });
  });

  it('sends each iterator type with its sequence number', async () => {
    const { api, calls } = fakeApi(() => ({ body: { ShardIterator: 'it' } }));
    await api.getShardIterator(STREAM, 's1', { type: 'TRIM_HORIZON' }, signal);
    await api.getShardIterator(STREAM, 's1', { type: 'LATEST' }, signal);
    await api.getShardIterator(STREAM, 's1', { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '000000000000000000123' }, signal);
    await api.getShardIterator(STREAM, 's1', { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '000000000000000000124' }, signal);
    expect(calls.map((c) => c.body)).toEqual([
      { StreamArn: STREAM, ShardId: 's1', ShardIteratorType: 'TRIM_HORIZON' },
      { StreamArn: STREAM, ShardId: 's1', ShardIteratorType: 'LATEST' },
      { StreamArn: STREAM, ShardId: 's1', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '000000000000000000123' },
      { StreamArn: STREAM, ShardId: 's1', ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '000000000000000000124' },
    ]);
  });

  it('clamps the GetRecords limit to 1..1000 and reports a missing NextShardIterator as null', async () => {
    const replies: Reply[] = [{ body: { Records: [], NextShardIterator: 'next' } }, { body: { Records: [] } }];
    const { api, calls } = fakeApi(() => replies.shift() ?? { body: {} });
    expect(await api.getRecords('it-1', 50_000, signal)).toEqual({ records: [], nextShardIterator: 'next' });
    expect(await api.getRecords('it-2', 0, signal)).toEqual({ records: [], nextShardIterator: null });
    expect(calls.map((c) => c.body)).toEqual([{ ShardIterator: 'it-1', Limit: 1_000 }, { ShardIterator: 'it-2', Limit: 1 }]);
  });

  it('maps service errors: the three iterator recoveries and not found', async () => {
    const replies: Reply[] = [
      awsError('TrimmedDataAccessException', 'trimmed'),
      awsError('ExpiredIteratorException', 'expired'),
      awsError('ResourceNotFoundException', 'Invalid ShardId in ShardIterator'),
      awsError('ResourceNotFoundException', 'Requested resource not found'),
    ];
    const { api } = fakeApi(() => replies.shift() ?? { body: {} });
    const outcome = (): Promise<unknown> => api.getRecords('it', 10, signal).catch((e: unknown) => e);
    expect(await outcome()).toMatchObject({ recovery: 'trimmed-data', retryable: true });
    expect(await outcome()).toMatchObject({ recovery: 'expired-iterator', retryable: true });
    const invalid = await outcome();
    expect(invalid).toBeInstanceOf(IteratorRecoveryError);
    expect(invalid).toMatchObject({ recovery: 'invalid-shard-iterator' });
    expect(await outcome()).toMatchObject({ code: 'SOURCE_NOT_FOUND', retryable: false });
  });

  it('refuses a call whose signal is already aborted without sending it', async () => {
    const { api, calls } = fakeApi(() => ({ body: {} }));
    const controller = new AbortController();
    controller.abort();
    await expect(api.getRecords('it', 10, controller.signal)).rejects.toMatchObject({ code: 'STOPPED' });
    expect(calls).toEqual([]);
  });

  it('signs with alphanumeric dummy credentials for an explicit endpoint when the environment has none', async () => {
    const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];
    const saved = names.map((name) => [name, process.env[name]] as const);
    for (const name of names) Reflect.deleteProperty(process.env, name);
    try {
      const { api, calls } = fakeApi(() => ({ body: { Records: [] } }), 'http://127.0.0.1:1');
      await api.getRecords('it', 10, signal);
      const authorization = calls[0]?.headers['authorization'] ?? '';
      const accessKeyId = /Credential=([^/]+)\//.exec(authorization)?.[1] ?? '';
      expect(accessKeyId).toMatch(/^[A-Za-z0-9]+$/);
    } finally {
      for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
    }
  });
});
