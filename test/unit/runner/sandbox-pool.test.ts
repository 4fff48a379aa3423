/**
 * The sandbox pool: growth with concurrency, reuse, provisioned concurrency, shutdown, and the per-invocation
 * REPORT line and init metric. https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { resolveConfigObject } from '../../../src/config/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { createRunner } from '../../../src/runner/create-runner.js';
import { ModuleRunner, type ModuleRunnerOptions } from '../../../src/runner/module-runner.js';
import { sandboxExecArgv } from '../../../src/runner/sandbox/exec-argv.js';
import { reportLine } from '../../../src/runner/sandbox/report.js';
import { workerEntryUrl } from '../../../src/runner/sandbox/sandbox.js';
import type { InvokeResult } from '../../../src/runner/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tributary-sandbox-pool-'));
const runners: ModuleRunner[] = [];
writeFileSync(join(dir, 'sleepy.mjs'), 'export const handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms ?? 0)); return { slept: event.ms ?? 0 }; };');
// Each invocation announces itself and waits until `event.peers` invocations have: only parallel sandboxes finish.
writeFileSync(
  join(dir, 'barrier.mjs'),
  "import { appendFileSync, readFileSync } from 'node:fs';\nexport const handler = async (event) => {\n  appendFileSync(event.file, 'x');\n  while (readFileSync(event.file, 'utf8').length < event.peers) await new Promise((r) => setTimeout(r, 5));\n  return 'met';\n};",
);
writeFileSync(join(dir, 'pid.mjs'), "import { threadId } from 'node:worker_threads';\nexport const handler = async () => ({ threadId, initType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE });");

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runner(name: string, options: Partial<ModuleRunnerOptions> = {}): ModuleRunner {
  const created = new ModuleRunner({ functionName: 'fn', handlerFile: join(dir, name), handlerExport: 'handler', memorySizeMb: 128, region: 'eu-west-1', ...options });
  runners.push(created);
  return created;
}

function invoke(target: ModuleRunner, event: unknown = {}, signal = new AbortController().signal, timeoutMs = 5000): Promise<InvokeResult> {
  return target.invoke(event, { deadlineMs: Date.now() + timeoutMs, signal });
}

/** A pino logger writing JSON lines into an array. */
function capture(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('sandbox pool', () => {
  it('runs concurrent invocations in parallel sandboxes and reuses idle ones', async () => {
    const target = runner('barrier');
    const meet = (name: string) => ({ file: join(dir, name), peers: 2 });
    writeFileSync(join(dir, 'cold-barrier'), '');
    writeFileSync(join(dir, 'warm-barrier'), '');
    const cold = await Promise.all([invoke(target, meet('cold-barrier')), invoke(target, meet('cold-barrier'))]);
    expect(cold).toMatchObject([{ status: 'ok', coldStart: true, payload: 'met' }, { status: 'ok', coldStart: true, payload: 'met' }]);
    // Both wait for each other: run one after the other, the first would time out.
    const warm = await Promise.all([invoke(target, meet('warm-barrier')), invoke(target, meet('warm-barrier'))]);
    expect(warm).toMatchObject([{ status: 'ok', coldStart: false, payload: 'met' }, { status: 'ok', coldStart: false, payload: 'met' }]);
    expect(target.sandboxes()).toEqual({ live: 2, idle: 2 });
    // One at a time reuses the most recent sandbox: no growth.
    writeFileSync(join(dir, 'alone-barrier'), '');
    await invoke(target, { file: join(dir, 'alone-barrier'), peers: 1 });
    await invoke(target, { file: join(dir, 'alone-barrier'), peers: 1 });
    expect(target.sandboxes().live).toBe(2);
  });

  it('provisionedConcurrency 2: the first two concurrent invocations are warm', async () => {
    const target = runner('pid', { provisionedConcurrency: 2 });
    await target.ready();
    expect(target.sandboxes()).toEqual({ live: 2, idle: 2 });
    const results = await Promise.all([invoke(target), invoke(target)]);
    expect(results).toMatchObject([
      { status: 'ok', coldStart: false, payload: { initType: 'provisioned-concurrency' } },
      { status: 'ok', coldStart: false, payload: { initType: 'provisioned-concurrency' } },
    ]);
    const threads = results.map((r) => (r as { payload: { threadId: number } }).payload.threadId);
    expect(new Set(threads).size).toBe(2);
    // A third concurrent invocation is an on-demand cold start.
    const three = await Promise.all([invoke(target), invoke(target), invoke(target)]);
    expect(three.filter((r) => r.coldStart)).toHaveLength(1);
  });

  it('invocations that arrive while provisioned sandboxes initialise wait for them instead of cold-starting', async () => {
    const target = runner('pid', { provisionedConcurrency: 1 });
    const result = await invoke(target);
    expect(result).toMatchObject({ status: 'ok', coldStart: false, payload: { initType: 'provisioned-concurrency' } });
    expect(target.sandboxes().live).toBe(1);
  });

  it('replaces a discarded provisioned sandbox', async () => {
    writeFileSync(join(dir, 'exit.mjs'), 'export const handler = async (event) => { if (event.exit) process.exit(1); return process.env.AWS_LAMBDA_INITIALIZATION_TYPE; };');
    const target = runner('exit', { provisionedConcurrency: 1 });
    await target.ready();
    expect(await invoke(target, { exit: true })).toMatchObject({ status: 'error', kind: 'crashed' });
    await target.ready();
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: false, payload: 'provisioned-concurrency' });
  });

  it('close() terminates every sandbox, busy ones included, and is idempotent', async () => {
    const target = runner('sleepy');
    await Promise.all([invoke(target), invoke(target)]);
    const running = invoke(target, { ms: 10_000 }, new AbortController().signal, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await Promise.all([target.close(), target.close()]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await running).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Aborted' } });
    expect(target.sandboxes()).toEqual({ live: 0, idle: 0 });
    expect(await invoke(target)).toMatchObject({ status: 'error', error: { errorType: 'Aborted' } });
  });

  it('an aborted invocation (shutdown) ends at once and discards its sandbox', async () => {
    const target = runner('sleepy');
    const abort = new AbortController();
    const running = invoke(target, { ms: 10_000 }, abort.signal, 20_000);
    setTimeout(() => abort.abort(), 200);
    expect(await running).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Aborted' } });
    expect(target.sandboxes().live).toBe(0);
  });
});

