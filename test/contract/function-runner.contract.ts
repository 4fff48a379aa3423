// The suite every FunctionRunner implementation must pass (DESIGN §3.3, §6 "contract"): the SAME outcome kinds for
// the same handler behaviour, whichever way the function is reached. Every implementation runs one handler,
// ./fixtures/runner-handler.mjs (`module` in a sandbox, `in-process` imported, `http` / `lambda` through the Lambda
// Runtime Interface Emulator), and declares where it genuinely differs in its `RunnerTraits` — a difference is
// stated and tested, never skipped silently. The tests run in order on one runner (the RIE serves one invocation at
// a time), and wait for a handler still running (marker files, never a timer) before the next invocation.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SYNC_PAYLOAD_BYTES, MAX_SYNC_RESPONSE_BYTES } from '../../src/runner/payload-limits.js';
import type { FunctionRunner, InvokeErrorKind, InvokeResult, LambdaHandler } from '../../src/runner/types.js';

/** The folder of the contract handler (the RIE's LAMBDA_TASK_ROOT). */
export const RUNNER_HANDLER_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** The handler file without its extension (a `module` runner's `handlerFile`) and its export. */
export const RUNNER_HANDLER_FILE = join(RUNNER_HANDLER_DIR, 'runner-handler');
export const RUNNER_HANDLER_EXPORT = 'dispatch';
/** `_HANDLER` for the RIE's bootstrap. */
export const RUNNER_HANDLER_SPEC = `runner-handler.${RUNNER_HANDLER_EXPORT}`;

/** The contract handler itself, for an `in-process` runner. */
export async function loadRunnerHandler(): Promise<LambdaHandler> {
  const module = (await import(new URL('./fixtures/runner-handler.mjs', import.meta.url).href)) as { dispatch: LambdaHandler };
  return module.dispatch;
}

/** Where an implementation genuinely differs; each difference is asserted, not skipped. */
export interface RunnerTraits {
  /**
   * A handler that ends its runtime (`process.exit`, an uncaught exception): contained as `crashed`, with the HTTP
   * status the transport reported (the RIE answers 502 where Lambda answers 200 + FunctionError) — or not
   * containable at all, because the handler shares the service's process.
   */
  readonly crash: { readonly contained: true; readonly statusCode: number } | { readonly contained: false; readonly reason: string };
  /**
   * What is left of an invocation that ended early (deadline, crash, caller abort): its environment is discarded and
   * the next invocation is a cold start, or the handler runs on to its end (an in-process handler cannot be killed; the
   * RIE does not know the runner's deadline).
   */
  readonly afterEarlyEnd: 'environment-discarded' | 'handler-runs-on';
  /** The documented result of a caller abort (the engine's shutdown): kind and errorType. */
  readonly callerAbort: { readonly kind: InvokeErrorKind; readonly errorType: string };
  /** Invoke's `ExecutedVersion` as the transport reports it; undefined when it says nothing (the RIE). */
  readonly executedVersion: string | undefined;
  /**
   * A timeout at the runner's deadline carries Lambda's answer for a timed-out function (200, `Unhandled`): local
   * runners are the function's environment and answer for it; remote ones gave up waiting and got no answer.
   */
  readonly timeoutAnswered: boolean;
  /**
   * What `context.getRemainingTimeInMillis()` counts down to: the runner's deadline, or the function's own timeout
   * (a remote function never learns the runner's deadline; its own configured timeout applies).
   */
  readonly remainingTime: { readonly kind: 'runner-deadline' } | { readonly kind: 'function-timeout'; readonly timeoutMs: number };
  /** A runner of a function that cannot start, and the errorType `prepare()` reports — or why `prepare()` cannot tell. */
  readonly broken: { readonly create: () => FunctionRunner; readonly errorType: string } | { readonly undetectable: string };
}

export interface RunnerUnderTest {
  readonly runner: FunctionRunner;
  readonly traits: RunnerTraits;
  /** Stops what the factory started for this runner (an emulator), after the runner is closed. */
  readonly dispose?: () => Promise<void>;
  /**
   * Resolves when the implementation is serving no invocation any more (the RIE serves one at a time, and a second
   * one arriving while it still finishes the first brings it down). Called before the invocation after an early end.
   */
  readonly idle?: () => Promise<void>;
}

/** A deadline far beyond any function timeout an implementation declares. */
const LONG_DEADLINE_MS = 120_000;
/** The runner's deadline in the timeout test, and how long the handler would sleep past it. */
const SHORT_DEADLINE_MS = 500;
const SLEEP_MS = 3_000;

const options = (deadlineInMs = LONG_DEADLINE_MS, signal: AbortSignal = new AbortController().signal) => ({ deadlineMs: Date.now() + deadlineInMs, signal });

async function waitForFile(path: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${path})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The answer Lambda gives for a function that ran: `StatusCode` and `ExecutedVersion` as this transport reports them. */
function answered(traits: RunnerTraits, statusCode = 200): Record<string, unknown> {
  return { statusCode, ...(traits.executedVersion === undefined ? {} : { executedVersion: traits.executedVersion }) };
}

export function describeFunctionRunnerContract(name: string, create: () => Promise<RunnerUnderTest>): void {
  describe(`FunctionRunner contract: ${name}`, () => {
    let runner: FunctionRunner;
    let traits: RunnerTraits;
    let dispose: (() => Promise<void>) | undefined;
    let idle: (() => Promise<void>) | undefined;
    let markers: string;
    let n = 0;
    /** A fresh marker path: the handler writes `<marker>.started` and `<marker>.done` around a sleep. */
    const marker = (): string => join(markers, `m${(n += 1)}`);

    beforeAll(async () => {
      markers = mkdtempSync(join(tmpdir(), 'tributary-runner-contract-'));
      ({ runner, traits, dispose, idle } = await create());
    });
    afterAll(async () => {
      await runner?.close();
      await runner?.close(); // idempotent
      await dispose?.();
      rmSync(markers, { recursive: true, force: true });
    });

    /** After an invocation that ended early: the next one is a cold start, or the old handler is waited for. */
    async function afterEarlyEnd(path: string | null): Promise<void> {
      if (traits.afterEarlyEnd === 'handler-runs-on') {
        if (path !== null) await waitForFile(`${path}.done`, 'the handler that runs on to finish');
        await idle?.();
        expect(await runner.invoke({ after: 'early end' }, options())).toMatchObject({ status: 'ok', payload: { echoed: { after: 'early end' } } });
      } else {
        expect(await runner.invoke({ after: 'early end' }, options())).toMatchObject({ status: 'ok', coldStart: true, payload: { echoed: { after: 'early end' } } });
      }
    }

    it('prepare() resolves the handler and runs its init: ok, no warnings for an async handler', async () => {
      const prepared = await runner.prepare?.(AbortSignal.timeout(30_000));
      expect(prepared).toMatchObject({ status: 'ok', warnings: [] });
    });

    it('a success answers the handler’s payload, with Invoke’s response metadata and no functionError', async () => {
      const event = { Records: [{ messageId: 'm-1', body: 'héllo ✓' }] };
      const result = await runner.invoke(event, options());
      expect(result).toMatchObject({ status: 'ok', payload: { echoed: event, requestId: expect.any(String) as string }, ...answered(traits) });
      expect(result).not.toHaveProperty('functionError');
      if (traits.executedVersion === undefined) expect(result).not.toHaveProperty('executedVersion');
    });

    it('the handler’s context counts down to the runner’s deadline or to the function’s own timeout, as declared', async () => {
      const result = await runner.invoke({ action: 'echo' }, options());
      const remainingMs = (result as { payload: { remainingMs: number } }).payload.remainingMs;
      expect(remainingMs).toBeGreaterThan(0);
      if (traits.remainingTime.kind === 'runner-deadline') {
        expect(remainingMs).toBeLessThanOrEqual(LONG_DEADLINE_MS);
        // Far more than any function timeout: the deadline reached the handler.
        expect(remainingMs).toBeGreaterThan(LONG_DEADLINE_MS / 2);
      } else {
        expect(remainingMs).toBeLessThanOrEqual(traits.remainingTime.timeoutMs);
      }
    });

    it('a partial-failure payload comes through intact (long sequence numbers, every identifier, in order)', async () => {
      const failed = ['49590338271490256608559692538361571095921575989136588898', 'm-3', '0', 'ünïcode-id'];
      const result = await runner.invoke({ action: 'partial', failed }, options());
      expect(result).toMatchObject({ status: 'ok', ...answered(traits) });
      expect((result as { payload: unknown }).payload).toEqual({ batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) });
    });

    it('a throw is `threw` with the error’s errorType and errorMessage, FunctionError Unhandled, StatusCode 200', async () => {
      const result = await runner.invoke({ action: 'fail', message: 'order 42 is invalid' }, options());
      expect(result).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'OrderError', errorMessage: 'order 42 is invalid' }, functionError: 'Unhandled', ...answered(traits) });
    });

    it('a handler slower than the deadline is a `timeout` at the deadline, not when the handler ends', async () => {
      const path = marker();
      const result = await runner.invoke({ action: 'sleep', ms: SLEEP_MS, marker: path }, options(SHORT_DEADLINE_MS));
      // Answered before the handler finished: the runner did not wait for it.
      expect(existsSync(`${path}.done`)).toBe(false);
      expect(result).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
      // Lambda's wording, with the time the runner was given.
      const seconds = Number(/^Task timed out after (\d+\.\d\d) seconds$/.exec(result.status === 'error' ? result.error.errorMessage : '')?.[1]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(SHORT_DEADLINE_MS / 1000);
      if (traits.timeoutAnswered) expect(result).toMatchObject({ functionError: 'Unhandled', ...answered(traits) });
      else {
        expect(result).not.toHaveProperty('statusCode');
        expect(result).not.toHaveProperty('functionError');
      }
      await afterEarlyEnd(path);
    });

    const crashes: [string, Record<string, unknown>, string | null][] = [
      ['process.exit', { action: 'exit', code: 3 }, 'Runtime.ExitError'],
      ['an uncaught exception', { action: 'uncaught', message: 'escaped' }, null],
    ];
    for (const [what, event, errorType] of crashes) {
      it(`${what} in the handler is \`crashed\` where the runner can contain it; the next invocation works`, async (test) => {
        const crash = traits.crash;
        // Stated, not silent: the report lists this as skipped with the reason.
        if (!crash.contained) return test.skip(`not containable: ${crash.reason}`);
        const result: InvokeResult = await runner.invoke(event, options());
        expect(result).toMatchObject({ status: 'error', kind: 'crashed', functionError: 'Unhandled', statusCode: crash.statusCode });
        if (result.status === 'error') expect(result.error.errorType).toBe(errorType ?? result.error.errorType);
        expect(result.status === 'error' && result.error.errorMessage.length).toBeGreaterThan(0);
        await afterEarlyEnd(null);
      });
    }

    it('a caller abort (shutdown) ends the invocation at once with the documented kind, and no function answer', async () => {
      const path = marker();
      const abort = new AbortController();
      const pending = runner.invoke({ action: 'sleep', ms: SLEEP_MS, marker: path }, options(LONG_DEADLINE_MS, abort.signal));
      await waitForFile(`${path}.started`, 'the handler to start');
      abort.abort();
      const result = await pending;
      expect(existsSync(`${path}.done`)).toBe(false);
      expect(result).toMatchObject({ status: 'error', kind: traits.callerAbort.kind, error: { errorType: traits.callerAbort.errorType } });
      expect(result).not.toHaveProperty('statusCode');
      expect(result).not.toHaveProperty('functionError');
      await afterEarlyEnd(path);
    });

    it('a request over 6 MB is `payload-too-large` (RequestEntityTooLargeException) and never reaches the handler', async () => {
      const path = marker();
      const event = { action: 'sleep', ms: 1, marker: path, padding: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES) };
      const result = await runner.invoke(event, options());
      expect(result).toMatchObject({ status: 'error', kind: 'payload-too-large', error: { errorType: 'RequestEntityTooLargeException' }, durationMs: 0 });
      expect(result.status === 'error' && result.error.errorMessage).toContain(String(MAX_SYNC_PAYLOAD_BYTES));
      expect(result).not.toHaveProperty('statusCode');
      expect(result).not.toHaveProperty('functionError');
      expect(existsSync(`${path}.started`)).toBe(false);
    });

    it('a response over 6,291,556 bytes is `bad-response` Function.ResponseSizeTooLarge; one at the limit passes', async () => {
      const tooLarge = await runner.invoke({ action: 'big', bytes: MAX_SYNC_RESPONSE_BYTES + 1 }, options());
      expect(tooLarge).toMatchObject({ status: 'error', kind: 'bad-response', error: { errorType: 'Function.ResponseSizeTooLarge' }, functionError: 'Unhandled', ...answered(traits) });
      expect(tooLarge.status === 'error' && tooLarge.error.errorMessage).toMatch(/exceeded maximum allowed payload size \(6291556 bytes\)\.$/);
      const fits = await runner.invoke({ action: 'big', bytes: MAX_SYNC_RESPONSE_BYTES }, options());
      expect(fits).toMatchObject({ status: 'ok' });
      expect((fits as { payload: string }).payload).toHaveLength(MAX_SYNC_RESPONSE_BYTES - 2);
    });

    it('prepare() of a function that cannot start reports Lambda’s init error, never throws', async (test) => {
      const spec = traits.broken;
      if ('undetectable' in spec) return test.skip(`prepare() cannot tell: ${spec.undetectable}`);
      const broken = spec.create();
      try {
        const prepared = await broken.prepare?.(AbortSignal.timeout(30_000));
        expect(prepared).toMatchObject({ status: 'error', error: { errorType: spec.errorType, errorMessage: expect.any(String) as string } });
      } finally {
        await broken.close();
      }
    });
  });
}
