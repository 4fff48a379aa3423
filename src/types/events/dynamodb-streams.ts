/**
 * The event Lambda (and Tributary) sends a function from a DynamoDB stream, and the responses.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (sample event)
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
 * Names match `@types/aws-lambda`; fields Tributary always sends are required here (optional there).
 */
import type { BatchItemFailure } from './handler.js';
import type { TumblingWindowFields } from './kinesis.js';

/** An attribute value in DynamoDB JSON: exactly one type descriptor; binary values are base64. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: boolean }
  | { BOOL: boolean };

export interface StreamRecord {
  /** Epoch seconds. */
  ApproximateCreationDateTime?: number;
  Keys?: Record<string, AttributeValue>;
  /** With NEW_IMAGE or NEW_AND_OLD_IMAGES, except on REMOVE. */
  NewImage?: Record<string, AttributeValue>;
  /** With OLD_IMAGE or NEW_AND_OLD_IMAGES, except on INSERT. */
  OldImage?: Record<string, AttributeValue>;
  SequenceNumber?: string;
  SizeBytes?: number;
  StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

export interface DynamoDBRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  /** `aws:dynamodb`. */
  eventSource: string;
  awsRegion: string;
  dynamodb: StreamRecord;
  /** Deletions made by Time to Live: `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { type?: string; principalId?: string };
  eventSourceARN: string;
}

export interface DynamoDBStreamEvent {
  Records: DynamoDBRecord[];
}

export interface DynamoDBStreamTumblingWindowEvent extends DynamoDBStreamEvent, TumblingWindowFields {}

/** `itemIdentifier` is the record's `dynamodb.SequenceNumber`. */
export type DynamoDBBatchItemFailure = BatchItemFailure;

export interface DynamoDBBatchResponse {
  batchItemFailures: DynamoDBBatchItemFailure[];
}

/** The response of a tumbling-window invocation (must carry `state`). */
export interface DynamoDBStreamStateResponse extends Partial<DynamoDBBatchResponse> {
  state: Record<string, unknown>;
}
