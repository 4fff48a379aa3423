/**
 * Offset commits of every partition of one consumer, coalesced into as few OffsetCommit requests as possible: a
 * partition lane asks to commit and goes on with its next batch (the core's progress writer does not wait); the
 * commits that arrive while a request is in flight all go into the next one, so with many partitions and small
 * batches (AWS's default batchSize 100) the broker sees one request per round trip instead of one per partition and
 * batch. "Offsets are committed after successful processing of each batch" (reference §3.9) still holds per
 * partition: a lane only asks to commit its settled prefix.
 *
 * Fencing: each entry says whether it may still commit (its generation is current, its partition not revoked); that
 * is checked right before every request — and the request is sent in the same synchronous step — so a lost
 * generation never commits. A request the broker refuses for a lost generation fails every entry in it with `lost`
 * (never retried); other failures are retried a few times, then the entries are `failed` (the lane tries again
 * with its next snapshot).
 */
import type { PersistOutcome } from '../../src/connector/index.js';

/** One partition's commit: the next offset to read, and the commit metadata (retry state) that goes with it. */
export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly metadata: string | null;
}

export interface CommitBatcherOptions {
  /** One OffsetCommit request carrying every offset, in the consumer's current generation; rejects when it fails. */
  readonly send: (offsets: readonly OffsetToCommit[]) => Promise<void>;
  /** The broker refused the request because the member's generation is over (`send` reacts to it itself). */
  readonly isGenerationLost: (error: unknown) => boolean;
  /** A request failed for good (after `attempts`); its entries resolve `failed`. */
  readonly onFailed: (offsets: readonly OffsetToCommit[], error: unknown) => void;
  /** Requests per batch of commits before they fail (default 3). */
  readonly attempts?: number;
  /** Waits between attempts (injected for tests). */
  readonly sleep: (ms: number) => Promise<void>;
}

interface Entry {
  readonly offset: OffsetToCommit;
  /** Still allowed to commit (generation current, partition not revoked)? */
  readonly allowed: () => boolean;
  readonly resolve: (outcome: PersistOutcome) => void;
}

export class CommitBatcher {
  readonly #options: CommitBatcherOptions;
  /** Waiting for the next request, by `topic/partition`. */
  readonly #pending = new Map<string, Entry>();
  #draining = false;

  constructor(options: CommitBatcherOptions) {
    this.#options = options;
  }

  /**
   * Commits `offset` with the next request. `allowed` is asked right before the request is sent; when it says no
   * the commit resolves `lost` without reaching the broker. A second commit of the same partition before the request
   * goes replaces the first (its offset covers it); both resolve with the request's outcome.
   */
  commit(offset: OffsetToCommit, allowed: () => boolean): Promise<PersistOutcome> {
    return new Promise<PersistOutcome>((resolve) => {
      const key = `${offset.topic}/${offset.partition}`;
      const previous = this.#pending.get(key);
      const settle =
        previous === undefined
          ? resolve
          : (outcome: PersistOutcome): void => {
              previous.resolve(outcome);
              resolve(outcome);
            };
      this.#pending.set(key, { offset, allowed, resolve: settle });
      if (!this.#draining) {
        this.#draining = true;
        void this.#drain();
      }
    });
  }

  /** One request at a time, each with everything that is pending when it starts. */
  async #drain(): Promise<void> {
    try {
      // Lanes that settle in the same turn of the event loop join the first request.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.#pending.size > 0) {
        const entries = [...this.#pending.values()];
        this.#pending.clear();
        await this.#request(entries);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #request(entries: readonly Entry[]): Promise<void> {
    const attempts = this.#options.attempts ?? 3;
    let live = entries;
    for (let attempt = 1; ; attempt += 1) {
      live = live.filter((entry) => {
        if (entry.allowed()) return true;
        entry.resolve('lost');
        return false;
      });
      if (live.length === 0) return;
      const offsets = live.map((entry) => entry.offset);
      try {
        await this.#options.send(offsets);
        for (const entry of live) entry.resolve('ok');
        return;
      } catch (error) {
        if (this.#options.isGenerationLost(error)) {
          for (const entry of live) entry.resolve('lost');
          return;
        }
        if (attempt >= attempts) {
          this.#options.onFailed(offsets, error);
          for (const entry of live) entry.resolve('failed');
          return;
        }
        await this.#options.sleep(200 * attempt);
      }
    }
  }
}
