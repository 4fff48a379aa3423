/**
 * Tributary's `module` runner (the class `run -c` uses for `function: { type: module }`), from dist/: one warm
 * sandbox (provisionedConcurrency 1), sequential invocations of the same event, invoked as the lane engine invokes
 * it: with the size bound the engine knows from its records (`sizeHintBytes`: each record's JSON size + 1, plus
 * 4 KiB for the envelope — src/pipeline/execute/invoke.ts), computed once outside the timed loop as the sources
 * compute it when they read a record.
 */
import { assertBuilt } from '../lib/tributary.ts';
import { HANDLER_FILE, moduleParams, sqsEvent, timeInvocations } from '../lib/module-params.ts';
import type { Measurement, Params } from '../lib/types.ts';
import type * as ModuleRunnerApi from '../../src/runner/module-runner.js';

export async function run(raw: Params): Promise<Measurement> {
  const p = moduleParams(raw);
  assertBuilt();
  const { ModuleRunner } = (await import(new URL('../../dist/src/runner/module-runner.js', import.meta.url).href)) as typeof ModuleRunnerApi;
  const runner = new ModuleRunner({ functionName: 'bench', handlerFile: HANDLER_FILE, handlerExport: 'handler', memorySizeMb: 512, region: 'us-east-1', provisionedConcurrency: 1 });
  await runner.ready();
  const event = sqsEvent(p.records);
  const sizeHintBytes = event.Records.reduce((sum: number, r) => sum + Buffer.byteLength(JSON.stringify(r)) + 1, 0) + 4096;
  const controller = new AbortController();
  let failure: string | null = null;
  try {
    const metrics = await timeInvocations(async () => {
      const result = await runner.invoke(event, { deadlineMs: Date.now() + 30_000, signal: controller.signal, sizeHintBytes });
      if (result.status !== 'ok') failure ??= `invocation failed: ${result.kind} ${result.error.errorMessage}`;
    }, p);
    return { metrics, check: failure };
  } finally {
    await runner.close();
  }
}
