/**
 * One assigned partition of one consumer-group generation: buffers what kafkajs fetched, forms Lambda batches
 * (batchSize · batching window · 6 MB), hands each to the core's handler in offset order, and commits the settled
 * prefix. A lane never outlives its generation: when the group rebalances it is revoked (its signal aborts), it
 * commits nothing more, and the partition's next owner — maybe this instance again — resumes from the committed
 * offset. https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html ("Polling and stream starting positions")
 *
 * Fetching runs ahead of the handler (up to one batch), so the fetch position is not the commit position: when
 * processing stops short inside the same generation (an unexpected partial result, a failed commit, a handler that
 * threw) the lane seeks back to the committed offset and drops its buffer, so nothing is skipped.
 */
import type { Logger } from 'pino';
import type { PartitionBatchHandler, SourceRecord } from '../../src/connector/index.js';
import type { KafkaRecordData } from './event.js';

/** Outcome of one commit: `lost` = the generation ended, the partition may belong to someone else. */
export type CommitOutcome = 'ok' | 'lost' | 'failed';

/** The lane's view of the consumer and the group, supplied by the source. */
export interface LaneHost {
  readonly handler: PartitionBatchHandler;
  readonly logger: Logger;
  readonly now: () => number;
  readonly batchSize: number;
  readonly windowMs: number;
  /** Bytes of records per batch at most (the 6 MB invoke payload minus the event's envelope). */
  readonly maxPayloadBytes: number;
  readonly toRecord: (record: KafkaRecordData) => SourceRecord;
  /** The retries stored with the committed offset (commit metadata); 0 when none or when `head` is before it. */
  restoreRetries(head: string, signal: AbortSignal): Promise<number>;
  commit(offset: string, metadata: string | null): Promise<CommitOutcome>;
  pause(): void;
  resume(): void;
  seek(offset: string): void;
  /** Graceful stop: finish the batch in flight, start no other. */
  readonly stopping: AbortSignal;
  /** Back-off before re-reading after a failed commit or a handler that threw (default 1 s). */
  readonly recoveryDelayMs?: number;
}

/** Commit metadata that carries the retry count of the record at the committed offset. */
export function encodeAttempt(retries: number): string {
  return JSON.stringify({ tributaryAttempt: retries });
}

