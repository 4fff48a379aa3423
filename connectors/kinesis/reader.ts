/**
 * Reads one Kinesis shard in order with GetRecords, the way a Lambda standard-iterator poller does.
 * https://docs.aws.amazon.com/streams/latest/dev/developing-consumers-with-sdk.html
 *
 * - The iterator is taken lazily on the first read (LATEST excepted, see below) and then chained through
 *   NextShardIterator; a failed call keeps the iterator, so a retry reads the same records again.
 * - An expired iterator (older than 5 minutes, e.g. while the core retried a batch for a long time) is renewed
 *   AFTER_SEQUENCE_NUMBER of the last record returned, so nothing is skipped or repeated — the peers that renew
 *   from the starting position (LocalStack) replay or skip records. One renewal per read; a second expiry is
 *   thrown (retryable) and the next read renews again.
 * - A null NextShardIterator means the shard is closed and everything has been returned: `shardEnd` (the core
 *   then checkpoints SHARD_END and starts the children).
 * - One Kinesis record may be a KPL aggregate of many user records (user-records.ts): a read returns at most
 *   `maxRecords` user records and keeps the rest of the page for the next read. A checkpoint inside an aggregate
 *   resumes AT_SEQUENCE_NUMBER of it and skips the user records already settled (position.ts).
 */
import type { ShardReader, ShardReadResult, SourceRecord, StartPosition } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import type { IteratorPosition, RecordsPage } from './client.js';
import { isExpiredIterator, isFutureTimestamp } from './errors.js';
import type { KinesisRecordData } from './event.js';
import { isSettledBy, resumePointOf, type ResumePoint } from './position.js';

/** The two calls a reader makes, bound to its stream. */
export interface ShardReadApi {
  getShardIterator(shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<string>;
  getRecords(iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage>;
}

export interface KinesisShardReaderOptions {
  readonly shardId: string;
  readonly start: StartPosition;
  readonly api: ShardReadApi;
  /** The source records of one Kinesis record (several for a KPL aggregate). */
  readonly toRecords: (record: KinesisRecordData) => readonly SourceRecord[];
  readonly now: () => number;
  /** Records per GetRecords call at most (10,000 on Kinesis). */
  readonly maxLimit: number;
  /** Called once when the reader is closed (the source forgets it). */
  readonly onClose?: (reader: KinesisShardReader) => void;
}

/** Where a reader first reads for a start position; `resume` is the checkpoint to skip up to, if any. */
export function startToIterator(start: StartPosition): { readonly position: IteratorPosition; readonly resume: ResumePoint | null } {
  switch (start.kind) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      return { position: { type: start.kind }, resume: null };
    case 'AT_TIMESTAMP':
      return { position: { type: 'AT_TIMESTAMP', timestampMs: start.timestampMs }, resume: null };
    case 'AFTER': {
      const resume = resumePointOf(start.position);
      const type = resume.kind === 'after-record' ? 'AFTER_SEQUENCE_NUMBER' : 'AT_SEQUENCE_NUMBER';
      return { position: { type, sequenceNumber: resume.sequenceNumber }, resume };
    }
  }
}

/**
 * Drops the user records a checkpoint inside an aggregate already covers, until the first one it does not: the
 * reader resumed AT_SEQUENCE_NUMBER of that aggregate.
 */
export class SettledSkip {
  #point: ResumePoint | null;

  constructor(point: ResumePoint | null) {
    this.#point = point?.kind === 'inside-record' ? point : null;
  }

  apply(records: readonly SourceRecord[]): readonly SourceRecord[] {
    const point = this.#point;
    if (point === null) return records;
    const first = records.findIndex((record) => !isSettledBy(record.position, point));
    if (first < 0) return [];
    this.#point = null;
    return first === 0 ? records : records.slice(first);
  }
}

export class KinesisShardReader implements ShardReader {
  readonly #options: KinesisShardReaderOptions;
  #iterator: string | null = null;
  /** Sequence number of the last record handed out: where a renewed iterator resumes. */
  #lastSequenceNumber: string | null = null;
  /** When the first LATEST iterator was taken: a renewal before any record resumes AT_TIMESTAMP of it. */
  #latestTakenAtMs: number | null = null;
  /** User records of the last page beyond what a read could return. */
  #pending: SourceRecord[] = [];
  #millisBehindLatest: number | null = null;
  readonly #skip: SettledSkip;
  #ended = false;
  #closed = false;

