/**
 * The event Lambda (and Tributary) sends a function from an SQS queue, and the partial batch response.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event (standard)
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#sample-fifo-queues-message-event (FIFO)
 * Names and fields match `@types/aws-lambda`; what Tributary always sends (a message attribute's list values) is
 * required here, so an event of this type is one of that package's (test/unit/types/aws-lambda-compat.test.ts).
 */
import type { BatchItemFailure } from './handler.js';

/** Message system attributes. All values are strings, as Lambda sends them. */
export interface SQSRecordAttributes {
  ApproximateReceiveCount: string;
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  /** FIFO queues. */
  SequenceNumber?: string;
  /** FIFO queues. */
  MessageGroupId?: string;
  /** FIFO queues. */
  MessageDeduplicationId?: string;
  /** When the message was sent with an X-Ray trace header. */
  AWSTraceHeader?: string;
  /** When the message was moved back from a dead-letter queue. */
  DeadLetterQueueSourceArn?: string;
}

/** A message attribute; binary values are base64. */
export interface SQSMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: 'String' | 'Number' | 'Binary' | (string & {});
}

export type SQSMessageAttributes = Record<string, SQSMessageAttribute>;

/** One message of the batch. */
export interface SQSRecord {
  messageId: string;
  receiptHandle: string;
  /** The message body as sent (not base64). */
  body: string;
  attributes: SQSRecordAttributes;
  messageAttributes: SQSMessageAttributes;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  /** `aws:sqs`. */
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

export interface SQSEvent {
  Records: SQSRecord[];
}

/** `itemIdentifier` is the message's `messageId`. */
export type SQSBatchItemFailure = BatchItemFailure;

export interface SQSBatchResponse {
  batchItemFailures: SQSBatchItemFailure[];
}
