/**
 * Module runners on handler files written into a temporary folder, for tests against real worker-thread sandboxes:
 * `runner(name, source)` writes the file and returns a runner for its `handler` export; every runner is closed after
 * each test and the folder removed after the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { ModuleRunner, type ModuleRunnerOptions } from '../../src/runner/module-runner.js';
import type { InvokeResult } from '../../src/runner/types.js';

export interface ModuleRunnerFixture {
  readonly dir: string;
  /** Writes `name` (e.g. `handler.mjs`) with `source` and returns a runner for its `handler` export. */
  runner(name: string, source: string, options?: Partial<ModuleRunnerOptions>): ModuleRunner;
  /** Keeps a runner built elsewhere so it is closed after the test. */
  track(runner: ModuleRunner): ModuleRunner;
}

export function moduleRunnerFixture(prefix: string, defaults: Partial<ModuleRunnerOptions> = {}): ModuleRunnerFixture {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const runners: ModuleRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.close()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const track = (runner: ModuleRunner): ModuleRunner => {
    runners.push(runner);
    return runner;
  };
  return {
    dir,
    track,
    runner(name, source, options = {}) {
      writeFileSync(join(dir, name), source);
      const handlerFile = join(dir, name.replace(/\.(mjs|cjs|js|ts|mts|cts)$/, ''));
      return track(new ModuleRunner({ functionName: 'fn', handlerFile, handlerExport: 'handler', memorySizeMb: 128, region: 'eu-west-1', ...defaults, ...options }));
    },
  };
}

export function invokeRunner(target: ModuleRunner, event: unknown = {}, timeoutMs = 20_000): Promise<InvokeResult> {
  return target.invoke(event, { deadlineMs: Date.now() + timeoutMs, signal: new AbortController().signal });
}

/** A pino logger collecting its JSON lines. */
export function captureLogs(level: Parameters<typeof createLogger>[0] = 'trace'): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}
