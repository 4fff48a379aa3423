/**
 * DynamoDB Streams as a stream source, behaving as Lambda's DynamoDB event source mapping.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 *
 * - the source is a table (its current stream, found with DescribeTable) or a stream ARN;
 * - the core owns leases, checkpoints and the parent-before-child order; this source lists shards with their
 *   lineage (DescribeStream) and reads one shard in order (./reader.ts);
 * - records become the exact Lambda event record (./event.ts); filter patterns address the `dynamodb` object of
 *   the event record directly, so there is no separately decoded payload (`filterDataKey` null);
 * - an idle shard is polled 4 times per second, as Lambda polls DynamoDB stream shards
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html, "Polling and batching streams").
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
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';
import { GET_RECORDS_MAX_LIMIT, type DynamoDbStreamsApi, type StreamShard } from './client.js';
import { itemKeyOf, toDynamoDbEventRecord, type DynamoDbEventContext, type DynamoDbStreamRecordData } from './event.js';
import { DynamoDbShardReader, toStreamStart } from './reader.js';

/** Lambda polls each shard of a DynamoDB stream 4 times per second. */
export const DYNAMODB_STREAMS_IDLE_POLL_INTERVAL_MS = 250;

/** Knobs that are not part of the YAML config (library users and tests). */
export interface DynamoDbStreamsSourceOptions {
  /** Wait between reads of a shard that returned nothing; default {@link DYNAMODB_STREAMS_IDLE_POLL_INTERVAL_MS}. */
  readonly idlePollIntervalMs?: number;
}

/** The region part of an ARN (`arn:aws:dynamodb:<region>:…`), or null. */
function regionOfArn(arn: string): string | null {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? null : region;
}

export class DynamoDbStreamsSource implements StreamSource {
  readonly kind = 'stream' as const;
  readonly capabilities: SourceCapabilities = {
    ordering: 'per-shard',
    // BatchSize of a DynamoDB mapping: 1–10,000 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
    maxBatchSize: 10_000,
    pageSize: GET_RECORDS_MAX_LIMIT,
  };
  readonly idlePollIntervalMs: number;
  /** GetShardIterator of DynamoDB Streams has no AT_TIMESTAMP. */
  readonly atTimestamp = false;
  /** "DynamoDB Streams … data … is available for 24 hours." https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html */
  readonly retentionMs = 24 * 3_600_000;
  readonly #config: DynamoDbStreamsSourceConfig;
  readonly #api: DynamoDbStreamsApi;
  readonly #context: SourceContext;
  readonly #readers = new Set<DynamoDbShardReader>();
  #streamArn = '';
  #region: string;
  #opened = false;
  #closed = false;

  constructor(config: DynamoDbStreamsSourceConfig, api: DynamoDbStreamsApi, context: SourceContext, options: DynamoDbStreamsSourceOptions = {}) {
    this.#config = config;
    this.#api = api;
    this.#context = context;
    this.#region = api.region;
    this.idlePollIntervalMs = options.idlePollIntervalMs ?? DYNAMODB_STREAMS_IDLE_POLL_INTERVAL_MS;
  }

  /** The stream ARN; empty until open(). */
  get sourceArn(): string {
    return this.#streamArn;
  }

  /** The stream's region (its ARN's after open()). */
  get region(): string {
    return this.#region;
  }

