/**
 * The runner one pipeline run gets for a declared function: the function's one shared runner behind its
 * reserved-concurrency gate (concurrency-gate.ts).
 *
 * - An invocation first waits for a slot. The wait is not part of the invocation: the deadline the executor computed
 *   (its start + the function's timeout) moves by the time waited, as Lambda's timeout counts from when the handler
 *   starts. No attempt is counted while waiting — nothing ran. An SQS batch waiting here stays in flight under the
 *   source's visibility heartbeat (it extends until the batch is settled), so it is neither redelivered nor charged a
 *   receive while it waits.
 * - A wait ends when the run stops (`stopSignal`, a disable, update, delete or shutdown) or the invocation's own signal
 *   aborts: the batch was never invoked, so it is reported `throttled` — stream lanes then keep it for their next run
 *   without using a retry attempt (AWS: throttles "do not count toward MaximumRetryAttempts").
 * - `close()` ends only this run's use: the shared runner stays open for the other pipelines and Invoke; the
 *   registry closes it when the service stops.
 */
import type { FunctionRunner, InvokeOptions, InvokeResult, PrepareResult } from '../runner/types.js';
import type { ConcurrencyGate } from './concurrency-gate.js';

/** What a wait that ended without a slot returns (the function was not invoked). */
export function throttledResult(durationMs: number): InvokeResult {
  return {
    status: 'error',
    kind: 'throttled',
    error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded): the invocation waited for a free slot of the function\'s reserved concurrency and was stopped first' },
    durationMs,
    coldStart: false,
  };
}

export class GatedRunner implements FunctionRunner {
  readonly functionName: string;
  readonly #inner: FunctionRunner;
  readonly #gate: ConcurrencyGate;
  readonly #stop: AbortSignal;
  readonly #now: () => number;

  constructor(inner: FunctionRunner, gate: ConcurrencyGate, options: { readonly stopSignal: AbortSignal; readonly now: () => number }) {
    this.functionName = inner.functionName;
    this.#inner = inner;
    this.#gate = gate;
    this.#stop = options.stopSignal;
    this.#now = options.now;
  }

  async invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const started = this.#now();
    const slot = await this.#gate.acquire(AbortSignal.any([options.signal, this.#stop]));
    if (slot === null) return throttledResult(this.#now() - started);
    try {
      const waited = this.#now() - started;
      return await this.#inner.invoke(event, { ...options, deadlineMs: options.deadlineMs + waited });
    } finally {
      slot.release();
    }
  }

  prepare(signal: AbortSignal): Promise<PrepareResult> {
    return this.#inner.prepare?.(signal) ?? Promise.resolve({ status: 'ok', warnings: [] });
  }

  /** This run no longer uses the function; the shared runner stays open. */
  async close(): Promise<void> {
    return undefined;
  }
}
