/**
 * One of the two files that import the Kinesis SDK (fanout-api.ts has enhanced fan-out's calls). Everything polling
 * needs from Kinesis Data Streams, as small functions that take an AbortSignal and return plain data; SDK errors
 * become TributaryErrors (./errors.ts).
 *
 * The client always uses the HTTP/1.1 `NodeHttpHandler`: client-kinesis defaults to an HTTP/2 handler, which fails
 * against plain-HTTP emulators (kinesalite: `ERR_HTTP2_ERROR`), and HTTP/1.1 works against AWS too. HTTP/2 is only
 * needed for SubscribeToShard (enhanced fan-out, fanout-api.ts).
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type ListShardsCommandInput,
  type ListShardsCommandOutput,
  type ShardIteratorType,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { awsClientOptions } from '../../src/connector/aws-client-options.js';
import { TributaryError } from '../../src/errors.js';
import { kinesisErrorName, toKinesisError } from './errors.js';
import type { KinesisRecordData } from './event.js';

export interface KinesisApiOptions {
  readonly region: string;
  /** `null` → the real AWS endpoint of `region`. */
  readonly endpoint: string | null;
}

/**
 * How requests name the stream: by ARN when one is known (unambiguous, and the only way to reach a stream of
 * another account), else by name in the caller's account.
 */
export type StreamRef = { readonly streamArn: string } | { readonly streamName: string };

export interface StreamSummary {
  readonly streamArn: string;
  readonly streamName: string;
  /** CREATING | DELETING | ACTIVE | UPDATING. */
  readonly status: string;
  /** RetentionPeriodHours (24 by default, up to 8,760); null when the service did not say. */
  readonly retentionPeriodHours: number | null;
}

export interface KinesisShard {
  readonly shardId: string;
  readonly parentShardId: string | null;
  /** Set on the shard a MergeShards created: the second parent. */
  readonly adjacentParentShardId: string | null;
  /** Present once the shard is closed (split or merged away); the shard then ends with a null NextShardIterator. */
  readonly endingSequenceNumber: string | null;
}

/** GetShardIterator's ShardIteratorType with the value it needs. */
export type IteratorPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly type: 'AT_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export interface RecordsPage {
  readonly records: readonly KinesisRecordData[];
  /** Null when the shard is closed and every record has been returned (SHARD_END). */
  readonly nextShardIterator: string | null;
  readonly millisBehindLatest: number | null;
}

/** GetRecords returns at most 10,000 records per call. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html */
export const GET_RECORDS_MAX_LIMIT = 10_000;
/** ListShards returns at most 1,000 shards per call. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html */
const LIST_SHARDS_MAX_RESULTS = 1_000;
/** Bounds a pagination loop against a service that keeps returning a NextToken. */
const MAX_LIST_PAGES = 10_000;

function streamParams(ref: StreamRef): { StreamARN: string } | { StreamName: string } {
  return 'streamArn' in ref ? { StreamARN: ref.streamArn } : { StreamName: ref.streamName };
}

/** A record as GetRecords and SubscribeToShard return it, SDK-independent. */
export function toRecordData(record: _Record): KinesisRecordData {
  return {
    sequenceNumber: record.SequenceNumber ?? '',
    partitionKey: record.PartitionKey ?? '',
    data: record.Data ?? new Uint8Array(),
    approximateArrivalTimestampMs: record.ApproximateArrivalTimestamp?.getTime() ?? null,
  };
}

/** A position as the SDK's StartingPosition (SubscribeToShard's form; GetShardIterator spells the same fields differently). */
export function startingPositionOf(position: IteratorPosition): { Type: ShardIteratorType; Timestamp?: Date; SequenceNumber?: string } {
  switch (position.type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      return { Type: position.type };
    case 'AT_TIMESTAMP':
      return { Type: 'AT_TIMESTAMP', Timestamp: new Date(position.timestampMs) };
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER':
      return { Type: position.type, SequenceNumber: position.sequenceNumber };
  }
}

function iteratorParams(position: IteratorPosition): { ShardIteratorType: ShardIteratorType; Timestamp?: Date; StartingSequenceNumber?: string } {
  const { Type, Timestamp, SequenceNumber } = startingPositionOf(position);
  return { ShardIteratorType: Type, ...(Timestamp === undefined ? {} : { Timestamp }), ...(SequenceNumber === undefined ? {} : { StartingSequenceNumber: SequenceNumber }) };
}

export class KinesisApi {
  readonly region: string;
  readonly #client: KinesisClient;