  /**
   * Resolves the stream: the configured ARN, or the table's current stream (DescribeTable LatestStreamArn), which
   * must be enabled. Then checks the stream exists and is readable.
   */
  async open(signal: AbortSignal): Promise<void> {
    const streamArn = await this.#resolveStreamArn(signal);
    const stream = await this.#api.describeStream(streamArn, signal);
    if (stream.status === 'ENABLING') {
      throw new TributaryError('SOURCE_UNAVAILABLE', `DynamoDB stream ${stream.streamArn} is still being enabled`, { retryable: true });
    }
    if (this.#config.tableName !== null && stream.tableName !== '' && stream.tableName !== this.#config.tableName) {
      throw new TributaryError('CONFIG_INVALID', `streamArn belongs to table "${stream.tableName}" but tableName is "${this.#config.tableName}"`);
    }
    if (stream.status !== 'ENABLED') {
      // A disabled stream stays readable for 24 hours: its shards are closed and end once read.
      this.#context.logger.warn({ streamArn: stream.streamArn, status: stream.status }, 'DynamoDB stream is not enabled; reading what it still holds');
    }
    this.#streamArn = stream.streamArn;
    // The stream's region, which the ARN states; the event's awsRegion falls back to it.
    this.#region = regionOfArn(stream.streamArn) ?? this.#region;
    this.#opened = true;
  }

  async listShards(signal: AbortSignal): Promise<readonly ShardInfo[]> {
    const shards = await this.#api.listShards(this.#stream(), signal);
    return shards.map((shard) => ({
      shardId: shard.shardId,
      parentShardIds: shard.parentShardId === null || shard.parentShardId === '' ? [] : [shard.parentShardId],
      closed: shard.endingSequenceNumber !== null,
    }));
  }

  async openReader(shardId: string, start: StartPosition, signal: AbortSignal): Promise<ShardReader> {
    const streamArn = this.#stream();
    const streamStart = toStreamStart(start);
    const eventContext: DynamoDbEventContext = { streamArn, region: this.#region };
    const reader = new DynamoDbShardReader({
      shardId,
      start: streamStart,
      api: {
        getShardIterator: (id, position, abort) => this.#api.getShardIterator(streamArn, id, position, abort),
        getRecords: (iterator, limit, abort) => this.#api.getRecords(iterator, limit, abort),
        describeShard: (id, abort) => this.#describeShard(streamArn, id, abort),
      },
      toRecord: (record) => this.#toRecord(record, shardId, eventContext),
      maxLimit: GET_RECORDS_MAX_LIMIT,
      log: this.#context.logger,
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

  async #resolveStreamArn(signal: AbortSignal): Promise<string> {
    if (this.#config.streamArn !== null && this.#config.streamArn !== '') return this.#config.streamArn;
    const tableName = this.#config.tableName;
    if (tableName === null || tableName === '') throw new TributaryError('CONFIG_INVALID', 'a dynamodb-streams source needs tableName or streamArn');
    const table = await this.#api.describeTable(tableName, signal);
    if (!table.streamEnabled || table.latestStreamArn === null) {
      throw new TributaryError(
        'CONFIG_INVALID',
        `DynamoDB table "${tableName}" has no stream enabled: enable DynamoDB Streams on it (StreamSpecification) or configure a streamArn`,
      );
    }
    return table.latestStreamArn;
  }

  async #describeShard(streamArn: string, shardId: string, signal: AbortSignal): Promise<StreamShard | null> {
    const shards = await this.#api.listShards(streamArn, signal);
    return shards.find((shard) => shard.shardId === shardId) ?? null;
  }

  #stream(): string {
    if (this.#closed) throw new TributaryError('STOPPED', 'the DynamoDB Streams source is closed', { retryable: true });
    if (!this.#opened) throw new TributaryError('INTERNAL', 'DynamoDbStreamsSource.open() must succeed before it is used');
    return this.#streamArn;
  }

  #toRecord(record: DynamoDbStreamRecordData, shardId: string, context: DynamoDbEventContext): SourceRecord {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    const created = record.dynamodb?.ApproximateCreationDateTime?.getTime();
    const arrivedAtMs = created !== undefined && Number.isFinite(created) ? created : this.#context.now();
    const eventRecord = toDynamoDbEventRecord(record, context);
    return {
      id: sequenceNumber,
      shard: shardId,
      position: sequenceNumber,
      partitionKey: itemKeyOf(record.dynamodb?.Keys),
      arrivedAtMs,
      receiveCount: 1,
      sizeBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
      eventRecord,
      filterPayload: null,
    };
  }
}
