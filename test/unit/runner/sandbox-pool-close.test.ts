/**
 * The pool spawns nothing once it is closed. An invocation that was waiting for a warming sandbox when the service
 * stopped used to go on to spawn an on-demand one after close() had terminated the rest: a live worker thread nobody
 * owned, which kept `tributary run` from exiting after "stopped" (the fault-injection campaign saw a SIGTERM not
 * exit within 15 s after a handler timeout during the drain).
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/observability/logger.js';
import { SandboxPool } from '../../../src/runner/sandbox/pool.js';
import type { InitializationType } from '../../../src/runner/sandbox/environment.js';
import type { InitOutcome, Sandbox } from '../../../src/runner/sandbox/sandbox.js';

/** A sandbox stand-in (pure pool logic): ready when told, `terminate()` ends its init as a failure. */
function fakeSandbox(initializationType: InitializationType): { sandbox: Sandbox; ready: () => void; terminated: () => boolean } {
  let settle: (outcome: InitOutcome) => void = () => undefined;
  let state: 'initializing' | 'idle' | 'dead' = 'initializing';
  let terminated = false;
  const ready = new Promise<InitOutcome>((resolve) => (settle = resolve));
  const sandbox = {
    initializationType,
    ready,
    get state() {
      return state;
    },
    terminate: () => {
      terminated = true;
      state = 'dead';
      settle({ status: 'failed', kind: 'crashed', error: { errorType: 'Runtime.Aborted', errorMessage: 'terminated' }, initDurationMs: 0 });
      return Promise.resolve();
    },
  } as unknown as Sandbox;
  return {
    sandbox,
    ready: () => {
      state = 'idle';
      settle({ status: 'ready', initDurationMs: 1, handlerArity: 1 });
    },
    terminated: () => terminated,
  };
}

/** A pool whose sandboxes are fakes, and the list of those it spawned. */
function poolOfFakes(provisionedConcurrency: number): { pool: SandboxPool; spawned: ReturnType<typeof fakeSandbox>[] } {
  const spawned: ReturnType<typeof fakeSandbox>[] = [];
  const spawn = (type: InitializationType): Sandbox => {
    const fake = fakeSandbox(type);
    spawned.push(fake);
    return fake.sandbox;
  };
  return { pool: new SandboxPool({ spawn, provisionedConcurrency, logger: silentLogger() }), spawned };
}

describe('sandbox pool after close()', () => {
  it('does not spawn an on-demand sandbox for an acquire that was waiting on a warming one', async () => {
    const { pool, spawned } = poolOfFakes(1);
    pool.provision();
    expect(spawned).toHaveLength(1);
    const acquired = pool.acquire(new AbortController().signal);
    await pool.close();
    expect(await acquired).toEqual({ status: 'aborted' });
    expect(spawned).toHaveLength(1);
    expect(spawned.every((s) => s.terminated())).toBe(true);
    expect(pool.size).toBe(0);
  });

  it('terminates an on-demand sandbox whose init finished after close()', async () => {
    const { pool, spawned } = poolOfFakes(0);
    const acquired = pool.acquire(new AbortController().signal);
    expect(spawned).toHaveLength(1);
    await pool.close();
    spawned[0]?.ready();
    expect(await acquired).toEqual({ status: 'aborted' });
    expect(spawned[0]?.terminated()).toBe(true);
  });
});
