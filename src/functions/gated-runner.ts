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
 * - A queue poller asks for admission (`admit`) before it receives: the function's second gate, of the same size,
 *   held by a poller from before its receive until its batch is settled, so at most `reservedConcurrency` pollers
 *   over all the function's mappings hold received messages, and none receives what it cannot invoke (AWS backs a
 *   throttled mapping off instead of receiving, issue 14). Synchronous Invoke does not take part: an idle long poll
 *   never turns a caller away with 429; it only competes with the invocations themselves.
 * - `close()` ends only this run's use: the shared runner stays open for the other pipelines and Invoke; the
 *   registry closes it when the service stops.
 */
import type { AdmissionSlot, FunctionRunner, InvokeOptions, InvokeResult, PrepareResult } from '../runner/types.js';
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
  readonly #admission: ConcurrencyGate | null;
  readonly #stop: AbortSignal;
  readonly #now: () => number;

  constructor(
    inner: FunctionRunner,
    gate: ConcurrencyGate,
    options: { readonly stopSignal: AbortSignal; readonly now: () => number; readonly admission?: ConcurrencyGate },
  ) {
    this.functionName = inner.functionName;
    this.#inner = inner;
    this.#gate = gate;
    this.#admission = options.admission ?? null;
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

  /** A poller's admission (see above); null when this run stops or `signal` aborts first. */
  async admit(signal: AbortSignal): Promise<AdmissionSlot | null> {
    if (this.#admission === null) return { release: () => undefined };
    return this.#admission.acquire(AbortSignal.any([signal, this.#stop]));
  }

  prepare(signal: AbortSignal): Promise<PrepareResult> {
    return this.#inner.prepare?.(signal) ?? Promise.resolve({ status: 'ok', warnings: [] });
  }

  /** This run no longer uses the function; the shared runner stays open. */
  async close(): Promise<void> {
    return undefined;
  }
}
