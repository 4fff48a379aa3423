import { describe, expect, it } from 'vitest';
import { ExpiredIteratorError, isExpiredIterator, toKinesisError } from '../../../connectors/kinesis/errors.js';
import { TributaryError } from '../../../src/errors.js';

/** What an AWS SDK v3 service exception looks like to the mapping. */
function sdkError(name: string, status = 400): Error {
  return Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status } });
}

describe('toKinesisError', () => {
  it.each([
    ['ResourceNotFoundException', 400, 'SOURCE_NOT_FOUND', false],
    ['ProvisionedThroughputExceededException', 400, 'SOURCE_THROTTLED', true],
    ['LimitExceededException', 400, 'SOURCE_THROTTLED', true],
    ['ThrottlingException', 400, 'SOURCE_THROTTLED', true],
    ['KMSThrottlingException', 400, 'SOURCE_THROTTLED', true],
    ['SomethingNew', 429, 'SOURCE_THROTTLED', true],
    ['InternalFailureException', 500, 'SOURCE_UNAVAILABLE', true],
    ['UnknownError', 503, 'SOURCE_UNAVAILABLE', true],
    ['AccessDeniedException', 400, 'SOURCE_READ_FAILED', false],
    ['InvalidArgumentException', 400, 'SOURCE_READ_FAILED', false],
  ] as const)('%s (HTTP %i) → %s, retryable %s', (name, status, code, retryable) => {
    const error = toKinesisError('GetRecords', sdkError(name, status));
    expect(error).toBeInstanceOf(TributaryError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain('Kinesis GetRecords');
  });

  it('makes ExpiredIteratorException a distinct, retryable error', () => {
    const error = toKinesisError('GetRecords', sdkError('ExpiredIteratorException'));
    expect(error).toBeInstanceOf(ExpiredIteratorError);
    expect(isExpiredIterator(error)).toBe(true);
    expect(error.code).toBe('SOURCE_READ_FAILED');
    expect(error.retryable).toBe(true);
    expect((error as ExpiredIteratorError).expiredIterator).toBe(true);
    expect(isExpiredIterator(toKinesisError('GetRecords', sdkError('InvalidArgumentException')))).toBe(false);
  });

  it('treats network errors (no HTTP response) as the service being unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', $metadata: { attempts: 3 } });
    expect(toKinesisError('ListShards', refused)).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
    expect(toKinesisError('ListShards', 'weird')).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
  });

  it('reports an aborted call as STOPPED, whatever the HTTP layer threw', () => {
    expect(toKinesisError('GetRecords', sdkError('AbortError'))).toMatchObject({ code: 'STOPPED' });
    const controller = new AbortController();
    controller.abort();
    expect(toKinesisError('GetRecords', new Error('socket hang up'), controller.signal)).toMatchObject({ code: 'STOPPED' });
  });

  it('passes TributaryErrors through', () => {
    const original = new TributaryError('SOURCE_NOT_FOUND', 'x');
    expect(toKinesisError('GetRecords', original)).toBe(original);
  });
});
