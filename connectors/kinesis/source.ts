/**
 * Kinesis Data Streams as a stream source, behaving as Lambda's Kinesis event source mapping with a standard
 * (shared-throughput) iterator. https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 *
 * - the core owns leases, checkpoints and the parent-before-child order; this source lists shards with their
 *   lineage and reads one shard in order (./reader.ts);
 * - records become the exact Lambda event record (./event.ts); filter patterns see the raw `data` bytes, which
 *   the core decodes as AWS does;
 * - an idle shard is polled once per second, as Lambda polls each shard of a standard-iterator mapping
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html, "Polling and batching streams").
 */
import type {
  ShardInfo,
  ShardReader,
  SourceCapabilities,
  SourceContext,
  SourceRecord,
  StartPosition,
  StreamSource,
} from '../../src/connector/index.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';
import { GET_RECORDS_MAX_LIMIT, type KinesisApi, type StreamRef } from './client.js';
import { defaultInvokeIdentityArn, kinesisEventRecordBytes, toKinesisEventRecord, type KinesisEventContext, type KinesisRecordData } from './event.js';
import { KinesisShardReader } from './reader.js';

/** Lambda reads each shard of a standard-iterator mapping once per second when it has nothing to deliver. */
export const KINESIS_IDLE_POLL_INTERVAL_MS = 1_000;

/** Knobs that are not part of the YAML config (library users and tests). */
export interface KinesisSourceOptions {
  /** Wait between reads of a shard that returned nothing; default {@link KINESIS_IDLE_POLL_INTERVAL_MS}. */
  readonly idlePollIntervalMs?: number;
  /**
   * `invokeIdentityArn` of every event record. Lambda puts the mapping's execution role there; the default is
   * `arn:<partition>:iam::<stream's account>:role/tributary` (see `defaultInvokeIdentityArn`).
   */
  readonly invokeIdentityArn?: string;
}

export class KinesisSource implements StreamSource {
  readonly kind = 'stream' as const;
  readonly capabilities: SourceCapabilities = {
    ordering: 'per-shard',
    // BatchSize of a Kinesis mapping: 1–10,000 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
    maxBatchSize: 10_000,
    pageSize: GET_RECORDS_MAX_LIMIT,
  };
  readonly idlePollIntervalMs: number;
  readonly atTimestamp = true;
  readonly #config: KinesisSourceConfig;
  readonly #api: KinesisApi;
  readonly #context: SourceContext;
  readonly #options: KinesisSourceOptions;
  readonly #readers = new Set<KinesisShardReader>();
  #ref: StreamRef | null = null;
  #streamArn = '';
  #region: string;
  #invokeIdentityArn = '';
  #retentionMs: number | null = null;
  #closed = false;

  constructor(config: KinesisSourceConfig, api: KinesisApi, context: SourceContext, options: KinesisSourceOptions = {}) {
    this.#config = config;
    this.#api = api;
    this.#context = context;
    this.#options = options;
    this.#region = api.region;
    this.idlePollIntervalMs = options.idlePollIntervalMs ?? KINESIS_IDLE_POLL_INTERVAL_MS;
  }

  /** The stream ARN; empty until open(). */
  get sourceArn(): string {
    return this.#streamArn;
  }

  /** The stream's region (its ARN's after open()). */
  get region(): string {
    return this.#region;
  }

  /** The stream's RetentionPeriodHours, after open(). */
  get retentionMs(): number | null {
    return this.#retentionMs;
  }

