/**
 * The event Lambda (and Tributary) sends a function from a Kinesis stream, with the tumbling-window fields when
 * `tumblingWindowInSeconds` is set, and the responses.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (sample event)
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html (tumbling windows)
 * Names and fields match `@types/aws-lambda` (constant fields typed `string` there are `string` here too, so an
 * event typed with either package is accepted by a handler typed with the other).
 */
import type { BatchItemFailure } from './handler.js';

export interface KinesisStreamRecordPayload {
  kinesisSchemaVersion: string;
  partitionKey: string;
  sequenceNumber: string;
  /** A user record of a KPL aggregated record: its position within it. */
  subSequenceNumber?: number;
  /** A user record of a KPL aggregated record: its explicit hash key, when it has one. */
  explicitHashKey?: string | null;
  /** Set on user records de-aggregated from a KPL aggregated record. */
  aggregated?: boolean;
  /** The record's data, base64. */
  data: string;
  /** Epoch seconds with millisecond precision. */
  approximateArrivalTimestamp: number;
}

export interface KinesisStreamRecord {
  kinesis: KinesisStreamRecordPayload;
  /** `aws:kinesis`. */
  eventSource: string;
  eventVersion: string;
  /** `<shardId>:<sequenceNumber>`. */
  eventID: string;
  /** `aws:kinesis:record`. */
  eventName: string;
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

export interface KinesisStreamEvent {
  Records: KinesisStreamRecord[];
}

/** What Lambda adds to stream events of a mapping with tumbling windows (Kinesis and DynamoDB Streams). */
export interface TumblingWindowFields {
  /** ISO-8601 bounds of the window. */
  window: { start: string; end: string };
  /** The state the previous invocation of this window returned (`{}` at the start of a window). */
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

export interface KinesisStreamTumblingWindowEvent extends KinesisStreamEvent, TumblingWindowFields {}

/** `itemIdentifier` is the record's `kinesis.sequenceNumber`. */
export type KinesisStreamBatchItemFailure = BatchItemFailure;

export interface KinesisStreamBatchResponse {
  batchItemFailures: KinesisStreamBatchItemFailure[];
}

/** The response of a tumbling-window invocation: it must carry `state`, else the invocation counts as failed. */
export interface KinesisStreamStateResponse extends Partial<KinesisStreamBatchResponse> {
  state: Record<string, unknown>;
}
