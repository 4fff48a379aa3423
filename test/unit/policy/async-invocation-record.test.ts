import { describe, expect, it } from 'vitest';
import { asyncInvocationRecord, deadLetterMessage, DEAD_LETTER_MESSAGE_BYTES } from '../../../src/policy/async-invocation-record.js';
import { decodeAsyncEvent, encodeAsyncEvent } from '../../../src/pipeline/execute/async-event.js';
import { asyncOutcomeOf, asyncResponseOf, deadLetterCause } from '../../../src/pipeline/execute/async-outcome.js';
import type { InvokeResult } from '../../../src/runner/types.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST';
const failed: InvokeResult = { status: 'error', kind: 'threw', error: { errorType: 'Error', errorMessage: 'boom' }, functionError: 'Unhandled', statusCode: 200, executedVersion: '$LATEST', durationMs: 3, coldStart: false };

describe('the invocation record (AWS "Example invocation record")', () => {
  it('has AWS\'s members in AWS\'s shape for a function error', () => {
    const record = asyncInvocationRecord({ requestId: 'r-1', functionArn: ARN, condition: 'RetriesExhausted', approximateInvokeCount: 3, payload: '{"a":1}', response: asyncResponseOf(failed), nowMs: Date.UTC(2019, 10, 14, 18, 16, 5, 568) });
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2019-11-14T18:16:05.568Z',
      requestContext: { requestId: 'r-1', functionArn: ARN, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    });
    expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
  });

  it('a success has no functionError; an event never invoked has no response at all', () => {
    const ok: InvokeResult = { status: 'ok', payload: { done: true }, statusCode: 200, executedVersion: '$LATEST', durationMs: 1, coldStart: false };
    const success = asyncInvocationRecord({ requestId: 'r', functionArn: ARN, condition: 'Success', approximateInvokeCount: 1, payload: '{}', response: asyncResponseOf(ok), nowMs: 0 });
    expect(success.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(success.responsePayload).toEqual({ done: true });
    const expired = asyncInvocationRecord({ requestId: 'r', functionArn: ARN, condition: 'EventAgeExceeded', approximateInvokeCount: 0, payload: '{}', response: null, nowMs: 0 });
    expect(expired).not.toHaveProperty('responseContext');
    expect(expired).not.toHaveProperty('responsePayload');
  });
});

describe('the dead-letter message (RequestID, ErrorCode, ErrorMessage truncated to 1 KB)', () => {
  it('carries the event as sent and the error of the last attempt', () => {
    const cause = deadLetterCause(failed, asyncOutcomeOf(failed));
    expect(deadLetterMessage({ requestId: 'r-1', payload: '{"a":1}', condition: 'RetriesExhausted' }, cause.code, cause.message)).toEqual({ body: '{"a":1}', requestId: 'r-1', errorCode: 200, errorMessage: 'boom' });
  });

  it('truncates the message to 1 KB at a character boundary', () => {
    const message = deadLetterMessage({ requestId: 'r', payload: '{}', condition: 'RetriesExhausted' }, 200, 'é'.repeat(2_000));
    expect(Buffer.byteLength(message.errorMessage)).toBeLessThanOrEqual(DEAD_LETTER_MESSAGE_BYTES);
    expect(message.errorMessage).toBe('é'.repeat(512));
  });

  it('names the condition when the event was never invoked', () => {
    const cause = deadLetterCause(null, null);
    expect(deadLetterMessage({ requestId: 'r', payload: '{}', condition: 'EventAgeExceeded' }, cause.code, cause.message).errorMessage).toBe('EventAgeExceeded');
  });
});

describe('how results count for asynchronous invocation', () => {
  it('throws and timeouts are function errors; 429 is a throttle; an endpoint that never answered is a system error', () => {
    expect(asyncOutcomeOf(failed)).toEqual({ kind: 'function-error' });
    expect(asyncOutcomeOf({ ...failed, kind: 'timeout' })).toEqual({ kind: 'function-error' });
    expect(asyncOutcomeOf({ ...failed, kind: 'throttled', statusCode: 429 })).toEqual({ kind: 'throttled' });
    const { functionError: _f, statusCode: _s, ...unreachable } = failed;
    expect(asyncOutcomeOf({ ...unreachable, kind: 'crashed' })).toEqual({ kind: 'system-error' });
    expect(asyncOutcomeOf({ ...unreachable, kind: 'bad-response', statusCode: 503 })).toEqual({ kind: 'system-error' });
    expect(asyncOutcomeOf({ ...failed, kind: 'crashed' })).toEqual({ kind: 'function-error' });
  });
});

describe('a queued event', () => {
  it('round-trips with the caller\'s bytes untouched', () => {
    const event = { requestId: 'r-1', functionName: 'orders', enqueuedAtMs: 1_700_000_000_000, attempts: 2, dueAtMs: 1_700_000_060_000, payload: '{ "spaced" :  1 }\n' };
    expect(decodeAsyncEvent(encodeAsyncEvent(event))).toEqual(event);
  });

  it('refuses what Tributary did not write', () => {
    for (const body of ['{"a":1}', 'tributary-async/1 {"requestId":1}\n{}', 'tributary-async/1 not json\n{}', 'tributary-async/1 {}']) expect(decodeAsyncEvent(body), body).toBeNull();
  });
});