describe('REPORT line and metrics', () => {
  it('formats the line as Lambda prints it', () => {
    const base = { requestId: 'r-1', durationMs: 12.344, memorySizeMb: 128, maxMemoryUsedMb: 57, initDurationMs: null, status: 'ok', errorType: null } as const;
    expect(reportLine(base)).toBe('REPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 57 MB');
    expect(reportLine({ ...base, initDurationMs: 123.456 })).toMatch(/\tInit Duration: 123\.46 ms$/);
    expect(reportLine({ ...base, status: 'error', errorType: 'Runtime.ExitError' })).toMatch(/\tStatus: error\tError Type: Runtime\.ExitError$/);
  });

  it('logs one report per invocation (Init Duration only on the cold start) and observes the init duration', async () => {
    const { logger, lines } = capture();
    const metrics = createMetrics({ defaultMetrics: false });
    const target = runner('sleepy', { logger, metrics, pipeline: 'orders' });
    const cold = await invoke(target, { ms: 20 });
    await invoke(target, { ms: 1 });
    const reports = lines.filter((line) => line['msg'] === 'report');
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ level: 'info', memorySizeMb: 128, initDurationMs: cold.initDurationMs !== undefined ? Math.round(cold.initDurationMs * 100) / 100 : -1 });
    expect(reports[0]?.['durationMs']).toBeGreaterThanOrEqual(19);
    expect(reports[0]?.['maxMemoryUsedMb']).toBeGreaterThan(0);
    expect(String(reports[0]?.['line'])).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/);
    expect(reports[1]).not.toHaveProperty('initDurationMs');
    expect(String(reports[1]?.['line'])).not.toContain('Init Duration');
    const histogram = await metrics.registry.getSingleMetricAsString('tributary_init_duration_seconds');
    expect(histogram).toContain('tributary_init_duration_seconds_count{pipeline="orders"} 1');
  });

  it('reports a timeout with Status: timeout', async () => {
    const { logger, lines } = capture();
    const target = runner('sleepy', { logger });
    await invoke(target, { ms: 1000 }, new AbortController().signal, 100);
    const report = lines.find((line) => line['msg'] === 'report');
    expect(report).toMatchObject({ status: 'timeout' });
    expect(String(report?.['line'])).toMatch(/\tStatus: timeout$/);
  });
});

