/**
 * AWS's on-failure invocation records for discarded stream and Kafka batches (reference §3.6). Pure builders: the
 * request id and every timestamp are passed in (clock and uuid are injected by the caller), and the objects are
 * built in AWS's key order so that `JSON.stringify` matches AWS's examples field for field.
 *
 * - Kinesis / DynamoDB Streams → SQS, SNS (and our file destination): metadata only, `KinesisBatchInfo` /
 *   `DDBStreamBatchInfo`. https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html,
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 *   With an S3-style destination AWS adds `"payload": "<the invocation event as a JSON string>"`.
 * - Kafka → SQS, SNS, file: `KafkaBatchInfo.recordsInfo` keyed `<topic>-<partition>`.
 *   https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html
 * - Kafka → Kafka topic: one message per failed record, with `recordInfo` and the record's event as `payload`.
 *   https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html
 *
 * Where AWS is silent (reference §9, §10):
 * - The condition for records discarded by MaximumRecordAge is not documented; we use `RecordAgeExceeded`, as
 *   LocalStack does (floci uses `MaximumRecordAgeExceeded`).
 * - The Kafka-topic example shows `RetriesExhausted` while every other example shows `RetryAttemptsExhausted`;
 *   we use `RetryAttemptsExhausted` everywhere so consumers parse one vocabulary.
 * - `responseContext` is null when the function never answered for the discarded records (AWS documents null for
 *   Kafka's MaximumPayloadSizeExceeded; we also use it when records expired before any invocation). Its
 *   `functionError` key is omitted when the last response was not a function error (e.g. a partial batch
 *   response), as in AWS's records for successful asynchronous invocations.
 * - Self-managed Kafka has no event source ARN: `eventSourceArn` is then omitted, as in its event.
 * - The Kafka-topic `recordInfo` field types are not shown by AWS: `offset` is a decimal string and `timestamp` an
 *   ISO-8601 string, like `recordsInfo`.
 */

/**
 * Why records were discarded. `MaximumPayloadSizeExceeded`: a single record over the 6 MB invoke payload limit
 * (AWS's Kafka condition; AWS does not document the Kinesis / DynamoDB case, so streams use the same name).
 */
export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'MaximumPayloadSizeExceeded' | 'SchemaValidationFailed';
export type StreamDiscardCondition = DiscardCondition;
export type KafkaDiscardCondition = DiscardCondition;

/** The last invocation's response, as the runner saw it. */
export interface FunctionResponseInfo {
  /** Invoke API status: 200 even when the function failed. */
  readonly statusCode: number;
  readonly executedVersion: string;
  /** `Unhandled` / `Handled` for a function error; null when the function answered normally. */
  readonly functionError: string | null;
}

export interface RequestContext<C extends string> {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: C;
  readonly approximateInvokeCount: number;
}

export interface ResponseContext {
  readonly statusCode: number;
  readonly executedVersion: string;
  readonly functionError?: string;
}

/** `KinesisBatchInfo` / `DDBStreamBatchInfo`. */
export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

interface FailureRecordHead<C extends string> {
  readonly requestContext: RequestContext<C>;
  readonly responseContext: ResponseContext | null;
  readonly version: '1.0';
  readonly timestamp: string;
}

export interface KinesisFailureRecord extends FailureRecordHead<StreamDiscardCondition> {
  readonly KinesisBatchInfo: StreamBatchInfo;
  readonly payload?: string;
}

export interface DynamoDbStreamFailureRecord extends FailureRecordHead<StreamDiscardCondition> {
  readonly DDBStreamBatchInfo: StreamBatchInfo;
  readonly payload?: string;
}

export type StreamFailureRecord = KinesisFailureRecord | DynamoDbStreamFailureRecord;

/** The facts a stream on-failure record is built from. */
export interface StreamFailureInput extends StreamBatchInfo {
  readonly source: 'kinesis' | 'dynamodb-streams';
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: StreamDiscardCondition;
  readonly approximateInvokeCount: number;
  /** The last invocation's response; null if the records were never invoked. */
  readonly response: FunctionResponseInfo | null;
  /** When the record is written, ISO-8601 (see {@link isoTimestamp}). */
  readonly timestamp: string;
  /** The invocation event as a JSON string, for destinations that carry it (S3 on AWS); absent = metadata only. */
  readonly payload?: string;
}

