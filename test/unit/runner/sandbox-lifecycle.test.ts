/**
 * The `module` runner's execution environment lifecycle with real handler files in worker threads: init once
 * per sandbox, warm reuse, and every failure contained to its own sandbox.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ModuleRunner, type ModuleRunnerOptions } from '../../../src/runner/module-runner.js';
import type { InvokeResult } from '../../../src/runner/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-sandbox-lifecycle-'));
const runners: ModuleRunner[] = [];

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `name` into the temp dir; returns the handler file without extension. */
function handlerFile(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return join(dir, name.replace(/\.(mjs|cjs|js)$/, ''));
}

function runner(file: string, options: Partial<ModuleRunnerOptions> = {}): ModuleRunner {
  const created = new ModuleRunner({ functionName: 'fn', handlerFile: file, handlerExport: 'handler', memorySizeMb: 128, region: 'eu-west-1', ...options });
  runners.push(created);
  return created;
}

function invoke(target: ModuleRunner, event: unknown = {}, timeoutMs = 5000): Promise<InvokeResult> {
  return target.invoke(event, { deadlineMs: Date.now() + timeoutMs, signal: new AbortController().signal });
}

/** A module whose top-level code appends a line to `<name>.inits` (one line per init phase). */
function counted(name: string, body: string, kind: 'esm' | 'cjs'): string {
  const log = join(dir, `${name}.inits`);
  const top = kind === 'esm' ? `import { appendFileSync } from 'node:fs';` : `const { appendFileSync } = require('node:fs');`;
  const exported = kind === 'esm' ? 'export const handler =' : 'exports.handler =';
  return `${top}\nappendFileSync(${JSON.stringify(log)}, 'init\\n');\nglobalThis.invocations = 0;\n${exported} ${body};\n`;
}

const inits = (name: string): number => readFileSync(join(dir, `${name}.inits`), 'utf8').split('\n').filter(Boolean).length;

describe('module runner: init once, invoke warm', () => {
  it.each([
    ['esm.mjs', 'esm'],
    ['commonjs.cjs', 'cjs'],
    ['plain.js', 'cjs'],
  ] as const)('%s: cold start then warm invocations; top-level code runs once per sandbox', async (name, kind) => {
    const file = handlerFile(name, counted(name, 'async (event) => ({ n: ++globalThis.invocations, echo: event })', kind));
    const target = runner(file);
    const first = await invoke(target, { a: 1 });
    expect(first).toMatchObject({ status: 'ok', coldStart: true, payload: { n: 1, echo: { a: 1 } } });
    expect(first.initDurationMs).toBeGreaterThan(0);
    const second = await invoke(target, { a: 2 });
    const third = await invoke(target, { a: 3 });
    expect(second).toMatchObject({ status: 'ok', coldStart: false, payload: { n: 2, echo: { a: 2 } } });
    expect(second.initDurationMs).toBeUndefined();
    expect(third).toMatchObject({ status: 'ok', coldStart: false, payload: { n: 3 } });
    expect(inits(name)).toBe(1);
    expect(target.sandboxes()).toEqual({ live: 1, idle: 1 });
  });

  it('a handler that throws keeps its sandbox warm', async () => {
    const file = handlerFile(
      'throws.mjs',
      counted('throws.mjs', `async (event) => { globalThis.invocations++; if (event.fail) { class OrderError extends Error { name = 'OrderError' }; throw new OrderError('bad order'); } return globalThis.invocations; }`, 'esm'),
    );
    const target = runner(file);
    expect(await invoke(target, { fail: true })).toMatchObject({ status: 'error', kind: 'threw', coldStart: true, error: { errorType: 'OrderError', errorMessage: 'bad order' } });
    expect(await invoke(target, {})).toMatchObject({ status: 'ok', coldStart: false, payload: 2 });
    expect(inits('throws.mjs')).toBe(1);
  });
});