  constructor(options: KinesisApiOptions) {
    this.region = options.region;
    this.#client = new KinesisClient({
      ...awsClientOptions(options),
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 60_000 }),
    });
  }

  /** https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html */
  async describeStreamSummary(ref: StreamRef, signal: AbortSignal): Promise<StreamSummary> {
    const result = await this.#call('DescribeStreamSummary', signal, () =>
      this.#client.send(new DescribeStreamSummaryCommand(streamParams(ref)), { abortSignal: signal }),
    );
    const summary = result.StreamDescriptionSummary;
    if (summary?.StreamARN === undefined) throw new TributaryError('SOURCE_NOT_FOUND', 'Kinesis DescribeStreamSummary returned no stream');
    return {
      streamArn: summary.StreamARN,
      streamName: summary.StreamName ?? '',
      status: summary.StreamStatus ?? 'ACTIVE',
      retentionPeriodHours: summary.RetentionPeriodHours ?? null,
    };
  }

  /**
   * Every shard of the stream, open and closed, following NextToken. No ShardFilter is sent: without one ListShards
   * returns the closed shards still within the retention period too, which the lineage (parents before children)
   * needs, and emulators that do not know ShardFilter behave the same.
   * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html
   */
  async listShards(ref: StreamRef, signal: AbortSignal, pageSize: number = LIST_SHARDS_MAX_RESULTS): Promise<readonly KinesisShard[]> {
    const maxResults = Math.max(1, Math.min(LIST_SHARDS_MAX_RESULTS, pageSize));
    for (let restarts = 0; ; restarts++) {
      try {
        return await this.#listAllShards(ref, maxResults, signal);
      } catch (error) {
        // A NextToken lives 300 s; a listing that took longer starts over once.
        if (restarts === 0 && kinesisErrorName(error) === 'ExpiredNextTokenException') continue;
        throw error;
      }
    }
  }

  /** https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html */
  async getShardIterator(ref: StreamRef, shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<string> {
    const result = await this.#call('GetShardIterator', signal, () =>
      this.#client.send(new GetShardIteratorCommand({ ...streamParams(ref), ShardId: shardId, ...iteratorParams(position) }), { abortSignal: signal }),
    );
    if (result.ShardIterator === undefined) throw new TributaryError('SOURCE_READ_FAILED', `Kinesis GetShardIterator returned no iterator for ${shardId}`);
    return result.ShardIterator;
  }

  /** https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html */
  async getRecords(ref: StreamRef, iterator: string, limit: number, signal: AbortSignal): Promise<RecordsPage> {
    const result = await this.#call('GetRecords', signal, () =>
      this.#client.send(
        new GetRecordsCommand({
          ShardIterator: iterator,
          Limit: Math.max(1, Math.min(GET_RECORDS_MAX_LIMIT, Math.floor(limit))),
          // StreamARN only when the stream is named by ARN (cross-account access through a resource policy).
          ...('streamArn' in ref ? { StreamARN: ref.streamArn } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      records: (result.Records ?? []).map(toRecordData),
      nextShardIterator: result.NextShardIterator ?? null,
      millisBehindLatest: result.MillisBehindLatest ?? null,
    };
  }

  close(): void {
    this.#client.destroy();
  }

  async #listAllShards(ref: StreamRef, maxResults: number, signal: AbortSignal): Promise<KinesisShard[]> {
    const shards: KinesisShard[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      // NextToken identifies the stream by itself; sending the stream with it is an InvalidArgumentException.
      const input: ListShardsCommandInput = nextToken === undefined ? { ...streamParams(ref), MaxResults: maxResults } : { NextToken: nextToken, MaxResults: maxResults };
      const result: ListShardsCommandOutput = await this.#call('ListShards', signal, () => this.#client.send(new ListShardsCommand(input), { abortSignal: signal }));
      for (const shard of result.Shards ?? []) {
        if (shard.ShardId === undefined) continue;
        shards.push({
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId ?? null,
          adjacentParentShardId: shard.AdjacentParentShardId ?? null,
          endingSequenceNumber: shard.SequenceNumberRange?.EndingSequenceNumber ?? null,
        });
      }
      if (result.NextToken === undefined || result.NextToken === '') return shards;
      nextToken = result.NextToken;
    }
    throw new TributaryError('SOURCE_READ_FAILED', `Kinesis ListShards: more than ${MAX_LIST_PAGES} pages`);
  }

  async #call<T>(operation: string, signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw new TributaryError('STOPPED', `Kinesis ${operation} aborted`, { retryable: true });
    try {
      return await send();
    } catch (error) {
      throw toKinesisError(operation, error, signal);
    }
  }
}
