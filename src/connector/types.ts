/**
 * The connector contract (DESIGN §3.1). Connectors import only this folder and src/errors.
 *
 * A connector turns one `source` config into a `Source`. The core owns batching, filtering,
 * invocation, the retry policy and lifecycle; the source owns the broker protocol: reading,
 * keeping in-flight records alive (SQS visibility), and settling (delete / checkpoint / commit).
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
   * The decoded payload filter patterns see under `capabilities.filterDataKey` (SQS body, Kinesis data as
   * UTF-8, Kafka value); the core parses it per AWS's JSON rules. Null when the source has no such field.
   */
  readonly filterPayload: string | Uint8Array | null;
}

/** How a source wants records handled once the function has run. */
export interface SourceCapabilities {
  /** Ordering guarantee the core must preserve. */
  readonly ordering: 'per-shard' | 'per-group' | 'none';
  /**
   * `per-record-ack`: failed records go back to the broker (SQS visibility), the core never retries in place.
   * `checkpoint-store` / `native-commit`: the core retries in place (streams, Kafka) and settles a prefix.
   */
  readonly progress: 'checkpoint-store' | 'native-commit' | 'per-record-ack';
  readonly maxBatchSize: number;
  /** The event-record field whose decoded payload filter patterns address (`body`, `data`, `value`), or null. */
  readonly filterDataKey: 'body' | 'data' | 'value' | null;
  /**
   * How many lanes to run. `elastic`: interchangeable pollers (SQS) scaled by the core between `min` and `max`
   * by backlog. `fixed`: the lanes the source lists (shards, partitions).
   */
  readonly lanes:
    | { readonly kind: 'elastic'; readonly initial: number; readonly idleMin: number; readonly max: number; readonly pageSize: number }
    | { readonly kind: 'shards'; readonly pageSize: number };
}

/** What happened to the records of one batch; the source carries it out. */
export interface Settlement {
  /** Records that are done: function succeeded, filtered out, or delivered to the on-failure destination. */
  readonly done: readonly SourceRecord[];
  /** Records to hand back to the broker for a later redelivery (per-record-ack sources only). */
  readonly redeliver: readonly SourceRecord[];
  /**
   * Delay before redelivered records become visible again, ms; null = let the broker's own timeout expire
   * (what Lambda does for SQS: failed messages return after the queue's visibility timeout).
   */
  readonly redeliverDelayMs: number | null;
}

/** A unit of polling: an SQS poller, a shard, a partition. */
export interface Lane {
  readonly id: string;
}

/** Options for one read. */
export interface ReadRequest {
  readonly maxRecords: number;
  /** How long the broker may hold the call open waiting for records (long poll), ms. */
  readonly waitMs: number;
  readonly signal: AbortSignal;
}

/**
 * A pull-based source (SQS, Kinesis, DynamoDB Streams). The core runs one polling loop per lane:
 * read → batch → filter → invoke → settle, and reads the next batch of a lane only after the
 * previous one settled (backpressure, ordering).
 */
export interface PullSource {
  readonly kind: 'pull';
  readonly capabilities: SourceCapabilities;
  /** Resolve the source (queue attributes, ARNs…). Called once before any read. */
  open(signal: AbortSignal): Promise<void>;
  read(lane: Lane, request: ReadRequest): Promise<readonly SourceRecord[]>;
  /**
   * Keep records that are in flight from being redelivered (SQS visibility heartbeat).
   * Called by the core until the records settle; `release` stops it. No-op for streams.
   */
  track(records: readonly SourceRecord[]): void;
  release(records: readonly SourceRecord[]): Promise<void>;
  settle(lane: Lane, settlement: Settlement, signal: AbortSignal): Promise<void>;
  /** The exact Lambda event for these records. */
  toEvent(records: readonly SourceRecord[]): unknown;
  /** Identifies the source in logs, metrics and on-failure records (queue ARN, stream ARN). */
  readonly sourceArn: string;
  close(): Promise<void>;
}

/** A shard of a stream, with its lineage. */
export interface ShardInfo {
  readonly shardId: string;
  /** ParentShardId and AdjacentParentShardId (merge), when present. */
  readonly parentShardIds: readonly string[];
  /** True when the shard is closed (it has an ending sequence number): reading it ends with `shardEnd`. */
  readonly closed: boolean;
}

/** Where a shard reader starts. `after` resumes right after a checkpointed position. */
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
 * Reads one shard in order. It renews expired iterators itself (resuming after the last record it returned),
 * and reports throttling as a retryable `SOURCE_THROTTLED` error so the core backs off.
 */
