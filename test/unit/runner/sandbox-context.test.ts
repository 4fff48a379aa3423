/**
 * What a handler sees inside its sandbox: Lambda's context, callback style, environment variables, and the
 * response as Lambda's runtime serialises it (JSON). https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { describe, expect, it } from 'vitest';
import { invokeRunner, moduleRunnerFixture } from '../../support/module-runners.js';

const fixture = moduleRunnerFixture('tributary-sandbox-context-', { functionName: 'orders', memorySizeMb: 256 });
const dir = fixture.dir;
const runner = fixture.runner;
const invoke = (target: Parameters<typeof invokeRunner>[0], event: unknown = {}, timeoutMs = 5000) => invokeRunner(target, event, timeoutMs);

describe('module runner: the handler side', () => {
  it('gives a Lambda context; getRemainingTimeInMillis counts down from the function timeout', async () => {
    const target = runner(
      'context.mjs',
      `export const handler = async (_event, context) => {
        const before = context.getRemainingTimeInMillis();
        await new Promise((r) => setTimeout(r, 100));
        const { getRemainingTimeInMillis, done, succeed, fail, ...fields } = context;
        return { ...fields, before, after: context.getRemainingTimeInMillis() };
      };`,
    );
    const result = await invoke(target, {}, 2000);
    expect(result.status).toBe('ok');
    const payload = (result as { payload: Record<string, unknown> }).payload;
    expect(payload).toMatchObject({
      functionName: 'orders',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:orders',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/orders',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(payload['awsRequestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload['before']).toBeGreaterThan(1800);
    expect(payload['before']).toBeLessThanOrEqual(2000);
    expect(Number(payload['before']) - Number(payload['after'])).toBeGreaterThanOrEqual(90);
  });

  it('runs callback-style handlers (callback, context.succeed/fail) and answers when the callback is called', async () => {
    const target = runner(
      'callback.cjs',
      `exports.handler = (event, context, callback) => {
        if (event.fail) return context.fail(new Error('cb failed'));
        // Without waiting for the event loop, the sandbox takes the next invocation at once (leftover work and all).
        context.callbackWaitsForEmptyEventLoop = false;
        setTimeout(() => callback(null, { doubled: event.n * 2 }), 10);
        setTimeout(() => {}, 2000);
      };`,
    );
    expect(await invoke(target, { n: 21 })).toMatchObject({ status: 'ok', payload: { doubled: 42 } });
    expect(await invoke(target, { fail: true })).toMatchObject({ status: 'error', kind: 'threw', coldStart: false, error: { errorMessage: 'cb failed' } });
    expect(await invoke(target, { n: 1 })).toMatchObject({ status: 'ok', coldStart: false, payload: { doubled: 2 } });
  });

  it("sets Lambda's variables and the function's environment in the sandbox only", async () => {
    const before = { ...process.env };
    const target = runner(
      'env.mjs',
      `export const handler = async () => { process.env.SET_BY_HANDLER = 'x'; return { ...process.env }; };`,
      { environment: { TABLE_NAME: 'orders-table', AWS_REGION: 'us-west-2' }, provisionedConcurrency: 0, awsCredentials: 'none' },
    );
    const result = await invoke(target);
    const env = (result as { payload: Record<string, string> }).payload;
    expect(env).toMatchObject({
      TABLE_NAME: 'orders-table',
      AWS_LAMBDA_FUNCTION_NAME: 'orders',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'us-west-2', // the configured environment wins
      _HANDLER: 'env.handler',
      LAMBDA_TASK_ROOT: dir,
      SET_BY_HANDLER: 'x',
    });
    if (process.env['PATH'] !== undefined) expect(env['PATH']).toBe(process.env['PATH']);
    expect(process.env['TABLE_NAME']).toBeUndefined();
    expect(process.env['SET_BY_HANDLER']).toBeUndefined();
    expect(process.env['AWS_LAMBDA_FUNCTION_NAME']).toBe(before['AWS_LAMBDA_FUNCTION_NAME']);
  });

  it('returns a partial batch response like a Powertools BatchProcessor handler', async () => {
    // What @aws-lambda-powertools/batch's processPartialResponse does: run each record, collect the failures.
    const target = runner(
      'batch.mjs',
      `const processed = new Set();
      const recordHandler = async (record) => {
        const body = JSON.parse(record.body);
        if (body.poison) throw new Error('poison ' + record.messageId);
        processed.add(record.messageId);
      };
      export const handler = async (event) => {
        const results = await Promise.allSettled(event.Records.map(recordHandler));
        const batchItemFailures = results.flatMap((result, index) =>
          result.status === 'rejected' ? [{ itemIdentifier: event.Records[index].messageId }] : []);
        if (batchItemFailures.length === event.Records.length) throw new Error('All records failed processing.');
        return { batchItemFailures };
      };`,
    );
    const event = { Records: [{ messageId: 'm1', body: '{}' }, { messageId: 'm2', body: '{"poison":true}' }, { messageId: 'm3', body: '{}' }] };
    expect(await invoke(target, event)).toMatchObject({ status: 'ok', payload: { batchItemFailures: [{ itemIdentifier: 'm2' }] } });
    const allFailed = await invoke(target, { Records: [{ messageId: 'm4', body: '{"poison":true}' }] });
    expect(allFailed).toMatchObject({ status: 'error', kind: 'threw', error: { errorMessage: 'All records failed processing.' } });
  });

  it("serialises the response as Lambda's runtime does (JSON); an unserialisable one is a bad response", async () => {
    const target = runner(
      'response.mjs',
      `export const handler = async (event) => {
        if (event.kind === 'undefined') return undefined;
        if (event.kind === 'date') return { at: new Date(0), fn() {}, missing: undefined };
        if (event.kind === 'bigint') return { n: 1n };
        const circular = {}; circular.self = circular; return circular;
      };`,
    );
    expect(await invoke(target, { kind: 'undefined' })).toMatchObject({ status: 'ok', payload: null });
    expect(await invoke(target, { kind: 'date' })).toEqual(expect.objectContaining({ status: 'ok', payload: { at: '1970-01-01T00:00:00.000Z' } }));
    expect(await invoke(target, { kind: 'bigint' })).toMatchObject({ status: 'error', kind: 'bad-response', error: { errorType: 'Runtime.MarshalError' } });
    expect(await invoke(target, { kind: 'circular' })).toMatchObject({ status: 'error', kind: 'bad-response', coldStart: false });
  });

  it('refuses an event that is not JSON without touching the sandbox', async () => {
    const target = runner('echo.mjs', 'export const handler = async (event) => event;');
    expect(await invoke(target, { ok: true })).toMatchObject({ status: 'ok', coldStart: true });
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    for (const event of [circular, { n: 1n }]) {
      expect(await invoke(target, event)).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'InvalidRequestContentException' } });
    }
    expect(await invoke(target, { ok: 2 })).toMatchObject({ status: 'ok', coldStart: false, payload: { ok: 2 } });
  });

  it("takes the lane engine's size bound instead of measuring the event: plain JSON data arrives the same, an event over 6 MB is still refused", async () => {
    const target = runner('bound.mjs', 'export const handler = async (event) => ({ n: event.Records.length, first: event.Records[0] });');
    const event = { Records: [{ messageId: 'm1', body: '{"a":1}', attributes: { SentTimestamp: '1' } }, { messageId: 'm2', body: '', attributes: {} }] };
    const bounded = await target.invoke(event, { deadlineMs: Date.now() + 5_000, signal: new AbortController().signal, sizeHintBytes: 4_096 });
    expect(bounded).toMatchObject({ status: 'ok', payload: { n: 2, first: event.Records[0] } });
    const huge = { Records: [{ body: 'x'.repeat(6_300_000) }] };
    // A bound over the limit proves nothing: the runner measures the event itself.
    const refused = await target.invoke(huge, { deadlineMs: Date.now() + 5_000, signal: new AbortController().signal, sizeHintBytes: 7_000_000 });
    expect(refused).toMatchObject({ status: 'error', kind: 'payload-too-large' });
  });

  it('hands the handler the event as Lambda does: JSON.parse of the request (a Date arrives as its ISO string, a function is dropped)', async () => {
    const target = runner('types.mjs', 'export const handler = async (event) => ({ type: typeof event.at, at: event.at, keys: Object.keys(event) });');
    expect(await invoke(target, { at: new Date(0), fn: () => 1, missing: undefined })).toMatchObject({
      status: 'ok',
      payload: { type: 'string', at: '1970-01-01T00:00:00.000Z', keys: ['at'] },
    });
  });
});