describe('createRunner', () => {
  it('runs `module` functions in sandboxes and keeps `in-process` functions in this process', async () => {
    const common = { functionName: 'fn', timeoutMs: 3000, memorySizeMb: 128 };
    const moduleRunner = createRunner(
      { ...common, type: 'module', handlerFile: join(dir, 'pid'), handlerExport: 'handler', handler: './pid.handler', environment: {}, provisionedConcurrency: 0, awsCredentials: 'none' },
      { region: 'eu-west-1', now: Date.now },
    );
    expect(moduleRunner).toBeInstanceOf(ModuleRunner);
    runners.push(moduleRunner as ModuleRunner);
    const result = await moduleRunner.invoke({}, { deadlineMs: Date.now() + 5000, signal: new AbortController().signal });
    expect(result).toMatchObject({ status: 'ok', coldStart: true });
    const outer = { calls: 0 };
    const inProcess = createRunner({ ...common, type: 'in-process', handler: () => ++outer.calls }, { region: 'eu-west-1', now: Date.now });
    expect(await inProcess.invoke({}, { deadlineMs: Date.now() + 5000, signal: new AbortController().signal })).toMatchObject({ status: 'ok', payload: 1 });
    expect(outer.calls).toBe(1);
    await inProcess.close();
  });
});

describe('sandbox plumbing', () => {
  it('starts workers from worker-entry.ts in the sources and worker-entry.js in dist', () => {
    expect(workerEntryUrl('file:///app/src/runner/sandbox/sandbox.ts').href).toBe('file:///app/src/runner/sandbox/worker-entry.ts');
    expect(workerEntryUrl('file:///app/dist/src/runner/sandbox/sandbox.js').href).toBe('file:///app/dist/src/runner/sandbox/worker-entry.js');
  });

  it("drops the service's entry-point options from the sandbox's execArgv and keeps the others", () => {
    expect(sandboxExecArgv(['--input-type=module', '--enable-source-maps', '-e', 'code()', '--import', './otel.mjs'])).toEqual(['--enable-source-maps', '--import', './otel.mjs']);
    expect(sandboxExecArgv(['--test', '--test-reporter=dot', '--watch', '-p', 'x', '--conditions=dev', '--input-type', 'module'])).toEqual(['--conditions=dev']);
  });

  it('reads provisionedConcurrency from the module function config (default 0, range 0–1000)', () => {
    const pipeline = (fn: Record<string, unknown>) => ({
      pipelines: [{ name: 'p', source: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/q' }, function: { type: 'module', handler: './h.handler', ...fn } }],
    });
    expect(resolveConfigObject(pipeline({}), { baseDir: '/app' }).pipelines[0]?.function).toMatchObject({ provisionedConcurrency: 0 });
    expect(resolveConfigObject(pipeline({ provisionedConcurrency: '2' }), { baseDir: '/app' }).pipelines[0]?.function).toMatchObject({ provisionedConcurrency: 2 });
    expect(() => resolveConfigObject(pipeline({ provisionedConcurrency: 1001 }))).toThrow(ConfigError);
    expect(() => resolveConfigObject(pipeline({ provisionedConcurrency: 1001 }))).toThrow(/provisionedConcurrency: must be between 0 and 1000 \(got 1001\)/);
  });
});
