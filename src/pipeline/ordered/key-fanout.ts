/**
 * One reader per shard reading ahead of its lanes — a page while the lanes invoke, so a small batchSize does not
 * cost one GetRecords per batch — and, with ParallelizationFactor N > 1, feeding N key lanes, each batching up to batchSize and retrying on its
 * own (AWS: "the number of batches to process from each shard concurrently", by partition key — by item for
 * DynamoDB). https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
 *
 * A pump reads the shard in order and appends each record to the buffer of its key's lane
 * (policy/stream-partition-lane.ts), so per-key order holds; lanes drain their buffers at their own pace. Read-ahead
 * is bounded per shard (records and bytes): a lane stuck retrying a poison record keeps its buffer, the others run
 * on until the shard's budget is used up — the checkpoint cannot pass the stuck record anyway.
 */
import type { LaneRead, SourceRecord } from '../../connector/types.js';
import type { LaneReadFn } from '../lane/lane-loop.js';

export interface FanoutBudget {
  /** Records buffered across all key lanes at most (a read asks for no more than what is left of it). */
  readonly records: number;
  readonly bytes: number;
}

interface Buffer {
  records: SourceRecord[];
  wake: (() => void) | null;
}

export class KeyFanout {
  readonly #read: LaneReadFn;
  readonly #laneOf: (record: SourceRecord) => number;
  readonly #budget: FanoutBudget;
  readonly #pageSize: number;
  readonly #pollWaitMs: number;
  readonly #signal: AbortSignal;
  readonly #buffers: Buffer[];
  #bufferedRecords = 0;
  #bufferedBytes = 0;
  #ended = false;
  #space: (() => void) | null = null;

  constructor(options: {
    read: LaneReadFn;
    lanes: number;
    laneOf: (record: SourceRecord) => number;
    budget: FanoutBudget;
    pageSize: number;
    /** Wait of one pump read when the shard is idle. */
    pollWaitMs: number;
    signal: AbortSignal;
  }) {
    this.#read = options.read;
    this.#laneOf = options.laneOf;
    this.#budget = options.budget;
    this.#pageSize = options.pageSize;
    this.#pollWaitMs = options.pollWaitMs;
    this.#signal = options.signal;
    this.#buffers = Array.from({ length: options.lanes }, () => ({ records: [], wake: null }));
    options.signal.addEventListener('abort', () => this.#wakeAll(), { once: true });
  }

  /** Reads the shard until it ends or the signal aborts. Rejects only on a bug (reads never throw). */
  async pump(): Promise<void> {
    while (!this.#signal.aborted && !this.#ended) {
      if (this.#bufferedRecords >= this.#budget.records || this.#bufferedBytes >= this.#budget.bytes) {
        await new Promise<void>((resolve) => {
          this.#space = resolve;
          if (this.#signal.aborted) resolve();
        });
        continue;
      }
      // One page, but no more than the budget has room for (at least one record): read-ahead stays bounded.
      const room = Math.max(1, this.#budget.records - this.#bufferedRecords);
      const result = await this.#read(Math.min(this.#pageSize, room), this.#pollWaitMs);
      for (const record of result.records) {
        const buffer = this.#buffers[this.#laneOf(record)];
        if (buffer === undefined) throw new Error(`key lane out of range for ${record.id}`);
        buffer.records.push(record);
        this.#bufferedRecords += 1;
        this.#bufferedBytes += record.sizeBytes;
      }
      if (result.end) this.#ended = true;
      if (result.records.length > 0 || result.end) this.#wakeAll();
    }
    this.#wakeAll();
  }

  /** The read function of key lane `lane`: what is buffered, else wait for the pump up to `waitMs`. */
  input(lane: number): LaneReadFn {
    const buffer = this.#buffers[lane];
    if (buffer === undefined) throw new Error(`no key lane ${lane}`);
    const own: Buffer = buffer;
    return async (maxRecords, waitMs) => {
      if (own.records.length === 0 && !this.#ended && !this.#signal.aborted && waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(finish, waitMs);
          function finish(): void {
            clearTimeout(timer);
            own.wake = null;
            resolve();
          }
          own.wake = finish;
        });
      }
      const records = own.records.splice(0, maxRecords);
      if (records.length > 0) {
        this.#bufferedRecords -= records.length;
        for (const record of records) this.#bufferedBytes -= record.sizeBytes;
        const space = this.#space;
        this.#space = null;
        space?.();
      }
      // The shard-level read reports whether the shard is caught up; a key lane does not know.
      const read: LaneRead = { records, end: this.#ended && own.records.length === 0, caughtUp: false };
      return read;
    };
  }

  #wakeAll(): void {
    for (const buffer of this.#buffers) buffer.wake?.();
    const space = this.#space;
    this.#space = null;
    space?.();
  }
}