/** Build a Kinesis / DynamoDB Streams on-failure record (reference §3.6 "Streams record"). */
export function streamFailureRecord(input: StreamFailureInput): StreamFailureRecord {
  const head = recordHead(input, input.response);
  const info: StreamBatchInfo = {
    shardId: input.shardId,
    startSequenceNumber: input.startSequenceNumber,
    endSequenceNumber: input.endSequenceNumber,
    approximateArrivalOfFirstRecord: input.approximateArrivalOfFirstRecord,
    approximateArrivalOfLastRecord: input.approximateArrivalOfLastRecord,
    batchSize: input.batchSize,
    streamArn: input.streamArn,
  };
  const payload = input.payload === undefined ? {} : { payload: input.payload };
  return input.source === 'kinesis' ? { ...head, KinesisBatchInfo: info, ...payload } : { ...head, DDBStreamBatchInfo: info, ...payload };
}

/** A discarded stream record, for {@link streamBatchRange}. */
export interface StreamRecordSummary {
  readonly sequenceNumber: string;
  readonly arrivedAtMs: number;
}

/**
 * The batch-range fields of `KinesisBatchInfo` / `DDBStreamBatchInfo` for the discarded records (in shard order).
 * Kinesis arrival times keep milliseconds; DynamoDB's ApproximateCreationDateTime has second precision and AWS's
 * example prints it without a fraction (`2019-11-14T00:13:19Z`). Throws RangeError for an empty list.
 */
