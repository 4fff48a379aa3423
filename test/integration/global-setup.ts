// vitest globalSetup of the integration project: makes sure the real services answer on
// 127.0.0.1 (reusing any that already do, starting the rest), exports their endpoints as
// TRIBUTARY_TEST_* variables for the test workers, and on teardown stops what it started.
//
// Several test runs may share the machine: each holds a lease while it runs, and the last one to
// finish stops what test runs started (a run never pulls services from under another one).
// Services started with `npm run services:start` are reused and never stopped here.
// TRIBUTARY_TEST_KEEP_SERVICES=1 leaves the started services running (stop: npm run services:stop).

import { endpointsToEnv } from '../services/endpoints.ts';
import { acquire, dismissGuard, release, spawnGuard } from '../services/harness.ts';
import type { ServiceTiming } from '../services/harness.ts';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function describeTiming(t: ServiceTiming): string {
  if (t.outcome === 'reused') return t.name;
  const fetch = t.fetchMs >= 100 ? ` + ${seconds(t.fetchMs)} fetch` : '';
  return `${t.name} ${seconds(t.startMs)}${fetch}`;
}

export default async function setup(): Promise<() => Promise<void>> {
  const log = (line: string): void => {
    process.stderr.write(`[services] ${line}\n`);
  };
  const t0 = performance.now();
  const result = await acquire(undefined, process.pid, { log });
  for (const [key, value] of Object.entries(endpointsToEnv(result.endpoints))) process.env[key] = value;

  const started = result.timings.filter((t) => t.outcome === 'started').map(describeTiming);
  const parts = [
    started.length > 0 ? `started: ${started.join(', ')}` : '',
    result.reused.length > 0 ? `reused: ${result.reused.join(', ')}` : '',
  ].filter((p) => p !== '');
  log(`services ready in ${seconds(performance.now() - t0)} (${parts.join('; ')})`);

  // vitest skips this teardown on Ctrl-C (and nothing runs after SIGKILL): a detached guard
  // process releases the lease if this process goes away first.
  const guardPid = spawnGuard(process.pid);

  return async () => {
    dismissGuard(guardPid);
    const keep = process.env['TRIBUTARY_TEST_KEEP_SERVICES'] === '1';
    const r0 = performance.now();
    // Short grace: vitest's teardownTimeout is 10 s, and every service here is disposable.
    const { stopped, heldBy } = await release(process.pid, { keep, stopGraceMs: 5_000 });
    const names = Object.keys(stopped);
    if (heldBy.length > 0) {
      log(`services left running: still used by test run(s) ${heldBy.join(', ')}`);
    } else if (keep) {
      log('services left running (TRIBUTARY_TEST_KEEP_SERVICES=1); npm run services:stop stops them');
    } else if (names.length > 0) {
      const described = names.map((n) => (stopped[n] === 'killed' ? `${n} (needed SIGKILL)` : n));
      log(`stopped ${described.join(', ')} in ${seconds(performance.now() - r0)}`);
    }
  };
}