export interface ShardReader {
  read(maxRecords: number, signal: AbortSignal): Promise<ShardReadResult>;
  close(): Promise<void>;
}

/**
 * A sharded stream (Kinesis, DynamoDB Streams). The core discovers shards, owns leases and checkpoints, runs one
 * ordered lane per shard (sub-lanes by partition key with parallelizationFactor), and starts a child shard only
 * after its parents reached SHARD_END.
 */
export interface StreamSource {
  readonly kind: 'stream';
  readonly capabilities: SourceCapabilities;
  /** Stream ARN, known after open(). */
  readonly sourceArn: string;
  /** How long to wait between reads of a shard that returned nothing (Kinesis: 1 s; DynamoDB Streams: 250 ms). */
  readonly idlePollIntervalMs: number;
  open(signal: AbortSignal): Promise<void>;
  listShards(signal: AbortSignal): Promise<readonly ShardInfo[]>;
  openReader(shardId: string, start: StartPosition, signal: AbortSignal): Promise<ShardReader>;
  /** The exact Lambda event for these records of one shard. */
  toEvent(records: readonly SourceRecord[]): unknown;
  close(): Promise<void>;
}

/**
 * Processes one batch of one partition and resolves with the records that are settled, in order (a prefix of
 * `records`; shorter than `records` only when processing was interrupted by shutdown or a lost assignment).
 * `retries` is the attempt count the source restored for the first record (0 if none).
 */
export type PartitionBatchHandler = (batch: PartitionBatch) => Promise<PartitionBatchResult>;

export interface PartitionBatch {
  /** `topic-partition`, as in the Lambda event's `records` keys. */
  readonly partition: string;
  readonly records: readonly SourceRecord[];
  readonly retries: number;
  /** Aborted when the partition is revoked or the pipeline stops hard. */
  readonly signal: AbortSignal;
  /**
   * The partition's high watermark (offset of the next record to be written, as a decimal string) when the batch
   * was fetched, if the source knows it; the core reports `high watermark − next offset to commit` as offset lag.
   */
  readonly highWatermark?: string;
  /**
   * Store the retries used by the first unsettled record so a restart or a rebalance does not reset
   * `maximumRetryAttempts` (e.g. in the offset commit's metadata). Best effort.
   */
  persistAttempt(retries: number): Promise<void>;
}

export interface PartitionBatchResult {
  readonly settled: readonly SourceRecord[];
}

/**
 * A consumer-group source (Kafka): the broker's group coordinator assigns partitions, and progress is committed
 * to the broker. The source drives the loop: it fetches batches per partition (in order), awaits the handler, and
 * commits only past what the handler settled. Heartbeats continue while the handler runs.
 */
export interface GroupSource {
  readonly kind: 'group';
  readonly capabilities: SourceCapabilities;
  /** MSK cluster ARN, or `kafka://<bootstrap servers>` for self-managed Kafka (logs, metrics). */
  readonly sourceArn: string;
  open(signal: AbortSignal): Promise<void>;
  /** Consumes until `signal` aborts (graceful: in-flight batches finish and commit), then leaves the group. */
  run(handler: PartitionBatchHandler, signal: AbortSignal): Promise<void>;
  /** The exact Lambda event for these records (one or several partitions). */
  toEvent(records: readonly SourceRecord[]): unknown;
  close(): Promise<void>;
}

export type Source = PullSource | StreamSource | GroupSource;

/** What a connector gets from the core when it creates a source. */
export interface SourceContext {
  readonly pipeline: string;
  readonly logger: Logger;
  readonly now: () => number;
  /** The function's timeout: SQS refuses a queue whose visibility timeout is shorter, as Lambda does. */
  readonly functionTimeoutMs: number;
  readonly batchSize: number;
  /** The mapping's StartingPosition (consumer-group sources apply it to a new group; streams handle it in the core). */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP' | null;
  readonly startingPositionTimestampMs?: number | null;
  readonly maximumBatchingWindowMs?: number;
}

/** A connector: data plus a factory, registered explicitly in src/connector/registry.ts. */
export interface ConnectorDefinition<C extends { readonly type: string }> {
  readonly type: C['type'];
  create(config: C, context: SourceContext): Promise<Source>;
}

export function defineConnector<C extends { readonly type: string }>(definition: ConnectorDefinition<C>): ConnectorDefinition<C> {
  return definition;
}
