/**
 * What the Kafka source needs from a client library to run a consumer-group member — the driver boundary. The
 * source (./source.ts) drives a `GroupConsumer` through these plain types only, so one source can serve more than one
 * client library (today: kafkajs, ./client.ts).
 *
 * A driver joins the group with the source's settings, fetches its assigned partitions with autocommit off, and
 * hands every fetch of a partition to `onBatch`; it moves a partition's fetch position only when the batch is
 * `resolve`d (or the partition is sought), skips paused partitions, and reports the group's life: a generation
 * ending (before any record of the next one is delivered), a join with its assignment, a crash.
 */
import type { TributaryError } from '../../src/errors.js';
import type { OffsetToCommit } from './commit-batcher.js';
import type { KafkaRecordData } from './event.js';

/** One fetch of one partition, with the controls that act on the consumer that fetched it. */
export interface FetchedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly KafkaRecordData[];
  /** The partition's high watermark the fetch reported. */
  readonly highWatermark: string;
  /** Move the fetch position past `offset` (it is not committed). */
  resolve(offset: string): void;
  /** A seek is pending for the partition: this batch predates it. */
  isStale(): boolean;
  /**
   * One OffsetCommit of `offsets` (each the next record to read, with its metadata), of any partitions of this
   * consumer, in the generation this batch was fetched in (kafkajs: the consumer's current one).
   */
  commit(offsets: readonly OffsetToCommit[]): Promise<void>;
}

export interface GroupListener {
  onBatch(batch: FetchedBatch): void;
  /** The group generation is ending (a JoinGroup answered, a rebalance noticed, a crash): assignments are void. */
  onGenerationEnd(reason: string): void;
  /** Joined: the partitions now assigned, by topic. */
  onJoin(assignment: ReadonlyMap<string, readonly number[]>): void;
  /** The client crashed; with `restarting` false the consumer is gone for good. */
  onCrash(error: TributaryError, restarting: boolean): void;
}

export interface GroupConsumerSettings {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** How long the broker holds a fetch open when there is nothing to read. */
  readonly maxWaitTimeMs: number;
  /** Bytes one fetch may return per partition (Kafka's `max.partition.fetch.bytes`). */
  readonly maxBytesPerPartition: number;
  /** Bytes one fetch may return in all (Kafka's `fetch.max.bytes`). */
  readonly maxBytes: number;
}

/** A consumer-group member, driven by the source through a {@link GroupListener}. */
export interface GroupConsumer {
  /** Connects, subscribes and joins; resolves after the first join attempt (fetching goes on in the background). */
  start(topics: readonly string[], fromBeginning: boolean, listener: GroupListener, signal: AbortSignal): Promise<void>;
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
  /** The next fetch of the partition starts at `offset` (not committed: autocommit is off). */
  seek(topic: string, partition: number, offset: string): void;
  /** Leaves the group and closes the connections. */
  disconnect(): Promise<void>;
}
