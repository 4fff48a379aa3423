/**
 * Writes an ordered lane's progress (checkpoint + retry state) without making the lane wait for it: one write in
 * flight at a time, each carrying the latest snapshot; a `schedule` during a write makes one more write after it
 * (coalescing: a burst of settled batches costs one or two writes, and the next batch runs while the settled
 * prefix is stored). At-least-once holds because the snapshot never covers an unsettled record; a crash before a
 * write lands only means a few settled records are read again. `flush` waits until the latest snapshot is stored
 * (stop, hand-over, SHARD_END). A fenced write (`lost`) stops the lane at once.
 */
import type { PersistOutcome } from '../../connector/types.js';
import { sleep } from '../../connector/kit/sleep.js';

export interface ProgressWriterOptions<P> {
  readonly persist: (progress: P) => Promise<PersistOutcome>;
  readonly snapshot: () => P;
  /** The write was refused for good: the lane no longer belongs to this instance. */
  readonly onLost: () => void;
  /** A write failed (it will be retried with the next one); for metrics and logs. */
  readonly onFailed: () => void;
  readonly equals?: (a: P, b: P) => boolean;
}

/** Attempts of a `flush` before it gives up (each failed write waits a little longer). */
const FLUSH_ATTEMPTS = 5;

export class ProgressWriter<P> {
  readonly #o: ProgressWriterOptions<P>;
  #written: P | null = null;
  #inFlight: Promise<PersistOutcome> | null = null;
  #again = false;
  #lost = false;

  constructor(options: ProgressWriterOptions<P>, stored: P | null = null) {
    this.#o = options;
    this.#written = stored;
  }

  get lost(): boolean {
    return this.#lost;
  }

  /** Stores the latest snapshot soon; never waits and never throws. */
  schedule(): void {
    if (this.#lost) return;
    if (this.#inFlight !== null) {
      this.#again = true;
      return;
    }
    this.#inFlight = this.#writeLoop().finally(() => {
      this.#inFlight = null;
    });
  }

  /** Waits until the latest snapshot is stored; `failed` after a few failed attempts, `lost` when fenced. */
  async flush(): Promise<PersistOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.#inFlight !== null) await this.#inFlight;
      if (this.#lost) return 'lost';
      const outcome = this.#current() ? 'ok' : await this.#writeOnce();
      if (outcome !== 'failed') return outcome;
      if (attempt >= FLUSH_ATTEMPTS) return 'failed';
      await sleep(200 * attempt);
    }
  }

  async #writeLoop(): Promise<PersistOutcome> {
    let outcome: PersistOutcome;
    do {
      this.#again = false;
      outcome = this.#current() ? 'ok' : await this.#writeOnce();
    } while (this.#again && !this.#lost && outcome !== 'failed');
    return outcome;
  }

  #current(): boolean {
    const written = this.#written;
    if (written === null) return false;
    const latest = this.#o.snapshot();
    return this.#o.equals === undefined ? JSON.stringify(written) === JSON.stringify(latest) : this.#o.equals(written, latest);
  }

  async #writeOnce(): Promise<PersistOutcome> {
    const progress = this.#o.snapshot();
    let outcome: PersistOutcome;
    try {
      outcome = await this.#o.persist(progress);
    } catch {
      outcome = 'failed';
    }
    if (outcome === 'ok') this.#written = progress;
    else if (outcome === 'lost') {
      this.#lost = true;
      this.#o.onLost();
    } else this.#o.onFailed();
    return outcome;
  }
}
