/**
 * Reads one Kinesis shard through enhanced fan-out, the way a Lambda EFO mapping does: Kinesis pushes events over a
 * SubscribeToShard HTTP/2 connection, which lasts up to 5 minutes and is then renewed.
 * https://docs.aws.amazon.com/streams/latest/dev/building-enhanced-consumers-api.html
 *
 * - A pump pulls the subscription's events into a bounded buffer; when the buffer is full it stops pulling, so HTTP/2
 *   flow control holds the service back (backpressure without dropping anything). `read` hands out what is
 *   buffered, waiting up to the lane's wait for the next push when nothing is.
 * - A subscription that ends (its 5-minute lifetime) or fails is renewed AFTER_SEQUENCE_NUMBER of the last
 *   continuation sequence number — records already buffered stay buffered, so nothing is skipped or read twice — at
 *   the pace AWS allows (resubscribe.ts). A failure is reported once to the next read that finds nothing, for the
 *   engine's health and metrics, while the pump keeps reconnecting by itself.
 * - The shard ends with the event whose ContinuationSequenceNumber is null (its ChildShards go to `onChildShards`), as
 *   the KCL's FanOutRecordsPublisher decides. Emulators that never send that event (kinesis-mock sends no ChildShards
 *   and always a continuation) would leave a closed shard open forever: when the shard is known to be closed and the
 *   subscription is caught up with nothing new, `confirmEnd` asks GetRecords whether anything is left.
 * - KPL aggregates become their user records (user-records.ts); a start inside an aggregate skips the user records
 *   already settled (position.ts), as polling does.
 */
import type { ShardReader, ShardReadResult, SourceRecord, StartPosition } from '../../src/connector/index.js';
import { raceAbort, sleep } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import type { IteratorPosition } from './client.js';
import type { KinesisRecordData } from './event.js';
import type { ChildShardInfo, FanOutEvent, FanOutSubscription } from './fanout-api.js';
import { SettledSkip, startToIterator } from './reader.js';
import { resubscribeDelayMs } from './resubscribe.js';

/** How long a read waits for a push when the lane gives no wait of its own. */
export const FANOUT_DEFAULT_WAIT_MS = 1_000;
/** Most user records and bytes buffered per shard before the pump stops pulling events. */
export const FANOUT_BUFFER_RECORDS = 10_000;
export const FANOUT_BUFFER_BYTES = 12 * 1024 * 1024;
/** Between two end-of-shard confirmations of a closed shard (two GetRecords-side calls each). */
const END_CHECK_INTERVAL_MS = 5_000;

export interface FanOutShardReaderOptions {
  readonly shardId: string;
  readonly start: StartPosition;
  readonly subscribe: (position: IteratorPosition, signal: AbortSignal) => Promise<FanOutSubscription>;
  readonly toRecords: (record: KinesisRecordData) => readonly SourceRecord[];
  readonly now: () => number;
  readonly random: () => number;
  /** True once shard discovery has seen the shard closed (it has an ending sequence number). */
  readonly shardClosed: () => boolean;
  /** True when nothing is left to read after `position` in the closed shard (GetRecords' null NextShardIterator). */
  readonly confirmEnd: (position: IteratorPosition, signal: AbortSignal) => Promise<boolean>;
  readonly onChildShards?: (children: readonly ChildShardInfo[]) => void;
  /** A subscription failed (`failures` in a row); the reader reconnects by itself. */
  readonly onReconnect?: (error: unknown, failures: number) => void;
  readonly onClose?: (reader: FanOutShardReader) => void;
  readonly bufferRecords?: number;
  readonly bufferBytes?: number;
  /** Waits between subscriptions (the kit's `sleep`; injected by tests to see the pacing without waiting). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Buffered {
  readonly record: SourceRecord;
  readonly millisBehindLatest: number | null;
}

export class FanOutShardReader implements ShardReader {
  readonly waitsForRecords = true;
  readonly #options: FanOutShardReaderOptions;
  readonly #abort = new AbortController();
  readonly #skip: SettledSkip;
  readonly #startPosition: IteratorPosition;
  #buffer: Buffered[] = [];
  #bufferedBytes = 0;
  /** AFTER_SEQUENCE_NUMBER of this renews the subscription; null until the first event. */
  #continuation: string | null = null;
  #latestTakenAtMs: number | null = null;
  #millisBehindLatest: number | null = null;
  #ended = false;
  #closed = false;
  /** A subscription failure not yet reported to a read. */
  #unreported: unknown = null;
  #failures = 0;
  #lastAttemptAt: number | null = null;
  #lastSuccessAt: number | null = null;
  #lastEndCheckAt: number | null = null;
  #wakeReader: (() => void) | null = null;
  #wakePump: (() => void) | null = null;
  #pump: Promise<void> | null = null;

  constructor(options: FanOutShardReaderOptions) {
    this.#options = options;
    const { position, resume } = startToIterator(options.start);
    this.#startPosition = position;
    this.#skip = new SettledSkip(resume);
  }

