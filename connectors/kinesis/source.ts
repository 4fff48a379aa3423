/**
 * Kinesis Data Streams as a stream source, behaving as Lambda's Kinesis event source mapping with a standard
 * (shared-throughput) iterator, or — given a stream consumer (`consumerArn` / `consumerName`) — with enhanced
 * fan-out. https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 *
 * - the core owns leases, checkpoints and the parent-before-child order; this source lists shards with their
 *   lineage and reads one shard in order: GetRecords (./reader.ts) or SubscribeToShard (./fanout-reader.ts), with
 *   the same lanes, checkpoints, retries and resharding either way;
 * - records become the exact Lambda event record (./event.ts), a KPL aggregate one per user record
 *   (./user-records.ts); filter patterns see each record's raw `data` bytes, which the core decodes as AWS does;
 * - an idle shard is polled once per second, as Lambda polls each shard of a standard-iterator mapping
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html, "Polling and batching streams"); with
 *   enhanced fan-out records are pushed and a read waits for the next push instead.
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
import { errorMessage, TributaryError } from '../../src/errors.js';
import { GET_RECORDS_MAX_LIMIT, type KinesisApi, type StreamRef } from './client.js';
import { activeConsumer, type ConsumerChoice } from './consumer.js';
import { defaultInvokeIdentityArn, type KinesisEventContext, type KinesisRecordData } from './event.js';
import type { ChildShardInfo, FanOutApi } from './fanout-api.js';
import { FanOutShardReader } from './fanout-reader.js';
import { KinesisShardReader } from './reader.js';
import { toSourceRecords } from './user-records.js';

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
  /** Enhanced fan-out's API; required when the config names a stream consumer. */
  readonly fanOut?: FanOutApi;
  readonly random?: () => number;
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
  readonly #readers = new Set<KinesisShardReader | FanOutShardReader>();
  readonly #consumer: ConsumerChoice | null;
  /** Closed shards as of the last listing, and children announced by SubscribeToShard's last events. */
  #closedShards = new Set<string>();
  readonly #announcedChildren = new Map<string, ShardInfo>();
  #consumerArn: string | null = null;
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
    this.#consumer = consumerOf(config);
    if (this.#consumer !== null && options.fanOut === undefined) throw new TributaryError('INTERNAL', 'a Kinesis stream consumer needs the fan-out API');
    // With enhanced fan-out a read waits for the next push up to the lane's wait: this is that wait when idle.
    this.idlePollIntervalMs = options.idlePollIntervalMs ?? KINESIS_IDLE_POLL_INTERVAL_MS;
  }

  /** The enhanced fan-out consumer's ARN once open(); null with standard iterators. */
  get consumerArn(): string | null {
    return this.#consumerArn;
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
    if (this.#consumer !== null && this.#options.fanOut !== undefined) {
      const consumer = await activeConsumer(this.#options.fanOut, this.#consumer, summary.streamArn, { signal, now: this.#context.now });
      this.#consumerArn = consumer.consumerArn;
    }
  }

  async listShards(signal: AbortSignal): Promise<readonly ShardInfo[]> {
    const shards = await this.#api.listShards(this.#opened(), signal);
    const listed: ShardInfo[] = shards.map((shard) => ({
      shardId: shard.shardId,
      parentShardIds: [shard.parentShardId, shard.adjacentParentShardId].filter((id): id is string => id !== null && id !== ''),
      closed: shard.endingSequenceNumber !== null,
    }));
    this.#closedShards = new Set(listed.filter((shard) => shard.closed).map((shard) => shard.shardId));
    // Children a subscription announced that the listing does not show yet (ListShards can lag a reshard).
    const known = new Set(listed.map((shard) => shard.shardId));
    for (const id of [...this.#announcedChildren.keys()]) if (known.has(id)) this.#announcedChildren.delete(id);
    return [...listed, ...this.#announcedChildren.values()];
  }

  async openReader(shardId: string, start: StartPosition, signal: AbortSignal): Promise<ShardReader> {
    const reader = this.#consumerArn === null ? this.#pollingReader(shardId, start) : this.#fanOutReader(shardId, start, this.#consumerArn);
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
    this.#options.fanOut?.close();
  }

  #opened(): StreamRef {
    if (this.#closed) throw new TributaryError('STOPPED', 'the Kinesis source is closed', { retryable: true });
    if (this.#ref === null) throw new TributaryError('INTERNAL', 'KinesisSource.open() must succeed before it is used');
    return this.#ref;
  }

  #pollingReader(shardId: string, start: StartPosition): KinesisShardReader {
    const ref = this.#opened();
    return new KinesisShardReader({
      shardId,
      start,
      api: {
        getShardIterator: (id, position, abort) => this.#api.getShardIterator(ref, id, position, abort),
        getRecords: (iterator, limit, abort) => this.#api.getRecords(ref, iterator, limit, abort),
      },
      toRecords: this.#recordsOf(shardId),
      now: this.#context.now,
      maxLimit: GET_RECORDS_MAX_LIMIT,
      onClose: (closed) => this.#readers.delete(closed),
    });
  }

  #fanOutReader(shardId: string, start: StartPosition, consumerArn: string): FanOutShardReader {
    const ref = this.#opened();
    const fanOut = this.#options.fanOut as FanOutApi;
    return new FanOutShardReader({
      shardId,
      start,
      subscribe: (position, abort) => fanOut.subscribe(consumerArn, shardId, position, abort),
      toRecords: this.#recordsOf(shardId),
      now: this.#context.now,
      random: this.#options.random ?? Math.random,
      shardClosed: () => this.#closedShards.has(shardId),
      confirmEnd: async (position, abort) => {
        const iterator = await this.#api.getShardIterator(ref, shardId, position, abort);
        const page = await this.#api.getRecords(ref, iterator, 1, abort);
        return page.records.length === 0 && page.nextShardIterator === null;
      },
      onChildShards: (children) => this.#announce(children),
      onReconnect: (error, failures) => {
        if (failures === 1 || failures % 10 === 0) this.#context.logger.warn({ shard: shardId, failures, err: errorMessage(error) }, 'enhanced fan-out subscription failed; resubscribing');
      },
      onClose: (closed) => this.#readers.delete(closed),
    });
  }

  #recordsOf(shardId: string): (record: KinesisRecordData) => readonly SourceRecord[] {
    const context: KinesisEventContext = { shardId, streamArn: this.#streamArn, region: this.#region, invokeIdentityArn: this.#invokeIdentityArn };
    return (record) => toSourceRecords(record, context, this.#context.now);
  }

  #announce(children: readonly ChildShardInfo[]): void {
    for (const child of children) this.#announcedChildren.set(child.shardId, { shardId: child.shardId, parentShardIds: child.parentShardIds, closed: false });
  }
}

/** The stream consumer a config names (enhanced fan-out), or null for standard iterators. */
export function consumerOf(config: Pick<KinesisSourceConfig, 'consumerArn' | 'consumerName'>): ConsumerChoice | null {
  if (config.consumerArn !== undefined && config.consumerArn !== null && config.consumerArn !== '') return { consumerArn: config.consumerArn };
  if (config.consumerName !== undefined && config.consumerName !== null && config.consumerName !== '') return { consumerName: config.consumerName };
  return null;
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
