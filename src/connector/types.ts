/**
 * The connector contract (DESIGN §3.1). Connectors import only this folder and src/errors.
 *
 * A connector turns one `source` config into a `Source`. The core owns the ONE lane engine — read → batch →
 * filter → execute → settle — for every source; a source only says who assigns its lanes and how a lane reads and
 * settles:
 *
 * | kind     | lane assigner                     | settle sink                                     | example          |
 * |----------|-----------------------------------|-------------------------------------------------|------------------|
 * | `queue`  | elastic pollers (core)            | ack: `settle` (delete / visibility)             | SQS              |
 * | `stream` | lease manager (core)              | checkpoint: tracker + fenced lease write (core) | Kinesis, DynamoDB|
 * | `group`  | group coordinator (the broker)    | commit: tracker + `persist` (connector)         | Kafka            |
 */
import type { Logger } from 'pino';

/** One record as read from a broker, normalised for the core. */
export interface SourceRecord {
  /** Identifier a function names in `batchItemFailures` (SQS messageId, stream sequence number, …). */
  readonly id: string;
  /** Ordering scope: shard id, `topic-partition`, FIFO message group, or a constant for unordered queues. */
  readonly shard: string;
  /** Position within the shard (sequence number, offset); for SQS the receipt handle. */
  readonly position: string;
  /** Kinesis partition key, DynamoDB item key, Kafka key; SQS FIFO group id; else null. */
  readonly partitionKey: string | null;
  /** When the broker received it (SentTimestamp, ApproximateArrivalTimestamp, Kafka timestamp). */
  readonly arrivedAtMs: number;
  /** How many times it has been delivered (SQS ApproximateReceiveCount; 1 for streams). */
  readonly receiveCount: number;
  /** Bytes this record adds to the invoke payload (its JSON size in the event). */
  readonly sizeBytes: number;
  /** The Lambda event record for this record (exactly what goes in `Records[]`). */
  readonly eventRecord: Readonly<Record<string, unknown>>;
  /**
   * The decoded payload filter patterns see (SQS body, Kinesis data, Kafka value); the core parses it per AWS's JSON
   * rules. Null when the source has no such field.
   */
  readonly filterPayload: string | Uint8Array | null;
  /**
   * Set when the record cannot be delivered as it is (e.g. a Kafka value whose schema-registry payload does not
   * decode): stream and group sources send it to the on-failure destination without invoking the function, so it
   * never blocks its lane. `condition` goes into the on-failure record, `reason` into the logs.
   */
  readonly undeliverable?: { readonly condition: UndeliverableCondition; readonly reason: string };
}

/** Why a source could not turn a record into its Lambda form (see `SourceRecord.undeliverable`). */
export type UndeliverableCondition = 'MaximumPayloadSizeExceeded' | 'SchemaValidationFailed';

/** What the core must know about a source to drive its lanes. */
export interface SourceCapabilities {
  /** Ordering guarantee the core must preserve. */
  readonly ordering: 'per-shard' | 'per-group' | 'none';
  /** Largest batchSize the source allows. */
  readonly maxBatchSize: number;
  /** Most records one read may return (SQS 10, Kinesis 10,000). */
  readonly pageSize: number;
}

/** Options for one read. */
export interface ReadRequest {
  readonly maxRecords: number;
  /** How long the read may wait for records when none are available (long poll), ms. */
  readonly waitMs: number;
  readonly signal: AbortSignal;
}

/** What one read of a lane returned. */
export interface LaneRead {
  readonly records: readonly SourceRecord[];
  /** The lane is exhausted for good: a closed shard read to its end (SHARD_END). */
  readonly end: boolean;
  /** The read reached the head of the lane (nothing more to read right now): iterator age is 0 then. */
  readonly caughtUp: boolean;
  /** Kafka: the partition's high watermark (next offset to be written) as of this read, for OffsetLag. */
  readonly highWatermark?: string;
}

