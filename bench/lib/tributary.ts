/**
 * Tributary as a user gets it: the built package (dist/, `npm run bench` builds first). Only its stable public
 * surfaces are used — `createService` / `createPipeline` from dist/src/index.js and the CLI — plus the
 * `module` runner's class for the per-invoke workload, so the same harness measures the code before and after
 * an engine rewrite.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TributaryApi from '../../src/index.js';
import type { DrainProbe } from './probe.ts';

export const DIST_INDEX = new URL('../../dist/src/index.js', import.meta.url);
export const DIST_CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Fails with the command to run when the package is not built. */
export function assertBuilt(): void {
  if (!existsSync(fileURLToPath(DIST_INDEX))) throw new Error('dist/ is missing: run "npm run build" (npm run bench does it first)');
}

export async function tributary(): Promise<typeof TributaryApi> {
  assertBuilt();
  return (await import(DIST_INDEX.href)) as typeof TributaryApi;
}

/**
 * A service config around `pipeline`: no operations server, silent logs (logging costs would be measured
 * otherwise), file checkpoints in a fresh temporary folder (so every run starts from its starting position).
 */
export function serviceConfig(pipelines: readonly Record<string, unknown>[]): TributaryApi.ServiceInput {
  const config = {
    server: { enabled: false },
    logLevel: 'silent',
    shutdownTimeoutSeconds: 5,
    checkpoints: { type: 'file', path: join(mkdtempSync(join(tmpdir(), 'tributary-bench-')), 'checkpoints') },
    pipelines,
  };
  // The contenders' pipelines are plain data (the same harness runs older builds): createService validates them.
  return config as unknown as TributaryApi.ServiceInput;
}

/**
 * Runs one pipeline until `probe` has seen its records: builds the service (config as {@link serviceConfig}),
 * starts the probe's clock right before `start()`, always stops the service.
 */
export async function drainWithTributary(pipeline: Record<string, unknown>, probe: DrainProbe, timeoutMs: number): Promise<void> {
  const { createService } = await tributary();
  const service = createService(serviceConfig([{ name: 'bench', ...pipeline }]));
  probe.start();
  await service.start();
  try {
    await probe.wait(timeoutMs);
  } finally {
    await service.stop();
  }
}

/** A no-op in-process handler that reports how many records each event carried. */
export function countingHandler(count: (event: unknown) => number, seen: (n: number) => void, delayMs: (records: number) => number = () => 0): (event: unknown) => Promise<unknown> {
  return async (event: unknown) => {
    const n = count(event);
    const delay = delayMs(n);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    seen(n);
    return {};
  };
}

/** Records in a Kafka event (`records` grouped by `topic-partition`). */
export function kafkaEventSize(event: unknown): number {
  let n = 0;
  for (const records of Object.values((event as { records: Record<string, readonly unknown[]> }).records)) n += records.length;
  return n;
}

/** Records in an SQS / Kinesis / DynamoDB event (`Records`). */
export function recordsEventSize(event: unknown): number {
  return (event as { Records: readonly unknown[] }).Records.length;
}