export function streamBatchRange(
  source: 'kinesis' | 'dynamodb-streams',
  records: readonly StreamRecordSummary[],
): Pick<StreamBatchInfo, 'startSequenceNumber' | 'endSequenceNumber' | 'approximateArrivalOfFirstRecord' | 'approximateArrivalOfLastRecord' | 'batchSize'> {
  const first = records[0];
  const last = records[records.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('an on-failure record needs at least one record');
  const format = source === 'kinesis' ? isoTimestamp : isoTimestampSeconds;
  return {
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: format(first.arrivedAtMs),
    approximateArrivalOfLastRecord: format(last.arrivedAtMs),
    batchSize: records.length,
  };
}

/** A discarded Kafka record. */
export interface KafkaRecordSummary {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string: offsets can exceed 2^53. */
  readonly offset: string;
  readonly timestampMs: number;
}

export interface KafkaRecordsInfoEntry {
  readonly firstRecordOffset: string;
  readonly lastRecordOffset: string;
  readonly firstRecordTimestamp: string;
  readonly lastRecordTimestamp: string;
}

export interface KafkaBatchInfo {
  readonly batchSize: number;
  readonly eventSourceArn?: string;
  readonly bootstrapServers: string;
  readonly payloadSize: number;
  readonly recordsInfo: Readonly<Record<string, KafkaRecordsInfoEntry>>;
}

export interface KafkaFailureRecord extends FailureRecordHead<KafkaDiscardCondition> {
  readonly KafkaBatchInfo: KafkaBatchInfo;
  readonly payload?: string;
}

/** Facts common to both Kafka record forms. */
export interface KafkaFailureCommon {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: KafkaDiscardCondition;
  readonly approximateInvokeCount: number;
  /** Ignored (null is written) for MaximumPayloadSizeExceeded: the function was never invoked. */
  readonly response: FunctionResponseInfo | null;
  readonly timestamp: string;
  /** MSK cluster ARN; null for self-managed Kafka (the key is then omitted). */
  readonly eventSourceArn: string | null;
  /** Comma-separated `host:port` list, as in the Kafka event. */
  readonly bootstrapServers: string;
  /** Bytes of the invocation payload. */
  readonly payloadSize: number;
}

export interface KafkaFailureInput extends KafkaFailureCommon {
  /** The discarded records, in batch order (offset order within each partition). */
  readonly records: readonly KafkaRecordSummary[];
  /** The invocation event as a JSON string, for destinations that carry it (S3 on AWS); absent = metadata only. */
  readonly payload?: string;
}

/** Build the Kafka on-failure record for SQS, SNS and file destinations (reference §3.6 "Kafka SQS/SNS record"). */
export function kafkaFailureRecord(input: KafkaFailureInput): KafkaFailureRecord {
  const groups = new Map<string, { first: KafkaRecordSummary; last: KafkaRecordSummary }>();
  for (const record of input.records) {
    const key = `${record.topic}-${record.partition}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: record, last: record });
    else group.last = record;
  }
  const recordsInfo: Record<string, KafkaRecordsInfoEntry> = {};
  for (const [key, { first, last }] of groups) {
    recordsInfo[key] = {
      firstRecordOffset: first.offset,
      lastRecordOffset: last.offset,
      firstRecordTimestamp: isoTimestamp(first.timestampMs),
      lastRecordTimestamp: isoTimestamp(last.timestampMs),
    };
  }
  const payload = input.payload === undefined ? {} : { payload: input.payload };
  return {
    ...kafkaHead(input),
    KafkaBatchInfo: { batchSize: input.records.length, ...arn(input.eventSourceArn), bootstrapServers: input.bootstrapServers, payloadSize: input.payloadSize, recordsInfo },
    ...payload,
  };
}

export interface KafkaTopicFailureRecord extends FailureRecordHead<KafkaDiscardCondition> {
  readonly KafkaBatchInfo: {
    readonly batchSize: number;
    readonly eventSourceArn?: string;
    readonly bootstrapServers: string;
    readonly payloadSize: number;
    readonly recordInfo: { readonly offset: string; readonly timestamp: string };
  };
  /** The Kafka event holding this one record (bootstrapServers, eventSource, eventSourceArn, records). */
  readonly payload: unknown;
}

export interface KafkaTopicFailureInput extends KafkaFailureCommon {
  /** Size of the discarded batch this record belonged to. */
  readonly batchSize: number;
  readonly record: KafkaRecordSummary;
  /** The Kafka event object for this single record; written as is (an object, not a string). */
  readonly payload: unknown;
}

/**
 * Build one message for a Kafka-topic on-failure destination (`kafka://topic`): AWS writes each failed record with
 * its metadata, produced with the record's original key (reference §3.6 "Kafka-topic destination message").
 */
export function kafkaTopicFailureRecord(input: KafkaTopicFailureInput): KafkaTopicFailureRecord {
  return {
    ...kafkaHead(input),
    KafkaBatchInfo: {
      batchSize: input.batchSize,
      ...arn(input.eventSourceArn),
      bootstrapServers: input.bootstrapServers,
      payloadSize: input.payloadSize,
      recordInfo: { offset: input.record.offset, timestamp: isoTimestamp(input.record.timestampMs) },
    },
    payload: input.payload,
  };
}

/** ISO-8601 with milliseconds: `2019-11-14T00:13:49.717Z`. */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO-8601 without a fraction, truncated to the second: `2019-11-14T00:13:19Z`. */
export function isoTimestampSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function kafkaHead(input: KafkaFailureCommon): FailureRecordHead<KafkaDiscardCondition> {
  return recordHead(input, input.condition === 'MaximumPayloadSizeExceeded' ? null : input.response);
}

function recordHead<C extends string>(
  input: { readonly requestId: string; readonly functionArn: string; readonly condition: C; readonly approximateInvokeCount: number; readonly timestamp: string },
  response: FunctionResponseInfo | null,
): FailureRecordHead<C> {
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    responseContext: response === null ? null : responseContext(response),
    version: '1.0',
    timestamp: input.timestamp,
  };
}

function responseContext(response: FunctionResponseInfo): ResponseContext {
  const base = { statusCode: response.statusCode, executedVersion: response.executedVersion };
  return response.functionError === null ? base : { ...base, functionError: response.functionError };
}

function arn(eventSourceArn: string | null): { eventSourceArn?: string } {
  return eventSourceArn === null ? {} : { eventSourceArn };
}