/** Reads one lane in order (an SQS poller's receives, a shard's GetRecords, a Kafka partition's fetch buffer). */
export interface LaneReader {
  /**
   * Up to `maxRecords` records, waiting up to `waitMs` when none are available. Throttling is a retryable
   * `SOURCE_THROTTLED` error, an unreachable broker a retryable `SOURCE_UNAVAILABLE`: the core backs off.
   */
  read(request: ReadRequest): Promise<LaneRead>;
  /**
   * The lane stopped (or died) holding these records unsettled: stop keeping them invisible and hand them back
   * promptly (SQS: stop the heartbeat, visibility 0). Optional; streams re-read from the checkpoint instead.
   */
  release?(records: readonly SourceRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** What happened to the records of one batch of a `queue` source; the source carries it out. */
export interface Settlement {
  /** Records that are done: function succeeded or filtered out. */
  readonly done: readonly SourceRecord[];
  /** Records to hand back to the broker for a later redelivery. */
  readonly redeliver: readonly SourceRecord[];
  /**
   * Delay before redelivered records become visible again, ms; null = let the broker's own timeout expire
   * (what Lambda does for SQS: failed messages return after the queue's visibility timeout).
   */
  readonly redeliverDelayMs: number | null;
}

/** What every source has. */
interface SourceBase {
  readonly capabilities: SourceCapabilities;
  /** Identifies the source in logs, metrics and on-failure records (queue ARN, stream ARN, cluster); after open(). */
  readonly sourceArn: string;
  /**
   * The AWS region of the source's resources (the ARN's, else the configured one, else AWS_REGION /
   * AWS_DEFAULT_REGION); null when the source is not in AWS (self-managed Kafka). Known after open().
   */
  readonly region: string | null;
  /**
   * How long the source keeps a record (Kinesis RetentionPeriodHours, DynamoDB Streams 24 h, Kafka retention.ms);
   * null when unknown or unlimited. With infinite retries the core retries a record until it would expire here.
   */
  readonly retentionMs: number | null;
  /** Resolves the source (queue attributes, stream ARN, topics). Called before anything else; retried by the core. */
  open(signal: AbortSignal): Promise<void>;
  /** The exact Lambda event for these records (one lane's). */
  toEvent(records: readonly SourceRecord[]): unknown;
  close(): Promise<void>;
}

/** How many interchangeable lanes a `queue` source runs; the core scales between them by backlog. */
export interface ElasticLanes {
  readonly initial: number;
  /** Lanes kept while idle. */
  readonly idleMin: number;
  readonly max: number;
  /** Least time between two scale-ups, ms; absent: 200 (AWS's on-demand 300 concurrent invokes a minute). */
  readonly scaleUpIntervalMs?: number;
}

/** A per-record-ack source (SQS): interchangeable lanes, failed records go back to the broker. */
export interface QueueSource extends SourceBase {
  readonly kind: 'queue';
  readonly lanes: ElasticLanes;
  /** A reader for one poller; it keeps what it returned invisible (heartbeat) until `settle` or `release`. */
  openLane(laneId: string): LaneReader;
  settle(settlement: Settlement, signal: AbortSignal): Promise<void>;
}

/** A shard of a stream, with its lineage. */
export interface ShardInfo {
  readonly shardId: string;
  /** ParentShardId and AdjacentParentShardId (merge), when present. */
  readonly parentShardIds: readonly string[];
  /** True when the shard is closed (it has an ending sequence number): reading it ends with `end`. */
  readonly closed: boolean;
}

/** Where a shard reader starts. `AFTER` resumes right after a checkpointed position. */
export type StartPosition =
  | { readonly kind: 'TRIM_HORIZON' }
  | { readonly kind: 'LATEST' }
  | { readonly kind: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly kind: 'AFTER'; readonly position: string };

export interface ShardReadResult {
  readonly records: readonly SourceRecord[];
  /** The shard is closed and every record has been returned (SHARD_END). */
  readonly shardEnd: boolean;
  /** How far behind the tip of the shard this read is (Kinesis MillisBehindLatest), when the broker says. */
  readonly millisBehindLatest: number | null;
}

/**
 * Reads one shard in order, one GetRecords per call (the core paces idle shards). It renews expired iterators
 * itself (resuming after the last record it returned) and reports throttling as a retryable `SOURCE_THROTTLED`.
 */
export interface ShardReader {
  /**
   * `waitMs` is how long the lane may wait for records: a push reader (`waitsForRecords`, e.g. Kinesis enhanced
   * fan-out) waits up to that long for the next push; a polling reader returns at once and ignores it.
   */
  read(maxRecords: number, signal: AbortSignal, waitMs?: number): Promise<ShardReadResult>;
  /**
   * True when `read` itself waits for records (records are pushed to the reader): the core then does not pause
   * between empty reads, which would only delay the next push.
   */
  readonly waitsForRecords?: boolean;
  close(): Promise<void>;
}

/**
 * A sharded stream (Kinesis, DynamoDB Streams). The core discovers shards, owns leases and checkpoints, runs one
 * reader per shard (feeding `parallelizationFactor` key lanes), and starts a child shard only after its parents
 * reached SHARD_END.
 */
export interface StreamSource extends SourceBase {
  readonly kind: 'stream';
  /** How long to wait between reads of a shard that returned nothing (Kinesis: 1 s; DynamoDB Streams: 250 ms). */
  readonly idlePollIntervalMs: number;
  /** The stream can start a reader AT_TIMESTAMP (Kinesis yes, DynamoDB Streams no). */
  readonly atTimestamp: boolean;
  listShards(signal: AbortSignal): Promise<readonly ShardInfo[]>;
  openReader(shardId: string, start: StartPosition, signal: AbortSignal): Promise<ShardReader>;
}

/**
 * Retries already used by the segment that starts at `position` (null: the first record read after the checkpoint)
 * and ends at `through` (its last record's position; absent in marks stored by earlier versions). A restarted lane
 * gives the count to exactly that segment, so a record that only followed it does not inherit the count.
 */
export interface RetryMark {
  readonly position: string | null;
  readonly retries: number;
  readonly through?: string;
}

/** Progress of one ordered lane as stored: the last settled position, and the retry state of what follows it. */
export interface StoredProgress {
  /** Last settled position; null when nothing was settled yet. */
  readonly checkpoint: string | null;
  readonly retries: readonly RetryMark[];
}

/** `lost`: the lane no longer belongs to this instance (fenced); `failed`: try again later (nothing is lost). */
export type PersistOutcome = 'ok' | 'lost' | 'failed';

/** One partition assigned to this member for one group generation. */
export interface AssignedPartition {
  /** `<topic>-<partition>`, as in the Lambda event's `records` keys. */
  readonly id: string;
  /** Aborted when the generation ends (rebalance, lost membership) or the source stops hard. */
  readonly signal: AbortSignal;
  /** The committed position and retry state (commit metadata). */
  restore(signal: AbortSignal): Promise<StoredProgress>;
  /** A reader of the partition: from the group's fetch position, or (after a lane restart) right after `after`. */
  open(after: string | null): LaneReader;
  /** Commits progress in this generation; `lost` when the broker refused it for a lost generation. */
  persist(progress: StoredProgress): Promise<PersistOutcome>;
  /** The core's lane on this partition has ended; the source may resume or hand it on. */
  finished(): void;
}

/** What a group source reports about itself, for the supervisor (readiness, restart decisions). */
export type SourceHealth =
  /** Joined and consuming. */
  | { readonly kind: 'healthy' }
  /** Not consuming right now; the client keeps retrying by itself. */
  | { readonly kind: 'degraded'; readonly error: Error };

/** What the core gives a group source to run. */
export interface GroupHost {
  /** A partition was assigned: the core runs one ordered lane on it until its signal aborts. Must not throw. */
  assigned(partition: AssignedPartition): void;
  health(report: SourceHealth): void;
}

/**
 * A consumer-group source (Kafka): the broker's coordinator assigns partitions and progress is committed to the
 * broker. The client's fetch loop fills bounded per-partition buffers that the core's lanes drain, so a retrying
 * partition never stalls another; heartbeats go on while handlers run.
 */
export interface GroupSource extends SourceBase {
  readonly kind: 'group';
  /** The consumer group it joins (traces name it: messaging.consumer.group.name). */
  readonly consumerGroup?: string;
  /**
   * Most partitions invoking at once (AWS's provisioned mode for Kafka: maximumPollers × 5); absent or null: every
   * assigned partition invokes on its own, as in on-demand mode.
   */
  readonly maxConcurrentInvocations?: number | null;
  /**
   * Joins and consumes until `signal` aborts (graceful: the core's lanes finish and persist, then the member
   * leaves). Rejects when the client gave up for good; the core's supervisor then restarts it with back-off.
   */
  run(host: GroupHost, signal: AbortSignal): Promise<void>;
}

export type Source = QueueSource | StreamSource | GroupSource;

/** One message Tributary itself puts on a queue it also reads (the asynchronous-invocation queue, issue 14). */
export interface QueueMessage {
  /** The message, opaque to the queue. */
  readonly body: string;
  /** How long it stays invisible before its first delivery, ms (SQS DelaySeconds); 0 = at once. */
  readonly delayMs: number;
}

/** How full a queue is, as far as the broker tells. */
export interface QueueDepth {
  /** Messages stored: visible, delayed and in flight. */
  readonly messages: number;
  /** When the oldest stored message was sent (epoch ms); null when the queue is empty or the broker does not say. */
  readonly oldestSentAtMs: number | null;
}

/** The writing side of a queue source, for queues Tributary feeds itself. */
export interface QueueProducer {
  /** Stores the messages durably (all or none), and only then resolves. */
  send(messages: readonly QueueMessage[], signal: AbortSignal): Promise<void>;
  depth(signal: AbortSignal): Promise<QueueDepth>;
  close(): Promise<void>;
}

/** What a connector gets from the core when it creates a source. */
export interface SourceContext {
  readonly pipeline: string;
  readonly logger: Logger;
  readonly now: () => number;
  /** The function's timeout: SQS warns about a queue whose visibility timeout is shorter. */
  readonly functionTimeoutMs: number;
  readonly batchSize: number;
  /** The mapping's StartingPosition (Kafka applies it to a new group; streams handle it in the core). */
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP' | null;
  readonly startingPositionTimestampMs: number | null;
  readonly maximumBatchingWindowMs: number;
}