  async open(signal: AbortSignal): Promise<void> {
    const ref = streamRefOf(this.#config);
    const summary = await this.#api.describeStreamSummary(ref, signal);
    if (summary.status === 'DELETING') throw new TributaryError('SOURCE_NOT_FOUND', `Kinesis stream ${summary.streamArn} is being deleted`);
    if (summary.status === 'CREATING') {
      throw new TributaryError('SOURCE_UNAVAILABLE', `Kinesis stream ${summary.streamArn} is still being created`, { retryable: true });
    }
    if (this.#config.streamName !== null && summary.streamName !== '' && summary.streamName !== this.#config.streamName) {
      throw new TributaryError('CONFIG_INVALID', `streamArn names stream "${summary.streamName}" but streamName is "${this.#config.streamName}"`);
    }
    this.#ref = ref;
    this.#streamArn = summary.streamArn;
    // The event's awsRegion is the stream's region, which the ARN states (arn:aws:kinesis:<region>:…).
    const arnRegion = summary.streamArn.split(':')[3];
    if (arnRegion !== undefined && arnRegion !== '') this.#region = arnRegion;
    this.#invokeIdentityArn = this.#options.invokeIdentityArn ?? defaultInvokeIdentityArn(summary.streamArn);
    this.#retentionMs = summary.retentionPeriodHours === null ? null : summary.retentionPeriodHours * 3_600_000;
  }

  async listShards(signal: AbortSignal): Promise<readonly ShardInfo[]> {
    const shards = await this.#api.listShards(this.#opened(), signal);
    return shards.map((shard) => ({
      shardId: shard.shardId,
      parentShardIds: [shard.parentShardId, shard.adjacentParentShardId].filter((id): id is string => id !== null && id !== ''),
      closed: shard.endingSequenceNumber !== null,
    }));
  }

  async openReader(shardId: string, start: StartPosition, signal: AbortSignal): Promise<ShardReader> {
    const ref = this.#opened();
    const eventContext: KinesisEventContext = {
      shardId,
      streamArn: this.#streamArn,
      region: this.#region,
      invokeIdentityArn: this.#invokeIdentityArn,
    };
    const reader = new KinesisShardReader({
      shardId,
      start,
      api: {
        getShardIterator: (id, position, abort) => this.#api.getShardIterator(ref, id, position, abort),
        getRecords: (iterator, limit, abort) => this.#api.getRecords(ref, iterator, limit, abort),
      },
      toRecord: (record) => this.#toRecord(record, eventContext),
      now: this.#context.now,
      maxLimit: GET_RECORDS_MAX_LIMIT,
      onClose: (closed) => this.#readers.delete(closed),
    });
    await reader.prepare(signal);
    this.#readers.add(reader);
    return reader;
  }

  toEvent(records: readonly SourceRecord[]): unknown {
    return { Records: records.map((r) => r.eventRecord) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#readers].map((reader) => reader.close()));
    this.#api.close();
  }

  #opened(): StreamRef {
    if (this.#closed) throw new TributaryError('STOPPED', 'the Kinesis source is closed', { retryable: true });
    if (this.#ref === null) throw new TributaryError('INTERNAL', 'KinesisSource.open() must succeed before it is used');
    return this.#ref;
  }

  /** The size comes from the lengths; the Lambda record (base64 data) is built on first use, when it is invoked. */
  #toRecord(record: KinesisRecordData, context: KinesisEventContext): SourceRecord {
    const arrivedAtMs = record.approximateArrivalTimestampMs ?? this.#context.now();
    let eventRecord: Record<string, unknown> | null = null;
    return {
      id: record.sequenceNumber,
      shard: context.shardId,
      position: record.sequenceNumber,
      partitionKey: record.partitionKey,
      arrivedAtMs,
      receiveCount: 1,
      sizeBytes: kinesisEventRecordBytes(record, context, arrivedAtMs),
      get eventRecord() {
        return (eventRecord ??= toKinesisEventRecord(record, context, arrivedAtMs));
      },
      filterPayload: record.data,
    };
  }
}

/**
 * By ARN when the config has one (it names the stream exactly, including another account's), else by name.
 * The config resolver fills `streamName` from an ARN, so both may be set; they were checked to agree.
 */
export function streamRefOf(config: Pick<KinesisSourceConfig, 'streamName' | 'streamArn'>): StreamRef {
  if (config.streamArn !== null && config.streamArn !== '') return { streamArn: config.streamArn };
  if (config.streamName !== null && config.streamName !== '') return { streamName: config.streamName };
  throw new TributaryError('CONFIG_INVALID', 'a kinesis source needs streamName or streamArn');
}
