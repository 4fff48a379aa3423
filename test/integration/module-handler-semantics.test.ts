/**
 * How a `module` handler's invocation ends, in real worker-thread sandboxes, compared with Lambda's Node.js runtime
 * interface client (nodejs22.x and earlier: Runtime / CallbackContext / BeforeExitListener):
 * a promise decides; otherwise the first callback / context.done|succeed|fail; otherwise `null` once the worker's
 * event loop is empty. Leftover work is waited for after a `callback` when callbackWaitsForEmptyEventLoop is true.
 * No assertion here depends on how fast the machine is: handlers wait for files the test creates.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLogs as capture, invokeRunner as invoke, moduleRunnerFixture } from '../support/module-runners.js';

const { dir, runner } = moduleRunnerFixture('tributary-handler-semantics-');

/** JS that polls (every 5 ms) until `file` exists, then runs `then` — work the event loop must wait for. */
const whenExists = (file: string, then: string): string =>
  `{ const { existsSync } = require('node:fs'); const t = setInterval(() => { if (existsSync(${JSON.stringify(file)})) { clearInterval(t); ${then} } }, 5); }`;

describe('module runner: how a non-async handler ends, as Lambda’s Node.js runtime', () => {
  it('a legacy context.succeed after a setTimeout answers with what it passed, after the work ran', async () => {
    const marker = join(dir, 'work-done');
    const target = runner(
      'legacy.cjs',
      `const { writeFileSync } = require('node:fs');
      exports.handler = function (event, context) {
        setTimeout(() => {
          writeFileSync(${JSON.stringify(marker)}, 'x');
          context.succeed({ processed: event.Records.length });
        }, 50);
      };`,
    );
    const result = await invoke(target, { Records: [{ messageId: 'm1' }, { messageId: 'm2' }] });
    // Before the fix: { status: 'ok', payload: null } at once — the batch "succeeded" before its work ran.
    expect(result).toMatchObject({ status: 'ok', payload: { processed: 2 }, statusCode: 200, executedVersion: '$LATEST' });
    expect(existsSync(marker)).toBe(true);
  });

  it('context.fail and context.done(error) are function errors; fail() without an error is "handled"', async () => {
    const target = runner(
      'fail.cjs',
      `exports.handler = (event, context) => {
        if (event.kind === 'fail') setTimeout(() => context.fail(new TypeError('bad record')), 5);
        else if (event.kind === 'done') context.done(new Error('done with error'));
        else context.fail();
      };`,
    );
    expect(await invoke(target, { kind: 'fail' })).toMatchObject({ status: 'error', kind: 'threw', functionError: 'Unhandled', error: { errorType: 'TypeError', errorMessage: 'bad record' } });
    expect(await invoke(target, { kind: 'done' })).toMatchObject({ status: 'error', error: { errorMessage: 'done with error' } });
    expect(await invoke(target, { kind: 'empty' })).toMatchObject({ status: 'error', error: { errorType: 'string', errorMessage: 'handled' } });
  });

  it('a non-promise return value is ignored: the answer is null once the event loop is empty, after pending work', async () => {
    const release = join(dir, 'release-sync');
    const marker = join(dir, 'sync-work-done');
    const target = runner(
      'sync.cjs',
      `const { writeFileSync } = require('node:fs');
      exports.handler = (event) => {
        ${whenExists(release, `writeFileSync(${JSON.stringify(marker)}, 'x');`)}
        return { batchItemFailures: [{ itemIdentifier: 'ignored' }] };
      };`,
    );
    const pending = invoke(target);
    let answered = false;
    void pending.then(() => (answered = true));
    // The handler returned long ago, but its interval keeps the loop alive: no answer yet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    writeFileSync(release, 'go');
    expect(await pending).toMatchObject({ status: 'ok', payload: null });
    expect(existsSync(marker)).toBe(true);
  });

  it('a first call wins: later callback / succeed calls change nothing', async () => {
    const target = runner(
      'twice.cjs',
      `exports.handler = (event, context, callback) => {
        context.callbackWaitsForEmptyEventLoop = false;
        callback(null, 'first');
        context.succeed('second');
        callback(new Error('third'));
      };`,
    );
    expect(await invoke(target)).toMatchObject({ status: 'ok', payload: 'first' });
  });

  it('callback with callbackWaitsForEmptyEventLoop (default): answers at the callback, reuses the sandbox only once its loop is empty', async () => {
    const release = join(dir, 'release-drain');
    const target = runner(
      'drain.cjs',
      `exports.handler = (event, context, callback) => {
        globalThis.calls = (globalThis.calls ?? 0) + 1;
        if (event.leave) ${whenExists(release, '')}
        callback(null, { calls: globalThis.calls });
      };`,
    );
    expect(await invoke(target, { leave: true })).toMatchObject({ status: 'ok', coldStart: true, payload: { calls: 1 } });
    // The first sandbox is still draining: the next invocation gets another environment (a cold start), as on Lambda.
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: true, payload: { calls: 1 } });
    // The second one had nothing pending: it is idle again as soon as its (empty) loop drained.
    await expect.poll(() => target.sandboxes(), { timeout: 15_000 }).toEqual({ live: 2, idle: 1 });
    writeFileSync(release, 'go');
    await expect.poll(() => target.sandboxes().idle, { timeout: 15_000 }).toBe(2);
  });

  it('callbackWaitsForEmptyEventLoop = false: the sandbox is reused at once, leftover work and all', async () => {
    const release = join(dir, 'release-nowait');
    const target = runner(
      'nowait.cjs',
      `exports.handler = (event, context, callback) => {
        globalThis.calls = (globalThis.calls ?? 0) + 1;
        context.callbackWaitsForEmptyEventLoop = false;
        ${whenExists(release, '')}
        callback(null, { calls: globalThis.calls });
      };`,
    );
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: true, payload: { calls: 1 } });
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: false, payload: { calls: 2 } });
    writeFileSync(release, 'go');
  });

  it('a callback handler whose loop never empties keeps its answer; the sandbox is reset at the timeout', async () => {
    const { logger, lines } = capture();
    const target = runner(
      'forever.cjs',
      `exports.handler = (event, context, callback) => { setInterval(() => {}, 1000); callback(null, 'answered'); };`,
      { logger },
    );
    expect(await invoke(target, {}, 1000)).toMatchObject({ status: 'ok', payload: 'answered' });
    await expect.poll(() => target.sandboxes().live, { timeout: 15_000 }).toBe(0);
    expect(lines.some((line) => String(line['errorMessage']).includes('waiting for an empty event loop'))).toBe(true);
  });

  it('an async handler whose promise never settles, with nothing pending, answers null (the runtime’s beforeExit)', async () => {
    const target = runner('never.mjs', 'export const handler = () => new Promise(() => {});');
    expect(await invoke(target)).toMatchObject({ status: 'ok', payload: null });
  });

  it('a synchronous throw is a function error and keeps the sandbox warm', async () => {
    const target = runner('throws.cjs', `exports.handler = (event) => { if (event.boom) throw new RangeError('boom'); return 1; };`);
    expect(await invoke(target, { boom: true })).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'RangeError', errorMessage: 'boom' } });
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: false, payload: null });
  });
});