  constructor(options: KinesisShardReaderOptions) {
    this.#options = options;
    this.#skip = new SettledSkip(startToIterator(options.start).resume);
  }

  /**
   * LATEST means "records put from now on", so its iterator is taken when the reader opens, not at the first
   * read: records put in between would otherwise be skipped. Other positions are absolute and stay lazy.
   */
  async prepare(signal: AbortSignal): Promise<void> {
    if (this.#options.start.kind === 'LATEST') await this.#renew(signal);
  }

  async read(maxRecords: number, signal: AbortSignal): Promise<ShardReadResult> {
    if (this.#closed) throw new TributaryError('STOPPED', `reader of ${this.#options.shardId} is closed`, { retryable: true });
    if (this.#ended && this.#pending.length === 0) return { records: [], shardEnd: true, millisBehindLatest: null };
    const limit = Math.max(1, Math.min(this.#options.maxLimit, Math.floor(maxRecords)));
    if (this.#pending.length === 0) {
      const page = await this.#getRecords(limit, signal);
      this.#pending = [...this.#skip.apply(page.records.flatMap((r) => this.#options.toRecords(r)))];
      const last = page.records.at(-1);
      if (last !== undefined) this.#lastSequenceNumber = last.sequenceNumber;
      this.#iterator = page.nextShardIterator;
      this.#ended = page.nextShardIterator === null;
      this.#millisBehindLatest = page.millisBehindLatest;
    }
    const records = this.#pending.splice(0, limit);
    return { records, shardEnd: this.#ended && this.#pending.length === 0, millisBehindLatest: this.#millisBehindLatest };
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#iterator = null;
      this.#pending = [];
      this.#options.onClose?.(this);
    }
    return Promise.resolve();
  }

  async #getRecords(limit: number, signal: AbortSignal): Promise<RecordsPage> {
    for (let renewals = 0; ; renewals++) {
      const iterator = this.#iterator ?? (await this.#renew(signal));
      try {
        return await this.#options.api.getRecords(iterator, limit, signal);
      } catch (error) {
        if (!isExpiredIterator(error)) throw error;
        this.#iterator = null;
        if (renewals >= 1) throw error;
      }
    }
  }

  async #renew(signal: AbortSignal): Promise<string> {
    let position = this.#resumePosition();
    // Taken before the call: an early time can only add a record that arrived around the start, never skip one.
    const takenAtMs = this.#options.now();
    let iterator: string;
    try {
      iterator = await this.#options.api.getShardIterator(this.#options.shardId, position, signal);
    } catch (error) {
      if (position.type !== 'AT_TIMESTAMP' || !isFutureTimestamp(error)) throw error;
      // The service's clock is behind ours: by its clock nothing has arrived at or after the timestamp yet, so LATEST
      // reads exactly what may still qualify (what arrives from now on) and skips nothing.
      position = { type: 'LATEST' };
      iterator = await this.#options.api.getShardIterator(this.#options.shardId, position, signal);
    }
    if (position.type === 'LATEST') this.#latestTakenAtMs = takenAtMs;
    this.#iterator = iterator;
    return iterator;
  }

  #resumePosition(): IteratorPosition {
    if (this.#lastSequenceNumber !== null) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastSequenceNumber };
    // Nothing read yet from LATEST: a new LATEST would skip what arrived while the iterator was unused.
    if (this.#latestTakenAtMs !== null) return { type: 'AT_TIMESTAMP', timestampMs: this.#latestTakenAtMs };
    return startToIterator(this.#options.start).position;
  }
}
