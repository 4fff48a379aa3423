/**
 * Settled positions of one shard (or partition) when its batches complete out of order.
 *
 * With ParallelizationFactor > 1 a shard is read in order but processed by several sub-lanes (one per partition-key
 * hash), so a later batch can finish before an earlier one. The shard's checkpoint may only move to a position below
 * which everything read is settled: "a checkpoint never moves past a record that is not settled" (DESIGN §1). AWS
 * checkpoints at the highest sequence number on success and at the lowest failed one with ReportBatchItemFailures
 * (reference §3.8, https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html); this
 * tracker generalises that to batches settling out of order. Pure: no I/O.
 */
import { TributaryError } from '../errors.js';

/**
 * Compare two decimal position strings numerically without precision loss (Kinesis sequence numbers reach 128 bits,
 * far beyond `Number`): ignoring leading zeros, the shorter is smaller, else the first differing digit decides.
 * Returns -1, 0 or 1. Throws `INTERNAL` for a string that is not a non-negative decimal integer. Runs for every
 * record a lane reads, so it scans the digits once without a regex or a copy.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  const i = firstSignificant(a);
  const j = firstSignificant(b);
  const length = a.length - i;
  if (length !== b.length - j) return length < b.length - j ? -1 : 1;
  for (let k = 0; k < length; k += 1) {
    const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Index of the first digit after the leading zeros (the last digit of an all-zero string); validates the string. */
function firstSignificant(value: string): number {
  if (value.length === 0) throw notDecimal(value);
  let start = -1;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) throw notDecimal(value);
    if (start < 0 && c !== 48) start = i;
  }
  return start < 0 ? value.length - 1 : start;
}

function notDecimal(value: string): TributaryError {
  return new TributaryError('INTERNAL', `not a decimal sequence number: ${JSON.stringify(value)}`);
}

/**
 * Tracks the positions read from one shard and which of them are settled (done, discarded to the on-failure
 * destination, or filtered out), and derives the checkpoint.
 */
export class CheckpointTracker {
  readonly #compare: (a: string, b: string) => number;
  /**
   * Positions added and not yet passed by the checkpoint, in shard order, from `#head` on; `#done[i]` says whether
   * `#queue[i]` is settled. The queue is sorted, so a position is found by a look at the slot after the last one
   * settled (batches settle in order, record after record, almost always) or else by binary search — no per-position
   * set to add to and delete from (two Set operations per record were 8 % of a Kafka drain's CPU profile).
   */
  #queue: string[] = [];
  #done: boolean[] = [];
  #head = 0;
  #pending = 0;
  #blocked = 0;
  #checkpoint: string | null;
  #lastAdded: string | null;

  /**
   * @param compare orders positions (e.g. {@link compareSequenceNumbers}).
   * @param start the stored checkpoint this shard resumes from, if any: `checkpoint()` returns it until something
   *   later is settled, and every added position must be greater than it.
   */
  constructor(compare: (a: string, b: string) => number, start: string | null = null) {
    this.#compare = compare;
    this.#checkpoint = start;
    this.#lastAdded = start;
  }

  /** Register positions as they are read, in shard order. Each must be greater than every position added before. */
  add(positions: readonly string[]): void {
    for (const position of positions) {
      if (this.#lastAdded !== null && this.#compare(position, this.#lastAdded) <= 0) {
        throw new TributaryError('INTERNAL', `position ${position} added out of shard order (after ${this.#lastAdded})`);
      }
      this.#queue.push(position);
      this.#done.push(false);
      this.#pending += 1;
      this.#lastAdded = position;
    }
  }

  /**
   * Mark positions settled, in any order. Settling a position twice, or one the checkpoint has already passed, is a
   * no-op (a redelivered settlement must not fail). Settling a position never added throws `INTERNAL`.
   */
  settle(positions: readonly string[]): void {
    let hint = this.#head;
    for (const position of positions) {
      const index = this.#queue[hint] === position ? hint : this.#find(position);
      if (index >= 0) {
        if (!this.#done[index]) {
          this.#done[index] = true;
          this.#pending -= 1;
          this.#blocked += 1;
        }
        hint = index + 1;
        continue;
      }
      if (this.#checkpoint !== null && this.#compare(position, this.#checkpoint) <= 0) continue;
      throw new TributaryError('INTERNAL', `position ${position} settled but never added`);
    }
    this.#advance();
  }

  /**
   * The highest position P such that every added position ≤ P is settled; the `start` checkpoint (or null) while the
   * lowest added position is still unsettled.
   */
  checkpoint(): string | null {
    return this.#checkpoint;
  }

  /** The lowest added position that is not settled, i.e. where a restart must resume reading; null if none. */
  lowestUnsettled(): string | null {
    // `#advance` consumes every settled position at the head, so the head is the lowest unsettled one.
    return this.#queue[this.#head] ?? null;
  }

  /** Positions added and not yet settled. */
  get pending(): number {
    return this.#pending;
  }

  /** Positions settled but held behind an unsettled lower one (the checkpoint cannot cover them yet). */
  get blocked(): number {
    return this.#blocked;
  }

  /** Index of `position` in the live queue (binary search: the queue is in shard order), or -1. */
  #find(position: string): number {
    let low = this.#head;
    let high = this.#queue.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = this.#compare(this.#queue[middle] as string, position);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  #advance(): void {
    while (this.#head < this.#queue.length && this.#done[this.#head] === true) {
      this.#checkpoint = this.#queue[this.#head] ?? this.#checkpoint;
      this.#head += 1;
      this.#blocked -= 1;
    }
    // Drop the consumed prefix now and then, so memory stays bounded by what is in flight.
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#done = this.#done.slice(this.#head);
      this.#head = 0;
    }
  }
}