  /** Subscribes at once (LATEST then means "from when the shard was opened") and keeps the subscription until close. */
  prepare(signal: AbortSignal): Promise<void> {
    const lifetime = AbortSignal.any([signal, this.#abort.signal]);
    this.#pump ??= this.#run(lifetime);
    return Promise.resolve();
  }

  async read(maxRecords: number, signal: AbortSignal, waitMs?: number): Promise<ShardReadResult> {
    if (this.#closed) throw new TributaryError('STOPPED', `reader of ${this.#options.shardId} is closed`, { retryable: true });
    if (this.#buffer.length === 0 && !this.#ended) {
      this.#throwUnreported();
      await this.#waitForRecords(waitMs ?? FANOUT_DEFAULT_WAIT_MS, signal);
      if (this.#buffer.length === 0) this.#throwUnreported();
    }
    const taken = this.#buffer.splice(0, Math.max(1, Math.floor(maxRecords)));
    for (const entry of taken) this.#bufferedBytes -= entry.record.sizeBytes;
    if (taken.length > 0) this.#release();
    const millisBehindLatest = taken.at(-1)?.millisBehindLatest ?? this.#millisBehindLatest;
    return { records: taken.map((entry) => entry.record), shardEnd: this.#ended && this.#buffer.length === 0, millisBehindLatest };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#wakeReader?.();
    this.#release();
    await this.#pump?.catch(() => undefined);
    this.#buffer = [];
    this.#bufferedBytes = 0;
    this.#options.onClose?.(this);
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { now } = this.#options;
    while (!signal.aborted && !this.#ended) {
      const history = { now: now(), lastAttemptAt: this.#lastAttemptAt, lastSuccessAt: this.#lastSuccessAt, failures: this.#failures };
      await (this.#options.sleep ?? sleep)(resubscribeDelayMs(history, this.#options.random), signal);
      if (signal.aborted) return;
      const position = this.#resumePosition();
      // Taken before the call: an early LATEST time can only add a record, never skip one.
      const attemptAt = now();
      this.#lastAttemptAt = attemptAt;
      try {
        const subscription = await this.#options.subscribe(position, signal);
        this.#lastSuccessAt = attemptAt;
        if (position.type === 'LATEST') this.#latestTakenAtMs = attemptAt;
        await this.#consume(subscription, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.#failures += 1;
        this.#unreported = error;
        this.#options.onReconnect?.(error, this.#failures);
        this.#wakeReader?.();
      }
    }
  }

  /**
   * Pulls events one at a time — the next only once there is room (backpressure) — until the subscription ends, the
   * shard ends or the reader closes. A close does not wait for the connection to deliver: the pending pull is left to
   * the aborted request.
   */
  async #consume(subscription: FanOutSubscription, signal: AbortSignal): Promise<void> {
    const events = subscription[Symbol.asyncIterator]();
    const stopped = (): Error => new TributaryError('STOPPED', `reader of ${this.#options.shardId} is closed`, { retryable: true });
    try {
      for (;;) {
        const next = await raceAbort(events.next(), signal, stopped);
        if (next.done === true) return;
        this.#failures = 0;
        this.#accept(next.value);
        if (this.#ended || (await this.#closedAndDrained(next.value, signal))) return;
        await this.#waitForSpace(signal);
        if (signal.aborted) return;
      }
    } finally {
      void events.return?.()?.catch(() => undefined);
    }
  }

  #resumePosition(): IteratorPosition {
    if (this.#continuation !== null) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#continuation };
    // Nothing received yet after a LATEST subscription: a new LATEST would skip what arrived in between.
    if (this.#latestTakenAtMs !== null) return { type: 'AT_TIMESTAMP', timestampMs: this.#latestTakenAtMs };
    return this.#startPosition;
  }

  #accept(event: FanOutEvent): void {
    const records = this.#skip.apply(event.records.flatMap((record) => this.#options.toRecords(record)));
    for (const record of records) {
      this.#buffer.push({ record, millisBehindLatest: event.millisBehindLatest });
      this.#bufferedBytes += record.sizeBytes;
    }
    this.#millisBehindLatest = event.millisBehindLatest;
    if (event.continuationSequenceNumber !== null) this.#continuation = event.continuationSequenceNumber;
    else {
      this.#ended = true;
      if (event.childShards.length > 0) this.#options.onChildShards?.(event.childShards);
    }
    this.#wakeReader?.();
  }

  /** The fallback end of a closed shard, for services that never send the final event (see the file comment). */
  async #closedAndDrained(event: FanOutEvent, signal: AbortSignal): Promise<boolean> {
    if (event.records.length > 0 || event.millisBehindLatest !== 0 || !this.#options.shardClosed()) return false;
    const now = this.#options.now();
    if (this.#lastEndCheckAt !== null && now - this.#lastEndCheckAt < END_CHECK_INTERVAL_MS) return false;
    this.#lastEndCheckAt = now;
    const drained = await this.#options.confirmEnd(this.#resumePosition(), signal).catch(() => false);
    if (drained) {
      this.#ended = true;
      this.#wakeReader?.();
    }
    return drained;
  }

  #throwUnreported(): void {
    const error = this.#unreported;
    if (error === null) return;
    this.#unreported = null;
    throw error;
  }

  #waitForRecords(waitMs: number, signal: AbortSignal): Promise<void> {
    if (waitMs <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.#wakeReader === done) this.#wakeReader = null;
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      signal.addEventListener('abort', done, { once: true });
      this.#wakeReader = done;
    });
  }

  async #waitForSpace(signal: AbortSignal): Promise<void> {
    const records = this.#options.bufferRecords ?? FANOUT_BUFFER_RECORDS;
    const bytes = this.#options.bufferBytes ?? FANOUT_BUFFER_BYTES;
    while (!signal.aborted && (this.#buffer.length >= records || this.#bufferedBytes >= bytes)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          this.#wakePump = null;
          resolve();
        };
        signal.addEventListener('abort', done, { once: true });
        this.#wakePump = done;
      });
    }
  }

  #release(): void {
    this.#wakePump?.();
  }
}
