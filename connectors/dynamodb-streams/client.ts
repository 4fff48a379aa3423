/**
 * The only file that imports the DynamoDB SDKs. Everything the source needs from DynamoDB (DescribeTable, to find
 * a table's stream) and DynamoDB Streams (DescribeStream, GetShardIterator, GetRecords), as small functions that
 * take an AbortSignal and return plain data; SDK errors become TributaryErrors (./errors.ts).
 *
 * DynamoDB Local serves both APIs on one endpoint, so one `endpoint` configures both clients.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DescribeStreamCommandOutput,
  type DynamoDBStreamsClientConfig,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { awsClientOptions } from '../../src/connector/aws-client-options.js';
import { TributaryError } from '../../src/errors.js';
import { toDynamoDbStreamsError, type DynamoDbService } from './errors.js';
import type { DynamoDbStreamRecordData } from './event.js';

export interface DynamoDbStreamsApiOptions {
  readonly region: string;
  /** `null` → the real AWS endpoints of `region`. */
  readonly endpoint: string | null;
  /** HTTP handler for both clients (tests); default an HTTP/1.1 NodeHttpHandler with connect and request timeouts. */
  readonly requestHandler?: DynamoDBStreamsClientConfig['requestHandler'];
}

/** What DescribeTable says about a table's stream. */
export interface TableStream {
  readonly tableName: string;
  /** LatestStreamArn: the current stream, or the last one when streams were disabled since. */
  readonly latestStreamArn: string | null;
  /** StreamSpecification.StreamEnabled: false when the table never had a stream or it was disabled. */
  readonly streamEnabled: boolean;
}

export interface StreamSummary {
  readonly streamArn: string;
  readonly tableName: string;
  /** ENABLING | ENABLED | DISABLING | DISABLED. */
  readonly status: string;
  /** KEYS_ONLY | NEW_IMAGE | OLD_IMAGE | NEW_AND_OLD_IMAGES. */
  readonly viewType: string | null;
}

export interface StreamShard {
  readonly shardId: string;
  readonly parentShardId: string | null;
  readonly startingSequenceNumber: string | null;
  /** Present once the shard is closed; reading it then ends with a missing NextShardIterator. */
  readonly endingSequenceNumber: string | null;
}

/**
 * GetShardIterator's ShardIteratorType with the value it needs. DynamoDB Streams has no AT_TIMESTAMP.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 */
export type IteratorPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export interface RecordsPage {
  readonly records: readonly DynamoDbStreamRecordData[];
  /** Null when GetRecords sent none: on AWS the shard is closed and fully read; DynamoDB Local also omits it on open shards. */
  readonly nextShardIterator: string | null;
}

/** GetRecords returns at most 1,000 records per call. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html */
export const GET_RECORDS_MAX_LIMIT = 1_000;
/** DescribeStream returns at most 100 shards per call. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html */
export const DESCRIBE_STREAM_MAX_LIMIT = 100;
/** Bounds a pagination loop against a service that keeps returning a LastEvaluatedShardId. */
const MAX_DESCRIBE_PAGES = 10_000;

function iteratorParams(position: IteratorPosition): { ShardIteratorType: ShardIteratorType; SequenceNumber?: string } {
  switch (position.type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      return { ShardIteratorType: position.type };
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER':
      return { ShardIteratorType: position.type, SequenceNumber: position.sequenceNumber };
  }
}

export class DynamoDbStreamsApi {
  readonly region: string;
  readonly #tables: DynamoDBClient;
  readonly #streams: DynamoDBStreamsClient;

