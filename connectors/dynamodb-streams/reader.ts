/**
 * Reads one DynamoDB Streams shard in order with GetRecords, the way Lambda's poller does, and recovers by itself
 * from every iterator failure without skipping a record silently or stalling the shard.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html#Streams.Processing
 *
 * - The iterator is taken lazily on the first read (LATEST excepted: taken when the reader opens, so records put
 *   in between are not skipped) and then chained through NextShardIterator. A call that fails for another reason
 *   keeps the iterator, so the retry reads the same records.
 * - Expired iterator (they live 15 minutes) and DynamoDB Local's `Invalid ShardId in ShardIterator`: re-open
 *   AFTER_SEQUENCE_NUMBER of the last record returned, or at the start position when nothing was read yet — except
 *   LATEST, which re-opens at TRIM_HORIZON with a warning (a new LATEST could skip records; DynamoDB Streams has no
 *   AT_TIMESTAMP to resume at the moment the reader opened).
 * - TrimmedDataAccessException: nothing read yet → TRIM_HORIZON; otherwise re-open after the last record, and if
 *   that is trimmed too, TRIM_HORIZON with a warning that records expired (past the 24-hour retention).
 * - A missing NextShardIterator ends the shard only when DescribeStream shows it closed and every record was
 *   returned; on an open shard (a DynamoDB Local quirk, localstack/localstack#12483) the reader re-opens instead.
 * - At most {@link MAX_RECOVERIES_PER_READ} re-opens per read: a failure that persists is thrown (retryable), the
 *   core backs off, and the next read recovers again.
 */
import type { ShardReader, ShardReadResult, SourceRecord, StartPosition } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import type { IteratorPosition, RecordsPage, StreamShard } from './client.js';
import { recoveryOf, type IteratorRecovery } from './errors.js';
import type { DynamoDbStreamRecordData } from './event.js';

