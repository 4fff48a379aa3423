import { describe, expect, it } from 'vitest';
import { callHandler } from '../../../src/runner/call-handler.js';
import { InProcessRunner } from '../../../src/runner/in-process-runner.js';
import { MAX_SYNC_PAYLOAD_BYTES } from '../../../src/runner/payload-limits.js';
import { traceHeader } from '../../../src/runner/trace-id.js';
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
    expect(threw).toMatchObject({ functionError: 'Unhandled', statusCode: 200 });
    expect(threw).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'OrderError', errorMessage: 'bad order' } });
    const rejected = await callHandler(async () => Promise.reject(new TypeError('nope')), {}, options());
    expect(rejected).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'TypeError' } });
  });

  it('a plain (event) => value answers with the value (nodejs24.x awaits the result); one returning nothing waits for its own pending work', async () => {
    expect(await callHandler((() => ({ batchItemFailures: [{ itemIdentifier: 'm1' }] })) as LambdaHandler, {}, options())).toMatchObject({
      status: 'ok',
      payload: { batchItemFailures: [{ itemIdentifier: 'm1' }] },
    });
    let ran = false;
    const result = await callHandler((() => {
      setTimeout(() => (ran = true), 20);
    }) as LambdaHandler, {}, options());
    expect(result).toMatchObject({ status: 'ok', payload: null });
    // Answered only after the timer the handler left behind (the legacy runtime's "empty event loop").
    expect(ran).toBe(true);
  });

  it('a callback-style handler’s return value is ignored: the callback answers', async () => {
    const handler: LambdaHandler = (_event, _context, callback) => setTimeout(() => callback(null, 'from callback'), 10);
    expect(await callHandler(handler, {}, options())).toMatchObject({ status: 'ok', payload: 'from callback' });
  });

  it('a legacy context.succeed after a setTimeout answers with its value, not at once', async () => {
    const legacy = ((_event: unknown, context: LambdaContext) => {
      setTimeout(() => context.succeed({ done: true }), 20);
    }) as LambdaHandler;
    expect(await callHandler(legacy, {}, options())).toMatchObject({ status: 'ok', payload: { done: true }, statusCode: 200, executedVersion: '$LATEST' });
  });

  it('serialises the response as Lambda does: a parsed copy; circular, BigInt or a throwing toJSON is Runtime.MarshalError', async () => {
    const shared = { at: new Date(0), nested: { n: 1 } };
    const copy = await callHandler(async () => shared, {}, options());
    expect(copy).toMatchObject({ status: 'ok', payload: { at: '1970-01-01T00:00:00.000Z', nested: { n: 1 } } });
    expect((copy as { payload: { nested: unknown } }).payload.nested).not.toBe(shared.nested);
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const throwing = { toJSON: () => { throw new Error('no'); } };
    for (const response of [circular, { n: 1n }, throwing]) {
      expect(await callHandler(async () => response, {}, options())).toMatchObject({ status: 'error', kind: 'bad-response', functionError: 'Unhandled', error: { errorType: 'Runtime.MarshalError' } });
    }
  });

  it('a response over 6 MB is Function.ResponseSizeTooLarge', async () => {
    const result = await callHandler(async () => 'x'.repeat(6_291_557), {}, options());
    expect(result).toMatchObject({ status: 'error', kind: 'bad-response', error: { errorType: 'Function.ResponseSizeTooLarge' } });
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

describe('InProcessRunner', () => {
  it('refuses a request over 6 MB before calling the handler', async () => {
    let called = false;
    const runner = new InProcessRunner({ functionName: 'fn', memorySizeMb: 128, region: 'eu-west-1', load: async () => async () => (called = true) });
    const result = await runner.invoke({ data: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES) }, { deadlineMs: Date.now() + 1000, signal: new AbortController().signal });
    expect(result).toMatchObject({ status: 'error', kind: 'payload-too-large', error: { errorType: 'RequestEntityTooLargeException' } });
    expect(called).toBe(false);
  });

  it('prepare() loads the handler and warns about a callback-style one', async () => {
    const runner = new InProcessRunner({ functionName: 'fn', memorySizeMb: 128, region: 'eu-west-1', load: async () => (_e: unknown, _c: unknown, cb: () => void) => cb() });
    const prepared = await runner.prepare();
    expect(prepared).toMatchObject({ status: 'ok' });
    expect(prepared.status === 'ok' && prepared.warnings[0]).toMatch(/callback-style/);
    const broken = new InProcessRunner({ functionName: 'fn', memorySizeMb: 128, region: 'eu-west-1', load: async () => Promise.reject(new Error('no module')) });
    expect(await broken.prepare()).toMatchObject({ status: 'error', error: { errorType: 'Runtime.ImportModuleError', errorMessage: 'no module' } });
  });

  it('gives context.xRayTraceId in X-Ray format', async () => {
    const runner = new InProcessRunner({ functionName: 'fn', memorySizeMb: 128, region: 'eu-west-1', load: async () => async (_e: unknown, context: LambdaContext) => context.xRayTraceId });
    const result = await runner.invoke({}, { deadlineMs: Date.now() + 1000, signal: new AbortController().signal });
    expect(result).toMatchObject({ status: 'ok', payload: expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/) });
  });

  it("a traced invocation's header (the invocation span's) is context.xRayTraceId", async () => {
    const runner = new InProcessRunner({ functionName: 'fn', memorySizeMb: 128, region: 'eu-west-1', load: async () => async (_e: unknown, context: LambdaContext) => context.xRayTraceId });
    const xRay = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    const trace = { xRay, traceparent: '00-6a1b2c3d0123456789abcdef01234567-89abcdef01234567-01' };
    expect(await runner.invoke({}, { deadlineMs: Date.now() + 1000, signal: new AbortController().signal, trace })).toMatchObject({ status: 'ok', payload: xRay });
  });
});

describe('traceHeader', () => {
  it('Root carries the epoch seconds in hex; the ids come from the injected randomness', () => {
    expect(traceHeader(0x5759e988 * 1000 + 999, (bytes) => 'a'.repeat(bytes * 2))).toBe(`Root=1-5759e988-${'a'.repeat(24)};Parent=${'a'.repeat(16)};Sampled=0`);
  });
});