  constructor(options: DynamoDbStreamsApiOptions) {
    this.region = options.region;
    const config = {
      ...awsClientOptions(options),
      maxAttempts: 3,
      requestHandler: options.requestHandler ?? new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 60_000 }),
    };
    this.#tables = new DynamoDBClient(config);
    this.#streams = new DynamoDBStreamsClient(config);
  }

  /** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html */
  async describeTable(tableName: string, signal: AbortSignal): Promise<TableStream> {
    const result = await this.#call('DynamoDB', 'DescribeTable', signal, () =>
      this.#tables.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: signal }),
    );
    const table = result.Table;
    if (table === undefined) throw new TributaryError('SOURCE_NOT_FOUND', `DynamoDB DescribeTable returned no table "${tableName}"`);
    return {
      tableName: table.TableName ?? tableName,
      latestStreamArn: table.LatestStreamArn ?? null,
      streamEnabled: table.StreamSpecification?.StreamEnabled === true,
    };
  }

  /** The stream's summary, from one DescribeStream call that lists a single shard. */
  async describeStream(streamArn: string, signal: AbortSignal): Promise<StreamSummary> {
    const result = await this.#describePage(streamArn, undefined, 1, signal);
    const description = result.StreamDescription;
    if (description?.StreamArn === undefined) throw new TributaryError('SOURCE_NOT_FOUND', `DynamoDB Streams DescribeStream returned no stream ${streamArn}`);
    return {
      streamArn: description.StreamArn,
      tableName: description.TableName ?? '',
      status: description.StreamStatus ?? 'ENABLED',
      viewType: description.StreamViewType ?? null,
    };
  }

  /**
   * Every shard DescribeStream lists (open and closed ones still within the 24-hour retention), following
   * LastEvaluatedShardId → ExclusiveStartShardId.
   * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html
   */
  async listShards(streamArn: string, signal: AbortSignal, pageSize: number = DESCRIBE_STREAM_MAX_LIMIT): Promise<readonly StreamShard[]> {
    const limit = Math.max(1, Math.min(DESCRIBE_STREAM_MAX_LIMIT, Math.floor(pageSize)));
    const shards: StreamShard[] = [];
    const seen = new Set<string>();
    let exclusiveStartShardId: string | undefined;
    for (let page = 0; page < MAX_DESCRIBE_PAGES; page++) {
      const result = await this.#describePage(streamArn, exclusiveStartShardId, limit, signal);
      for (const shard of result.StreamDescription?.Shards ?? []) {
        if (shard.ShardId === undefined || seen.has(shard.ShardId)) continue;
        seen.add(shard.ShardId);
        shards.push({
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId ?? null,
          startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber ?? null,
          endingSequenceNumber: shard.SequenceNumberRange?.EndingSequenceNumber ?? null,
        });
      }
      const last = result.StreamDescription?.LastEvaluatedShardId;
      // A page that names the shard it started after as its last one would loop forever.
      if (last === undefined || last === '' || last === exclusiveStartShardId) return shards;
      exclusiveStartShardId = last;
    }
    throw new TributaryError('SOURCE_READ_FAILED', `DynamoDB Streams DescribeStream: more than ${MAX_DESCRIBE_PAGES} pages`);
  }

  /** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html */
  async getShardIterator(streamArn: string, shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<string> {
    const result = await this.#call('DynamoDB Streams', 'GetShardIterator', signal, () =>
      this.#streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...iteratorParams(position) }), { abortSignal: signal }),
    );
    if (result.ShardIterator === undefined) {
      throw new TributaryError('SOURCE_READ_FAILED', `DynamoDB Streams GetShardIterator returned no iterator for ${shardId}`, { retryable: true });
    }
    return result.ShardIterator;
  }

  /** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html */
  async getRecords(iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage> {
    const result = await this.#call('DynamoDB Streams', 'GetRecords', signal, () =>
      this.#streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.max(1, Math.min(GET_RECORDS_MAX_LIMIT, Math.floor(limit))) }),
        { abortSignal: signal },
      ),
    );
    // The SDK's `_Record` is structurally DynamoDbStreamRecordData (event.ts), which keeps event.ts SDK-free.
    const records: readonly DynamoDbStreamRecordData[] = result.Records ?? [];
    return { records, nextShardIterator: result.NextShardIterator ?? null };
  }

  close(): void {
    this.#tables.destroy();
    this.#streams.destroy();
  }

  #describePage(streamArn: string, exclusiveStartShardId: string | undefined, limit: number, signal: AbortSignal): Promise<DescribeStreamCommandOutput> {
    return this.#call('DynamoDB Streams', 'DescribeStream', signal, () =>
      this.#streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          Limit: limit,
          ...(exclusiveStartShardId === undefined ? {} : { ExclusiveStartShardId: exclusiveStartShardId }),
        }),
        { abortSignal: signal },
      ),
    );
  }

  async #call<T>(service: DynamoDbService, operation: string, signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw new TributaryError('STOPPED', `${service} ${operation} aborted`, { retryable: true });
    try {
      return await send();
    } catch (error) {
      throw toDynamoDbStreamsError(service, operation, error, signal);
    }
  }
}