describe('module runner: failures are contained to their sandbox', () => {
  it('a timeout terminates the sandbox (even a busy loop) and the next invocation cold-starts', async () => {
    const file = handlerFile('spin.mjs', counted('spin.mjs', 'async (event) => { if (event.spin) { for (;;) {} } return "ok"; }', 'esm'));
    const target = runner(file);
    expect(await invoke(target, {})).toMatchObject({ status: 'ok', coldStart: true });
    const started = Date.now();
    const timedOut = await invoke(target, { spin: true }, 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(timedOut).toMatchObject({ status: 'error', kind: 'timeout', coldStart: false, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.30 seconds' } });
    expect(await invoke(target, {})).toMatchObject({ status: 'ok', coldStart: true });
    expect(inits('spin.mjs')).toBe(2);
  });

  it('a handler awaiting forever (with work pending) times out the same way', async () => {
    const target = runner(handlerFile('hang.mjs', 'export const handler = () => new Promise(() => { setInterval(() => {}, 1000); });'));
    expect(await invoke(target, {}, 200)).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
    expect(target.sandboxes().live).toBe(0);
  });

  it('process.exit ends only the sandbox: crashed with Runtime.ExitError, then a cold start', async () => {
    const file = handlerFile('exits.cjs', counted('exits.cjs', 'async (event) => { if (event.exit) process.exit(3); return "alive"; }', 'cjs'));
    const target = runner(file);
    const crashed = await invoke(target, { exit: true });
    expect(crashed).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.ExitError' } });
    expect(crashed.status === 'error' && crashed.error.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
    expect(await invoke(target, {})).toMatchObject({ status: 'ok', coldStart: true, payload: 'alive' });
    expect(inits('exits.cjs')).toBe(2);
  });

  it('an unhandled rejection during an invocation crashes the sandbox with Runtime.UnhandledPromiseRejection', async () => {
    const target = runner(
      handlerFile('rejects.mjs', `export const handler = async () => { Promise.reject(new TypeError('nobody awaits me')); await new Promise((r) => setTimeout(r, 500)); return 'late'; };`),
    );
    expect(await invoke(target)).toMatchObject({
      status: 'error',
      kind: 'crashed',
      error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'TypeError: nobody awaits me' },
    });
    expect(await invoke(target)).toMatchObject({ status: 'error', coldStart: true, error: { errorType: 'Runtime.UnhandledPromiseRejection' } });
  });

  it('a rejection or an exception after the response discards the sandbox, never the service', async () => {
    const target = runner(
      handlerFile(
        'late.mjs',
        `export const handler = async (event) => { setTimeout(() => { if (event.throw) throw new Error('late throw'); Promise.reject(new Error('late rejection')); }, 20); return 'answered'; };`,
      ),
    );
    for (const event of [{}, { throw: true }]) {
      expect(await invoke(target, event)).toMatchObject({ status: 'ok', coldStart: true, payload: 'answered' });
      await expect.poll(() => target.sandboxes().live, { timeout: 2000 }).toBe(0);
    }
  });

  it('heap exhaustion past memorySize is contained: crashed with Runtime.OutOfMemory', async () => {
    const target = runner(
      handlerFile('hog.mjs', `const kept = []; export const handler = async (event) => { if (event.hog) for (;;) kept.push(new Array(100_000).fill(kept.length)); return 'fine'; };`),
      { memorySizeMb: 128 },
    );
    expect(await invoke(target, {})).toMatchObject({ status: 'ok' });
    const started = Date.now();
    const crashed = await invoke(target, { hog: true }, 30_000);
    expect(crashed).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.OutOfMemory' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await invoke(target, {})).toMatchObject({ status: 'ok', coldStart: true, payload: 'fine' });
  });
});

describe('module runner: init failures', () => {
  it('a missing module is Runtime.ImportModuleError, and the next invocation tries init again', async () => {
    const file = join(dir, 'later');
    const target = runner(file);
    expect(await invoke(target)).toMatchObject({ status: 'error', kind: 'crashed', coldStart: true, error: { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'later'" } });
    writeFileSync(`${file}.mjs`, 'export const handler = async () => "now here";');
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: true, payload: 'now here' });
  });

  it('a missing export is Runtime.HandlerNotFound', async () => {
    const target = runner(handlerFile('noexport.mjs', 'export const other = async () => 1;'));
    expect(await invoke(target)).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'noexport.handler is undefined or not exported' } });
  });

  it('an init phase longer than the init limit is a timeout, and the sandbox is terminated', async () => {
    const target = runner(handlerFile('slowinit.mjs', 'await new Promise((r) => setTimeout(r, 60_000));\nexport const handler = async () => 1;'), { initTimeoutMs: 200 });
    const started = Date.now();
    expect(await invoke(target)).toMatchObject({ status: 'error', kind: 'timeout', coldStart: true, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Init timed out after 0.20 seconds' } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(target.sandboxes().live).toBe(0);
  });

  it('a syntax error is Runtime.UserCodeSyntaxError; a missing dependency Runtime.ImportModuleError; a top-level throw is itself', async () => {
    const syntax = runner(handlerFile('syntax.mjs', 'export const handler = async () => {'));
    expect(await invoke(syntax)).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.UserCodeSyntaxError' } });
    const dependency = runner(handlerFile('dependency.mjs', "import 'no-such-package-anywhere';\nexport const handler = async () => 1;"));
    expect(await invoke(dependency)).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.ImportModuleError' } });
    const throwing = runner(handlerFile('toplevel.cjs', "throw new RangeError('no config');"));
    expect(await invoke(throwing)).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'RangeError', errorMessage: 'no config' } });
  });
});
