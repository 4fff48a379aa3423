/**
 * Retry state by position (DESIGN §1: "retry state is stored with the position it belongs to, never per shard").
 * Pure: no I/O.
 *
 * - `RestoredRetries`: the marks a lane resumed with. A segment that starts exactly at a marked position resumes
 *   with its stored count; a batch is cut before a marked record so that the records ahead of it — which may
 *   never have failed — start from 0 and never inherit someone else's count, and after the mark's `through`
 *   record, so that the records after the segment do not inherit it either (a poison narrowed to itself by
 *   bisection keeps its count to itself). A legacy mark without a position (the older single-count layout)
 *   belongs to the first record read after the checkpoint.
 * - `LiveRetries`: the current mark of each key lane (one segment is retried at a time per lane).
 * Both feed the snapshot written with the checkpoint: live marks, plus restored marks not yet reached.
 */
import type { RetryMark } from '../connector/types.js';

interface StoredSegment {
  readonly retries: number;
  readonly through: string | null;
}

export class RestoredRetries {
  readonly #byPosition = new Map<string, StoredSegment>();
  #unplaced: number | null = null;

  constructor(marks: readonly RetryMark[]) {
    for (const mark of marks) {
      if (mark.position === null) this.#unplaced = Math.max(this.#unplaced ?? 0, mark.retries);
      else this.#byPosition.set(mark.position, { retries: mark.retries, through: mark.through ?? null });
    }
  }

  /** The first record read after the checkpoint: a legacy mark without a position becomes its mark. */
  placeFirst(position: string): void {
    if (this.#unplaced === null) return;
    const placed = this.#byPosition.get(position);
    this.#byPosition.set(position, { retries: Math.max(placed?.retries ?? 0, this.#unplaced), through: placed?.through ?? null });
    this.#unplaced = null;
  }

  /** Retries stored for a segment starting at `position`; consumed (0 when none). */
  take(position: string): number {
    const retries = this.#byPosition.get(position)?.retries ?? 0;
    this.#byPosition.delete(position);
    return retries;
  }

  /**
   * Where to cut `records` (an index ≥ 1), or null: after the stored segment that starts at the first record, or
   * before the first later record that starts one, whichever comes first.
   */
  cutIndex(records: readonly { readonly position: string }[]): number | null {
    if (this.#byPosition.size === 0) return null;
    const through = records[0] === undefined ? null : (this.#byPosition.get(records[0].position)?.through ?? null);
    for (let i = 1; i < records.length; i += 1) {
      const record = records[i];
      if (record !== undefined && this.#byPosition.has(record.position)) return i;
      if (records[i - 1]?.position === through) return i;
    }
    return null;
  }

  /** Marks not reached yet (still to be stored, so a second restart keeps them). */
  pending(): RetryMark[] {
    const out: RetryMark[] = [...this.#byPosition].map(([position, { retries, through }]) => markOf(position, retries, through));
    if (this.#unplaced !== null) out.push({ position: null, retries: this.#unplaced });
    return out;
  }
}

function markOf(position: string | null, retries: number, through: string | null | undefined): RetryMark {
  return through === null || through === undefined ? { position, retries } : { position, retries, through };
}

export class LiveRetries {
  readonly #byLane = new Map<number, RetryMark>();

  set(lane: number, position: string, retries: number, through: string): void {
    this.#byLane.set(lane, { position, retries, through });
  }

  clear(lane: number): void {
    this.#byLane.delete(lane);
  }

  marks(): RetryMark[] {
    return [...this.#byLane.values()];
  }
}

/**
 * The marks to store with `checkpoint`: live ones, and restored ones not yet reached, dropping any the checkpoint
 * has passed (settled since). `compare` orders positions.
 */
export function marksToStore(live: readonly RetryMark[], pending: readonly RetryMark[], checkpoint: string | null, compare: (a: string, b: string) => number): RetryMark[] {
  const byPosition = new Map<string | null, RetryMark>();
  for (const mark of [...pending, ...live]) {
    if (mark.position !== null && checkpoint !== null && compare(mark.position, checkpoint) <= 0) continue;
    byPosition.set(mark.position, mark);
  }
  return [...byPosition.values()];
}
