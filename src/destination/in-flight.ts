/**
 * The delivery lifecycle remote destinations share: refuse after close, skip empty deliveries, and let `close()`
 * wait for the deliveries already accepted.
 */
import { destinationFailed, throwIfAborted } from './destination-errors.js';

export class InFlightDeliveries {
  readonly #target: string;
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(target: string) {
    this.#target = target;
  }

  /** Runs `deliver` unless closed or aborted; empty batches resolve at once. */
  async run(records: readonly object[], signal: AbortSignal, deliver: () => Promise<void>): Promise<void> {
    throwIfAborted(this.#target, signal);
    if (this.#closed) throw destinationFailed(this.#target, 'the destination is closed', { retryable: false });
    if (records.length === 0) return;
    const delivery = deliver();
    this.#inFlight.add(delivery);
    try {
      await delivery;
    } finally {
      this.#inFlight.delete(delivery);
    }
  }

  /** Refuses new deliveries and waits for the accepted ones. False when it was already closed. */
  async close(): Promise<boolean> {
    if (this.#closed) return false;
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    return true;
  }
}
