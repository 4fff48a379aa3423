import { describe, expect, it } from 'vitest';
import { callHandler } from '../../../src/runner/call-handler.js';
import type { LambdaContext, LambdaHandler } from '../../../src/runner/types.js';

function options(timeoutMs = 1000, signal = new AbortController().signal) {
  return { functionName: 'fn', memorySizeMb: 128, region: 'eu-west-1', deadlineMs: Date.now() + timeoutMs, signal, now: Date.now, coldStart: false };
}

describe('callHandler', () => {
  it('returns an async handler result', async () => {
    const result = await callHandler(async () => ({ batchItemFailures: [] }), {}, options());
    expect(result).toMatchObject({ status: 'ok', payload: { batchItemFailures: [] } });
  });

  it('treats a thrown error or a rejection as a function error with Lambda errorType/errorMessage', async () => {
    class OrderError extends Error {
      override name = 'OrderError';
    }
    const threw = await callHandler(() => {
      throw new OrderError('bad order');
    }, {}, options());
    expect(threw).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'OrderError', errorMessage: 'bad order' } });
    const rejected = await callHandler(async () => Promise.reject(new TypeError('nope')), {}, options());
    expect(rejected).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'TypeError' } });
  });

  it('supports callback-style handlers', async () => {
    const ok: LambdaHandler = (_event, _context, callback) => {
      setTimeout(() => callback(null, { done: true }), 5);
    };
    expect(await callHandler(ok, {}, options())).toMatchObject({ status: 'ok', payload: { done: true } });
    const failing: LambdaHandler = (_event, _context, callback) => callback(new Error('cb failed'));
    expect(await callHandler(failing, {}, options())).toMatchObject({ status: 'error', error: { errorMessage: 'cb failed' } });
  });

  it('times out like Lambda', async () => {
    const result = await callHandler(() => new Promise(() => undefined), {}, options(50));
    expect(result).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
    expect(result.status === 'error' && result.error.errorMessage).toMatch(/^Task timed out after 0\.0\d seconds$/);
  });

  it('gives a Lambda-like context', async () => {
    let seen: LambdaContext | undefined;
    await callHandler(async (_e, context) => {
      seen = context;
      return null;
    }, {}, options(5000));
    expect(seen?.functionName).toBe('fn');
    expect(seen?.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:fn');
    expect(seen?.memoryLimitInMB).toBe('128');
    expect(seen?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen?.getRemainingTimeInMillis()).toBeGreaterThan(4000);
    expect(seen?.getRemainingTimeInMillis()).toBeLessThanOrEqual(5000);
  });

  it('ends at once when the shutdown signal aborts', async () => {
    const abort = new AbortController();
    const pending = callHandler(() => new Promise(() => undefined), {}, options(60_000, abort.signal));
    abort.abort();
    expect(await pending).toMatchObject({ status: 'error', kind: 'timeout' });
  });
});
