// Pure parts of the DynamoDB store: the item layout and the SDK-error classification (plain objects, no SDK).

import { describe, expect, it } from 'vitest';
import { decodeLease, encodeLease } from '../../../src/checkpoint/dynamodb-lease-codec.ts';
import { classifyDynamoError, toStoreError } from '../../../src/checkpoint/dynamodb-errors.ts';
import { SHARD_END, type ShardLease } from '../../../src/checkpoint/types.ts';

const lease: ShardLease = {
  pipeline: 'orders',
  shardId: 'shardId-000000000003',
  parentShardIds: ['shardId-000000000001', 'shardId-000000000002'],
  checkpoint: SHARD_END,
  attempt: 4,
  laneState: '{"v":1,"retries":[["4959",2]]}',
  owner: 'host-1-abcd',
  counter: 12,
  ownerSwitchesSinceCheckpoint: 1,
  handoffTo: 'host-2-efgh',
  throughput: 12.5,
};

describe('lease item codec', () => {
  it('round-trips a lease', () => {
    expect(decodeLease(encodeLease(lease))).toEqual(lease);
    const free = { ...lease, owner: null, checkpoint: null, laneState: null, handoffTo: null, parentShardIds: [] };
    const item = encodeLease(free);
    expect(item).not.toHaveProperty('leaseOwner');
    expect(item).not.toHaveProperty('checkpoint');
    expect(item).not.toHaveProperty('laneState');
    expect(item['parentShardIds']).toEqual({ L: [] });
    expect(decodeLease(item)).toEqual(free);
  });

  it('reads missing counters as 0 and refuses malformed items', () => {
    expect(decodeLease({ pipeline: { S: 'p' }, shardId: { S: 's' } })).toMatchObject({ counter: 0, attempt: 0, owner: null, parentShardIds: [] });
    expect(() => decodeLease({ pipeline: { S: 'p' } })).toThrow(/malformed lease item/);
    expect(() => decodeLease({ pipeline: { S: 'p' }, shardId: { S: 's' }, leaseCounter: { N: '-1' } })).toThrow(/leaseCounter is -1/);
    expect(() => decodeLease({ pipeline: { S: 'p' }, shardId: { S: 's' }, parentShardIds: { L: [{ N: '1' }] } })).toThrow(/non-string/);
  });
});

describe('DynamoDB error classification', () => {
  it.each([
    [{ name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 'condition-failed', 'LEASE_LOST', false],
    [{ name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 'throttled', 'CHECKPOINT_FAILED', true],
    [{ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }, 'throttled', 'CHECKPOINT_FAILED', true],
    [{ name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 400 } }, 'throttled', 'CHECKPOINT_FAILED', true],
    [{ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } }, 'server', 'CHECKPOINT_FAILED', true],
    [{ name: 'UnknownError', $metadata: { httpStatusCode: 503 } }, 'server', 'CHECKPOINT_FAILED', true],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'network', 'CHECKPOINT_FAILED', true],
    [{ name: 'TimeoutError', $metadata: {} }, 'network', 'CHECKPOINT_FAILED', true],
    [{ name: 'AbortError' }, 'aborted', 'STOPPED', true],
    [{ name: 'ResourceNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 'table-missing', 'CHECKPOINT_FAILED', false],
    [{ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 'client', 'CHECKPOINT_FAILED', false],
    [{ name: 'UnrecognizedClientException', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 'client', 'CHECKPOINT_FAILED', false],
    [new TypeError('bad input'), 'client', 'CHECKPOINT_FAILED', false],
    ['a string', 'client', 'CHECKPOINT_FAILED', false],
  ])('%o → %s', (error, kind, code, retryable) => {
    expect(classifyDynamoError(error)).toBe(kind);
    expect(toStoreError('UpdateItem', 'leases', error)).toMatchObject({ code, retryable });
  });
});
