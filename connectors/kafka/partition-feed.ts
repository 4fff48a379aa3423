/**
 * One assigned partition of one consumer-group generation, as the core sees it (`AssignedPartition`): kafkajs's fetch
 * loop `offer`s what it fetched into a bounded buffer (the fetch position moves on at once, so other partitions keep
 * flowing); the core's lane drains it through `open()`'s reader and commits its settled prefix through `persist`.
 * The buffer is bounded by records and bytes: past the budget the partition is paused, and resumed once the lane
 * has drained half of it. Records are kept as fetched and turned into Lambda records only when the lane reads them.
 *
 * A feed never outlives its generation: when the group rebalances it is revoked (its signal aborts), it commits
 * nothing more, and the partition's next owner — maybe this instance again — resumes from the committed offset.
 * A lane restarted within the generation re-opens the feed after its checkpoint: the buffer is dropped and the
 * partition sought back, so nothing read ahead is skipped.
 */
import type { AssignedPartition, LaneReader, PersistOutcome, SourceRecord, StoredProgress } from '../../src/connector/index.js';
import { decodeCommitMetadata, encodeCommitMetadata } from './commit-metadata.js';
import type { CommittedOffset } from './client.js';
import type { KafkaRecordData } from './event.js';

/** The feed's view of the consumer and the group, supplied by the source. */
export interface FeedHost {
  /** May be asynchronous (schema-registry decoding); a rejection leaves the records buffered for the next read. */
  readonly toRecord: (record: KafkaRecordData, signal: AbortSignal) => SourceRecord | Promise<SourceRecord>;
  /** Buffered records at most before the partition is paused (records and bytes). */
  readonly budget: { readonly records: number; readonly bytes: number };
  pause(): void;
  resume(): void;
  seek(offset: string): void;
  /** Commit `offset` with `metadata` in the feed's generation; `lost` when that generation is over. */
  commit(offset: string, metadata: string | null): Promise<PersistOutcome>;
  /** The group's committed offset of this partition. */
  committed(signal: AbortSignal): Promise<CommittedOffset | null>;
  /** The core's lane ended. */
  finished(feed: PartitionFeed): void;
}

/** Bytes a fetched record occupies in memory, roughly (the buffer budget, not the invoke payload). */
function footprint(record: KafkaRecordData): number {
  let bytes = 64 + (record.key?.byteLength ?? 0) + (record.value?.byteLength ?? 0);
  for (const [name, value] of record.headers) bytes += name.length + (value?.byteLength ?? 0);
  return bytes;
}

export class PartitionFeed {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly generation: number;
  /** The partition as the core's lane engine sees it. */
  readonly assigned: AssignedPartition;
  readonly #host: FeedHost;
  readonly #revoke = new AbortController();
  #buffer: KafkaRecordData[] = [];
  #head = 0;
  #bytes = 0;
  /** Offset of the last buffered record: a refetch overlapping it is ignored. */
  #lastBuffered: bigint | null = null;
  #highWatermark: string | undefined;
  #paused = false;
  #wake: (() => void) | null = null;
  /** The committed offset the lane restored (where a commit of "nothing settled yet" keeps the offset). */
  #committed: string | null = null;
  #firstOffset: string | null = null;
  #finished = false;

  constructor(topic: string, partition: number, id: string, generation: number, host: FeedHost) {
    this.topic = topic;
    this.partition = partition;
    this.id = id;
    this.generation = generation;
    this.#host = host;
    this.assigned = {
      id,
      signal: this.#revoke.signal,
      restore: (signal) => this.#restore(signal),
      open: (after) => this.#open(after),
      persist: (progress) => this.#persist(progress),
      finished: () => {
        this.#finished = true;
        this.#host.finished(this);
      },
    };
  }

