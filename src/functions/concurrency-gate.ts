/**
 * A function's reserved concurrency (Lambda's ReservedConcurrentExecutions): at most `reserved` invocations of the
 * function run at once, counting every caller together — each mapping that targets it, synchronous Invoke and, later,
 * the asynchronous queue. https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 *
 * The two ways in differ as on AWS:
 * - a synchronous Invoke over the limit is refused at once (`tryAcquire` → null → 429 TooManyRequestsException,
 *   Reason ReservedFunctionConcurrentInvocationLimitExceeded);
 * - a mapping's invocation waits for a slot (`acquire`): AWS backs a throttled mapping off and retries without using
 *   a retry attempt, and waiting here is that back-off — the batch is not invoked, so nothing counts as an attempt.
 * `reserved: 0` throttles the function entirely (AWS's way to stop a function): synchronous calls are refused and a
 * mapping's invocations wait until their pipeline stops. Slots are p-limit tasks, released exactly once.
 */
import pLimit, { type LimitFunction } from 'p-limit';

/** A held slot; `release()` gives it back (idempotent). */
export interface Slot {
  release(): void;
}

/** A slot for unreserved functions: nothing to give back. */
const FREE_SLOT: Slot = { release: () => undefined };

export class ConcurrencyGate {
  /** The limit, or null for an unreserved function (bounded only by its callers). */
  readonly reserved: number | null;
  readonly #limit: LimitFunction | null;

  constructor(reserved: number | null) {
    this.reserved = reserved;
    // p-limit needs at least 1; 0 is handled without it (nothing ever runs).
    this.#limit = reserved === null || reserved === 0 ? null : pLimit(reserved);
  }

  /** Invocations holding a slot now. */
  get running(): number {
    return this.#limit?.activeCount ?? 0;
  }

  /** Invocations waiting for a slot (mappings only: synchronous calls never wait). */
  get waiting(): number {
    return this.#limit?.pendingCount ?? 0;
  }

  /** A slot now, or null when the function is at its reserved concurrency (a synchronous Invoke then gets 429). */
  tryAcquire(): Slot | null {
    if (this.reserved === null) return FREE_SLOT;
    const limit = this.#limit;
    // p-limit counts a task as active synchronously when it starts it at once, so this check cannot race.
    if (limit === null || limit.activeCount + limit.pendingCount >= limit.concurrency) return null;
    return this.#take(limit, new AbortController().signal, () => undefined);
  }

  /**
   * A slot once one is free, or null when `signal` aborts first. A wait that ends by abort gives its turn back at
   * once, so an aborted waiter never holds a slot.
   */
  async acquire(signal: AbortSignal): Promise<Slot | null> {
    if (this.reserved === null) return FREE_SLOT;
    if (signal.aborted) return null;
    const limit = this.#limit;
    if (limit === null) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return null;
    }
    return new Promise<Slot | null>((resolve) => {
      const onAbort = (): void => resolve(null);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#take(limit, signal, (slot) => {
        signal.removeEventListener('abort', onAbort);
        resolve(slot);
      });
    });
  }

  /** Queues a p-limit task that holds its slot until released; `granted` is told when it starts (not if aborted). */
  #take(limit: LimitFunction, signal: AbortSignal, granted: (slot: Slot) => void): Slot {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slot: Slot = { release: () => release() };
    void limit(() => {
      if (signal.aborted) return undefined; // the waiter left: the slot goes to the next one at once
      granted(slot);
      return held;
    });
    return slot;
  }
}
