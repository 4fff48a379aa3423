import { describe, expect, it } from 'vitest';
import { IteratorRecoveryError, recoveryOf, toDynamoDbStreamsError } from '../../../connectors/dynamodb-streams/errors.js';
import { TributaryError } from '../../../src/errors.js';

/** What an AWS SDK v3 service exception looks like to the mapping. */
function sdkError(name: string, status = 400, message = `${name} message`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('toDynamoDbStreamsError', () => {
  it.each([
    ['ResourceNotFoundException', 400, 'SOURCE_NOT_FOUND', false],
    ['LimitExceededException', 400, 'SOURCE_THROTTLED', true],
    ['ThrottlingException', 400, 'SOURCE_THROTTLED', true],
    ['RequestLimitExceeded', 400, 'SOURCE_THROTTLED', true],
    ['ProvisionedThroughputExceededException', 400, 'SOURCE_THROTTLED', true],
    ['SomethingNew', 429, 'SOURCE_THROTTLED', true],
    ['InternalServerError', 500, 'SOURCE_UNAVAILABLE', true],
    ['InternalFailure', 500, 'SOURCE_UNAVAILABLE', true],
    ['AccessDeniedException', 400, 'SOURCE_READ_FAILED', false],
    ['ValidationException', 400, 'SOURCE_READ_FAILED', false],
    ['UnrecognizedClientException', 400, 'SOURCE_READ_FAILED', false],
  ] as const)('%s (HTTP %i) → %s, retryable %s', (name, status, code, retryable) => {
    const error = toDynamoDbStreamsError('DynamoDB Streams', 'GetRecords', sdkError(name, status));
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code, retryable });
    expect(recoveryOf(error)).toBeNull();
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain('DynamoDB Streams GetRecords');
  });

  it.each([
    ['ExpiredIteratorException', 'Iterator expired', 'expired-iterator'],
    ['TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.', 'trimmed-data'],
    ['ResourceNotFoundException', 'Invalid ShardId in ShardIterator', 'invalid-shard-iterator'],
  ] as const)('makes %s a distinct retryable recovery (%s)', (name, message, recovery) => {
    const error = toDynamoDbStreamsError('DynamoDB Streams', 'GetRecords', sdkError(name, 400, message));
    expect(error).toBeInstanceOf(IteratorRecoveryError);
    expect(error).toMatchObject({ code: 'SOURCE_READ_FAILED', retryable: true, recovery });
    expect(recoveryOf(error)).toBe(recovery);
  });

  it('keeps an ordinary ResourceNotFoundException (missing table, stream or shard) as SOURCE_NOT_FOUND', () => {
    const error = toDynamoDbStreamsError('DynamoDB', 'DescribeTable', sdkError('ResourceNotFoundException', 400, 'Requested resource not found: Table: x not found'));
    expect(error).toMatchObject({ code: 'SOURCE_NOT_FOUND', retryable: false });
    expect(error.message).toContain('DynamoDB DescribeTable');
    expect(recoveryOf(error)).toBeNull();
  });

  it('treats network errors (no HTTP response) as the service being unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
    expect(toDynamoDbStreamsError('DynamoDB Streams', 'DescribeStream', refused)).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
    expect(toDynamoDbStreamsError('DynamoDB Streams', 'DescribeStream', 'weird')).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
  });

  it('reports an aborted call as STOPPED, whatever the HTTP layer threw', () => {
    expect(toDynamoDbStreamsError('DynamoDB Streams', 'GetRecords', sdkError('AbortError'))).toMatchObject({ code: 'STOPPED' });
    const controller = new AbortController();
    controller.abort();
    expect(toDynamoDbStreamsError('DynamoDB Streams', 'GetRecords', sdkError('ExpiredIteratorException'), controller.signal)).toMatchObject({ code: 'STOPPED' });
  });

  it('passes TributaryErrors through', () => {
    const original = new TributaryError('SOURCE_NOT_FOUND', 'x');
    expect(toDynamoDbStreamsError('DynamoDB', 'DescribeTable', original)).toBe(original);
    expect(recoveryOf(original)).toBeNull();
  });
});