  get revoked(): boolean {
    return this.#revoke.signal.aborted;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Where the partition must be read again from when this feed's lane ended early: the committed offset. */
  get resumeFrom(): string | null {
    return this.#committed ?? this.#firstOffset;
  }

  /** The generation ended or the source stops hard: the lane stops at once, nothing more is committed. */
  revoke(): void {
    this.#revoke.abort();
    this.#notify();
  }

  /** Adds fetched records (offset order); returns the offset to resolve so kafkajs fetches on, or null. */
  offer(records: readonly KafkaRecordData[], highWatermark?: string): string | null {
    if (highWatermark !== undefined) this.#highWatermark = highWatermark;
    // A fetch is in offset order: skip the part a refetch overlaps, then take the rest as it is (one BigInt per fetch,
    // not per record).
    let start = 0;
    const last = this.#lastBuffered;
    if (last !== null) while (start < records.length && BigInt((records[start] as KafkaRecordData).offset) <= last) start += 1;
    for (let i = start; i < records.length; i += 1) {
      const record = records[i] as KafkaRecordData;
      this.#buffer.push(record);
      this.#bytes += footprint(record);
    }
    const first = records[start];
    const newest = records.at(-1);
    if (first !== undefined && newest !== undefined) {
      this.#firstOffset ??= first.offset;
      this.#lastBuffered = BigInt(newest.offset);
    }
    if (!this.#paused && (this.#size() >= this.#host.budget.records || this.#bytes >= this.#host.budget.bytes)) {
      this.#paused = true;
      this.#host.pause();
    }
    this.#notify();
    return this.#lastBuffered === null ? null : this.#lastBuffered.toString();
  }


  async #restore(signal: AbortSignal): Promise<StoredProgress> {
    const committed = await this.#host.committed(signal);
    const offset = committed?.offset ?? null;
    this.#committed = offset;
    const checkpoint = offset === null || BigInt(offset) <= 0n ? null : (BigInt(offset) - 1n).toString();
    return { checkpoint, retries: decodeCommitMetadata(committed?.metadata ?? null, offset) };
  }

  #open(after: string | null): LaneReader {
    if (after !== null || this.#head > 0) {
      // A lane restarted within the generation: what was read ahead is not next any more.
      const from = after !== null ? (BigInt(after) + 1n).toString() : (this.#committed ?? this.#firstOffset);
      this.#buffer = [];
      this.#head = 0;
      this.#bytes = 0;
      this.#lastBuffered = from === null ? null : BigInt(from) - 1n;
      if (from !== null) this.#host.seek(from);
      if (this.#paused) {
        this.#paused = false;
        this.#host.resume();
      }
    }
    return {
      read: async ({ maxRecords, waitMs, signal }) => {
        if (this.#size() === 0 && !this.revoked && !signal.aborted && waitMs > 0) await this.#idle(waitMs, signal);
        // Turn the records into the core's form before taking them: a failure (a schema registry that does not
        // answer) leaves them buffered, so the lane's next read gets them again instead of skipping them.
        const buffer = this.#buffer;
        const head = this.#head;
        const pending = buffer.slice(head, Math.min(buffer.length, head + Math.max(0, maxRecords)));
        const records = await Promise.all(pending.map((record) => this.#host.toRecord(record, signal)));
        if (this.#buffer !== buffer || this.#head !== head) return { records: [], end: false, caughtUp: false };
        const taken = this.#take(pending.length);
        const last = taken.at(-1);
        const caughtUp = this.#size() === 0 && last !== undefined && this.#highWatermark !== undefined && BigInt(last.offset) + 1n >= BigInt(this.#highWatermark);
        return { records, end: false, caughtUp, ...(this.#highWatermark === undefined ? {} : { highWatermark: this.#highWatermark }) };
      },
      close: async () => undefined,
    };
  }

  async #persist(progress: StoredProgress): Promise<PersistOutcome> {
    if (this.revoked) return 'lost';
    // Kafka commits the next offset to read; with nothing settled yet, the offset stays where reading began (the
    // committed one, or the first record read) and only its metadata — the retry count of the record there — changes.
    const offset = progress.checkpoint !== null ? (BigInt(progress.checkpoint) + 1n).toString() : (this.#committed ?? this.#firstOffset);
    if (offset === null || (progress.checkpoint === null && progress.retries.length === 0)) return 'ok';
    const outcome = await this.#host.commit(offset, encodeCommitMetadata(progress.retries, offset));
    if (outcome === 'ok') this.#committed = offset;
    else if (outcome === 'lost') this.revoke();
    return outcome;
  }

  #size(): number {
    return this.#buffer.length - this.#head;
  }

  #take(max: number): KafkaRecordData[] {
    const end = Math.min(this.#buffer.length, this.#head + Math.max(0, max));
    const taken = this.#buffer.slice(this.#head, end);
    this.#head = end;
    for (const record of taken) this.#bytes -= footprint(record);
    if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
    if (this.#paused && this.#size() * 2 < this.#host.budget.records && this.#bytes * 2 < this.#host.budget.bytes) {
      this.#paused = false;
      this.#host.resume();
    }
    return taken;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #idle(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.#revoke.signal.removeEventListener('abort', finish);
        if (this.#wake === finish) this.#wake = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#wake = finish;
      signal.addEventListener('abort', finish, { once: true });
      this.#revoke.signal.addEventListener('abort', finish, { once: true });
    });
  }
}