/** The retry count in commit metadata written by {@link encodeAttempt}; 0 for anything else. */
export function decodeAttempt(metadata: string | null): number {
  if (metadata === null || metadata === '') return 0;
  try {
    const parsed: unknown = JSON.parse(metadata);
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as { tributaryAttempt?: unknown }).tributaryAttempt : undefined;
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** How many leading records of `batch` the handler settled (it must return a prefix; anything else stops there). */
export function settledPrefixLength(batch: readonly SourceRecord[], settled: readonly SourceRecord[]): number {
  let n = 0;
  while (n < settled.length && n < batch.length && settled[n]?.id === batch[n]?.id) n += 1;
  return n;
}

/** Back-off before a lane re-reads after a failed commit or a handler that threw. */
const RECOVERY_DELAY_MS = 1_000;

export class PartitionLane {
  readonly topic: string;
  readonly partition: number;
  /** `<topic>-<partition>`. */
  readonly name: string;
  readonly #host: LaneHost;
  readonly #revoke = new AbortController();
  #buffer: SourceRecord[] = [];
  #bufferBytes = 0;
  /** Offset of the last buffered record: a refetch overlapping it is ignored. */
  #lastBuffered: bigint | null = null;
  /** Where the partition is committed (or, before the first commit, where this lane started reading). */
  #committed: string | null = null;
  /** The partition's high watermark as of the latest fetch (undefined until a fetch reported one). */
  #highWatermark: string | undefined = undefined;
  #restore = true;
  #paused = false;
  #recovering = false;
  #wake: (() => void) | null = null;
  #done: Promise<void> | null = null;

  constructor(topic: string, partition: number, name: string, host: LaneHost) {
    this.topic = topic;
    this.partition = partition;
    this.name = name;
    this.#host = host;
  }

  /** Aborted when the lane's generation ended or the source stops hard. */
  get signal(): AbortSignal {
    return this.#revoke.signal;
  }

  get revoked(): boolean {
    return this.#revoke.signal.aborted;
  }

  /** Starts the processing loop; `onExit` runs once when it ends. */
  start(onExit: (lane: PartitionLane) => void): void {
    this.#done ??= this.#run().finally(() => onExit(this));
  }

  /** Resolves when the lane has stopped (never rejects). */
  async done(): Promise<void> {
    await this.#done;
  }

  /** The generation ended or the source stops hard: abort the batch in flight, commit nothing more. */
  revoke(): void {
    this.#revoke.abort();
    this.#notify();
  }

  /** Wakes a lane waiting for records (graceful stop). */
  notify(): void {
    this.#notify();
  }

  /** True while the lane paused its partition (backpressure, recovery): the source resumes it if the lane dies. */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Adds fetched records (in offset order); returns the offset to resolve so kafkajs fetches on, or null to leave the
   * fetch position alone (the lane is about to seek back). `highWatermark` is the partition's end offset the fetch
   * reported; the lane hands the latest one to the handler with each batch (offset lag).
   */
  offer(records: readonly KafkaRecordData[], highWatermark?: string): string | null {
    // A batch fetched before the recovery's pause can still arrive: it is ahead of the commit, so it is dropped.
    if (this.#recovering) return null;
    if (highWatermark !== undefined) this.#highWatermark = highWatermark;
    for (const data of records) {
      const offset = BigInt(data.offset);
      if (this.#lastBuffered !== null && offset <= this.#lastBuffered) continue;
      const record = this.#host.toRecord(data);
      this.#buffer.push(record);
      this.#bufferBytes += record.sizeBytes;
      this.#lastBuffered = offset;
      this.#committed ??= data.offset;
    }
    // Backpressure: at most about one batch is read ahead.
    if (!this.#paused && (this.#buffer.length >= this.#host.batchSize || this.#bufferBytes >= this.#host.maxPayloadBytes)) {
      this.#paused = true;
      this.#host.pause();
    }
    this.#notify();
    return this.#lastBuffered === null ? null : this.#lastBuffered.toString();
  }

  async #run(): Promise<void> {
    let windowStart = this.#host.now();
    while (this.#active()) {
      let step: 'next' | 'recover' | 'stop' | 'idle' = 'idle';
      try {
        if (!(await this.#waitForBatch(windowStart))) break;
        const batch = this.#take();
        const head = batch[0];
        if (head !== undefined) step = await this.#process(batch, head);
      } catch (error) {
        // Unexpected (a bug, not a handler or broker failure): never leave the read-ahead as the fetch position.
        this.#host.logger.error({ partition: this.name, err: error instanceof Error ? error.message : 'unknown' }, 'partition lane failed; reading again from the commit');
        step = 'recover';
      }
      if (step === 'stop') break;
      if (step === 'recover') await this.#recover(this.#host.recoveryDelayMs ?? RECOVERY_DELAY_MS);
      if (step !== 'idle') windowStart = this.#host.now();
    }
  }

  /** One batch: invoke, commit the settled prefix. */
  async #process(batch: SourceRecord[], head: SourceRecord): Promise<'next' | 'recover' | 'stop'> {
    const host = this.#host;
    const retries = this.#restore ? await host.restoreRetries(head.position, this.signal).catch(() => 0) : 0;
    this.#restore = false;
    let settled: readonly SourceRecord[];
    try {
      const result = await host.handler({
        partition: this.name,
        records: batch,
        retries,
        signal: this.signal,
        ...(this.#highWatermark === undefined ? {} : { highWatermark: this.#highWatermark }),
        persistAttempt: (attempt) => this.#persistAttempt(head, attempt),
      });
      settled = result.settled;
    } catch (error) {
      host.logger.error({ partition: this.name, err: error instanceof Error ? error.message : 'unknown' }, 'partition handler threw; the batch will be read again');
      return this.revoked ? 'stop' : 'recover';
    }
    const count = settledPrefixLength(batch, settled);
    if (count < settled.length) host.logger.error({ partition: this.name, settled: settled.length, prefix: count }, 'handler settled records that are not a prefix of the batch');
    const last = batch[count - 1];
    if (last !== undefined) {
      const outcome = await this.#commit((BigInt(last.position) + 1n).toString(), null);
      if (outcome === 'lost') return 'stop';
      if (outcome === 'failed') return 'recover';
    }
    if (count === batch.length) return 'next';
    // Interrupted (stop, revoke) or an unexpected short answer: never go past the unsettled record.
    if (!this.#active()) return 'stop';
    host.logger.warn({ partition: this.name, settled: count, size: batch.length }, 'batch settled only in part; reading again from the first unsettled record');
    return 'recover';
  }

  async #persistAttempt(head: SourceRecord, retries: number): Promise<void> {
    // The committed offset stays on the batch's first record; only the metadata changes. Best effort.
    if (this.revoked) return;
    const outcome = await this.#commit(head.position, encodeAttempt(retries));
    if (outcome !== 'ok') this.#host.logger.debug({ partition: this.name, retries, outcome }, 'could not store the retry count with the offset');
  }

  async #commit(offset: string, metadata: string | null): Promise<CommitOutcome> {
    if (this.revoked) return 'lost';
    const outcome = await this.#host.commit(offset, metadata);
    if (outcome === 'ok') this.#committed = offset;
    else if (outcome === 'lost') this.revoke();
    return outcome;
  }

  /** Same generation, but what was read ahead is no longer next: drop it and read again from the commit. */
  async #recover(delayMs: number): Promise<void> {
    this.#recovering = true;
    this.#buffer = [];
    this.#bufferBytes = 0;
    this.#lastBuffered = null;
    this.#restore = true;
    if (!this.#paused) {
      this.#paused = true;
      this.#host.pause();
    }
    await this.#sleep(delayMs);
    if (!this.#active()) return;
    // From here kafkajs marks batches fetched before the seek as stale, and the source drops them.
    if (this.#committed !== null) this.#host.seek(this.#committed);
    this.#recovering = false;
    this.#paused = false;
    this.#host.resume();
  }

  /** Waits until a batch is due (size, bytes, window); false when the lane must stop instead. */
  async #waitForBatch(windowStart: number): Promise<boolean> {
    const host = this.#host;
    for (;;) {
      if (!this.#active()) return false;
      const due = this.#buffer.length >= host.batchSize || this.#bufferBytes >= host.maxPayloadBytes;
      const remaining = windowStart + host.windowMs - host.now();
      if (due || (this.#buffer.length > 0 && remaining <= 0)) return true;
      await this.#idle(this.#buffer.length > 0 ? remaining : null);
    }
  }

  /** The next batch: up to batchSize records and the payload limit (at least one record). */
  #take(): SourceRecord[] {
    let count = 0;
    let bytes = 0;
    for (const record of this.#buffer) {
      if (count >= this.#host.batchSize || (count > 0 && bytes + record.sizeBytes > this.#host.maxPayloadBytes)) break;
      bytes += record.sizeBytes + 1;
      count += 1;
    }
    const batch = this.#buffer.splice(0, count);
    this.#bufferBytes = this.#buffer.reduce((sum, r) => sum + r.sizeBytes, 0);
    if (this.#paused && this.#buffer.length < this.#host.batchSize && this.#bufferBytes < this.#host.maxPayloadBytes) {
      this.#paused = false;
      this.#host.resume();
    }
    return batch;
  }

  #active(): boolean {
    return !this.revoked && !this.#host.stopping.aborted;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Sleeps until notified, `ms` elapsed (null = no limit), revoked or stopping. */
  #idle(ms: number | null): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        if (timer !== null) clearTimeout(timer);
        this.#host.stopping.removeEventListener('abort', finish);
        if (this.#wake === finish) this.#wake = null;
        resolve();
      };
      const timer = ms === null ? null : setTimeout(finish, Math.max(0, ms));
      this.#wake = finish;
      this.#host.stopping.addEventListener('abort', finish, { once: true });
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#revoke.signal.removeEventListener('abort', finish);
        this.#host.stopping.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#revoke.signal.addEventListener('abort', finish, { once: true });
      this.#host.stopping.addEventListener('abort', finish, { once: true });
    });
  }
}