describe("module runner: the handler's console, as Lambda prints it", () => {
  it('each console call is one `<ISO time>\\t<request id>\\t<LEVEL>\\t<message>` entry in the service log, with the request id of the REPORT', async () => {
    const { logger, lines } = capture();
    const target = runner(
      'logs.mjs',
      `console.log('init line');
      export const handler = async (event) => {
        console.log('got %d records', event.n, { id: 'a' });
        console.warn('careful');
        console.error(new Error('logged error'));
        console.debug('details');
        if (event.fail) throw new Error('handler failed');
        return 'ok';
      };`,
      { logger },
    );
    await invoke(target, { n: 3 });
    const report = lines.find((line) => line['msg'] === 'report');
    const requestId = String(report?.['requestId']);
    const fromFunction = lines.filter((line) => line['source'] === 'function');
    const messages = fromFunction.map((line) => String(line['msg']));
    const iso = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    expect(messages[0]).toMatch(new RegExp(`^${iso}\\tundefined\\tINFO\\tinit line$`));
    expect(messages[1]).toMatch(new RegExp(`^${iso}\\t${requestId}\\tINFO\\tgot 3 records \\{ id: 'a' \\}$`));
    expect(messages[2]).toMatch(new RegExp(`^${iso}\\t${requestId}\\tWARN\\tcareful$`));
    expect(messages[3]).toMatch(new RegExp(`^${iso}\\t${requestId}\\tERROR\\tError: logged error\\n    at `));
    expect(messages[4]).toMatch(new RegExp(`\\tDEBUG\\tdetails$`));
    expect(fromFunction.slice(1).every((line) => line['requestId'] === requestId)).toBe(true);
    // The service log names levels (src/observability/logger.ts); each console method maps to Lambda's level.
    expect(fromFunction.slice(1, 5).map((line) => line['level'])).toEqual(['info', 'warn', 'error', 'debug']);

    await invoke(target, { n: 1, fail: true });
    const invokeError = lines.filter((line) => line['source'] === 'function').map((line) => String(line['msg'])).find((msg) => msg.includes('Invoke Error'));
    expect(invokeError).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"handler failed","stack":\["Error: handler failed",/);
  });

  it('AWS_LAMBDA_LOG_LEVEL drops lower levels, as the runtime does', async () => {
    const { logger, lines } = capture();
    const target = runner('levels.mjs', `export const handler = async () => { console.info('info'); console.warn('warn'); return 1; };`, {
      logger,
      environment: { AWS_LAMBDA_LOG_LEVEL: 'WARN' },
    });
    await invoke(target);
    expect(lines.filter((line) => line['source'] === 'function').map((line) => String(line['msg']).split('\t')[3])).toEqual(['warn']);
  });
});