/** The calls a reader makes, bound to its stream. */
export interface ShardReadApi {
  getShardIterator(shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<string>;
  getRecords(iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage>;
  /** The shard as DescribeStream lists it now; null when the stream no longer lists it (past retention). */
  describeShard(shardId: string, signal: AbortSignal): Promise<StreamShard | null>;
}

/** Where the reader reports what it could not recover without loss or replay (a pino logger fits). */
export interface ReaderLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Every StartPosition but AT_TIMESTAMP, which DynamoDB Streams does not have. */
export type StreamStartPosition = Exclude<StartPosition, { readonly kind: 'AT_TIMESTAMP' }>;

/**
 * Refuses AT_TIMESTAMP: GetShardIterator has no such type for DynamoDB Streams and Lambda refuses it for DynamoDB
 * mappings (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html, StartingPosition).
 */
export function toStreamStart(start: StartPosition): StreamStartPosition {
  if (start.kind === 'AT_TIMESTAMP') {
    throw new TributaryError('CONFIG_INVALID', 'startingPosition AT_TIMESTAMP is not supported for DynamoDB Streams (use TRIM_HORIZON or LATEST)');
  }
  return start;
}

export interface DynamoDbShardReaderOptions {
  readonly shardId: string;
  readonly start: StartPosition;
  readonly api: ShardReadApi;
  readonly toRecord: (record: DynamoDbStreamRecordData) => SourceRecord;
  /** Records per GetRecords call at most (1,000 on DynamoDB Streams). */
  readonly maxLimit: number;
  readonly log: ReaderLog;
  /** Called once when the reader is closed (the source forgets it). */
  readonly onClose?: (reader: DynamoDbShardReader) => void;
}

/** Iterator re-opens one read may do before it gives up and throws the (retryable) failure. */
export const MAX_RECOVERIES_PER_READ = 3;

const TRIM_HORIZON: IteratorPosition = { type: 'TRIM_HORIZON' };

/** Sequence numbers are decimal strings of up to 40 digits; null when one is not a number. */
function compareSequenceNumbers(a: string, b: string): number | null {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return null;
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export class DynamoDbShardReader implements ShardReader {
  readonly #options: DynamoDbShardReaderOptions;
  readonly #start: StreamStartPosition;
  #iterator: string | null = null;
  /** The iterator came from GetShardIterator (at the resume position), not from a NextShardIterator. */
  #iteratorFresh = false;
  /** Sequence number of the last record handed out: where a re-opened iterator resumes. */
  #lastSequenceNumber: string | null = null;
  #latestOpened = false;
  /** Re-open at TRIM_HORIZON: the resume position is past retention. Cleared by the next record read. */
  #fromHorizon = false;
  /** The last sequence number after which a re-open already met TrimmedDataAccessException once. */
  #trimmedAfter: string | null = null;
  #warnedLatestReplay = false;
  #warnedMissingIterator = false;
  #ended = false;
  #closed = false;

  constructor(options: DynamoDbShardReaderOptions) {
    this.#options = options;
    this.#start = toStreamStart(options.start);
  }

  /** Takes the LATEST iterator now: LATEST means "records put from now on". Other positions stay lazy. */
  async prepare(signal: AbortSignal): Promise<void> {
    if (this.#start.kind === 'LATEST' && (await this.#open(signal)) === null) this.#ended = true;
  }

  async read(maxRecords: number, signal: AbortSignal): Promise<ShardReadResult> {
    if (this.#closed) throw new TributaryError('STOPPED', `reader of ${this.#options.shardId} is closed`, { retryable: true });
    const limit = Math.max(1, Math.min(this.#options.maxLimit, Math.floor(maxRecords)));
    for (let recoveries = 0; ; recoveries++) {
      try {
        return await this.#readOnce(limit, signal);
      } catch (error) {
        const recovery = recoveryOf(error);
        if (recovery === null) throw error;
        this.#recover(recovery);
        if (recoveries >= MAX_RECOVERIES_PER_READ) throw error;
      }
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#iterator = null;
      this.#options.onClose?.(this);
    }
    return Promise.resolve();
  }

  async #readOnce(limit: number, signal: AbortSignal): Promise<ShardReadResult> {
    if (this.#ended) return { records: [], shardEnd: true, millisBehindLatest: null };
    const iterator = this.#iterator ?? (await this.#open(signal));
    if (iterator === null) {
      this.#ended = true;
      return { records: [], shardEnd: true, millisBehindLatest: null };
    }
    const fresh = this.#iteratorFresh;
    const page = await this.#options.api.getRecords(iterator, limit, signal);
    const records = page.records.map((r) => this.#options.toRecord(r));
    const last = page.records.findLast((r) => r.dynamodb?.SequenceNumber !== undefined)?.dynamodb?.SequenceNumber;
    if (last !== undefined) {
      this.#lastSequenceNumber = last;
      this.#fromHorizon = false;
      this.#trimmedAfter = null;
    }
    this.#iterator = page.nextShardIterator;
    this.#iteratorFresh = false;
    // Records are handed out before anything else can fail; a missing iterator is dealt with by the next read.
    if (page.nextShardIterator !== null || records.length > 0) return { records, shardEnd: false, millisBehindLatest: null };
    this.#ended = await this.#reachedEnd(fresh, signal);
    return { records: [], shardEnd: this.#ended, millisBehindLatest: null };
  }

  /** Opens an iterator at the resume position; null when the shard no longer exists (it is then over). */
  async #open(signal: AbortSignal): Promise<string | null> {
    const position = this.#resumePosition();
    if (this.#start.kind === 'LATEST' && this.#latestOpened && this.#lastSequenceNumber === null) this.#warnLatestReplay();
    let iterator: string;
    try {
      iterator = await this.#options.api.getShardIterator(this.#options.shardId, position, signal);
    } catch (error) {
      if (!(error instanceof TributaryError && error.code === 'SOURCE_NOT_FOUND')) throw error;
      // "Shard does not exist": if the stream no longer lists it, all of it is past retention; the children go on.
      if ((await this.#options.api.describeShard(this.#options.shardId, signal)) !== null) throw error;
      this.#options.log.warn(
        { shard: this.#options.shardId, after: this.#lastSequenceNumber },
        'DynamoDB Streams shard no longer exists (past the 24-hour retention): its unread records expired; ending the shard',
      );
      return null;
    }
    if (position.type === 'LATEST') this.#latestOpened = true;
    this.#iterator = iterator;
    this.#iteratorFresh = true;
    return iterator;
  }

  #resumePosition(): IteratorPosition {
    if (this.#fromHorizon) return TRIM_HORIZON;
    if (this.#lastSequenceNumber !== null) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastSequenceNumber };
    switch (this.#start.kind) {
      case 'TRIM_HORIZON':
        return TRIM_HORIZON;
      case 'AFTER':
        return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#start.position };
      case 'LATEST':
        // Re-opening before any record was read: a new LATEST would skip what was put meanwhile, and DynamoDB
        // Streams has no AT_TIMESTAMP. TRIM_HORIZON skips nothing, at the price of older records.
        return this.#latestOpened ? TRIM_HORIZON : { type: 'LATEST' };
    }
  }

  #recover(recovery: IteratorRecovery): void {
    this.#iterator = null;
    this.#iteratorFresh = false;
    if (recovery === 'trimmed-data') this.#onTrimmed();
  }

  #onTrimmed(): void {
    const position = this.#resumePosition();
    // The horizon itself moved on (or DynamoDB Local's spurious error): open it again.
    if (position.type === 'TRIM_HORIZON') return;
    const shard = this.#options.shardId;
    if (this.#lastSequenceNumber === null) {
      // Nothing read yet and the start is not TRIM_HORIZON nor a re-opened LATEST (both are TRIM_HORIZON above):
      // it is the checkpoint, and the records after it are gone.
      this.#fromHorizon = true;
      this.#options.log.warn(
        { shard, after: this.#start.kind === 'AFTER' ? this.#start.position : null },
        'DynamoDB Streams records after the checkpoint are past the 24-hour retention and expired; resuming at TRIM_HORIZON',
      );
      return;
    }
    if (this.#trimmedAfter === this.#lastSequenceNumber) {
      this.#fromHorizon = true;
      this.#options.log.warn(
        { shard, after: this.#lastSequenceNumber },
        'DynamoDB Streams records after the last one read are past the 24-hour retention and expired; resuming at TRIM_HORIZON',
      );
      return;
    }
    // First time: an old iterator may be all that was trimmed; re-open right after the last record.
    this.#trimmedAfter = this.#lastSequenceNumber;
  }

  /**
   * GetRecords sent no records and no NextShardIterator. On AWS that ends a closed shard; DynamoDB Local also does it
   * on open shards. Ends the shard only when DescribeStream shows it closed and every record has been returned.
   */
  async #reachedEnd(freshIterator: boolean, signal: AbortSignal): Promise<boolean> {
    const shard = await this.#options.api.describeShard(this.#options.shardId, signal);
    if (shard === null) {
      this.#options.log.warn(
        { shard: this.#options.shardId, after: this.#lastSequenceNumber },
        'DynamoDB Streams shard no longer listed (past the 24-hour retention); ending it',
      );
      return true;
    }
    const ending = shard.endingSequenceNumber;
    if (ending === null) {
      if (!this.#warnedMissingIterator) {
        this.#warnedMissingIterator = true;
        this.#options.log.warn({ shard: shard.shardId }, 'GetRecords returned no NextShardIterator for an open shard; re-opening the iterator');
      }
      return false;
    }
    // A new iterator at the resume position saw nothing more: everything has been returned.
    if (freshIterator) return true;
    const reached = this.#lastSequenceNumber ?? (this.#start.kind === 'AFTER' ? this.#start.position : null);
    if (reached !== null && (compareSequenceNumbers(reached, ending) ?? -1) >= 0) return true;
    // A chain from LATEST that never met a record reached the end: nothing was put after the reader started.
    if (this.#lastSequenceNumber === null && this.#start.kind === 'LATEST' && !this.#fromHorizon) return true;
    // Otherwise the next read re-opens at the resume position and confirms with a fresh iterator.
    return false;
  }

  #warnLatestReplay(): void {
    if (this.#warnedLatestReplay) return;
    this.#warnedLatestReplay = true;
    this.#options.log.warn(
      { shard: this.#options.shardId },
      'DynamoDB Streams LATEST iterator had to be re-opened before any record was read; reading from TRIM_HORIZON so nothing is skipped (records put before the start may be delivered)',
    );
  }
}
