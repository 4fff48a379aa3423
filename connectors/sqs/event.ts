/**
 * SQS message → the exact record Lambda puts in `Records[]`.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#sample-fifo-queues-message-event
 */

/** The parts of a ReceiveMessage result we use (shape of the SDK's `Message`, SDK-independent). */
export interface SqsMessage {
  readonly MessageId?: string | undefined;
  readonly ReceiptHandle?: string | undefined;
  readonly Body?: string | undefined;
  readonly MD5OfBody?: string | undefined;
  readonly MD5OfMessageAttributes?: string | undefined;
  readonly Attributes?: Partial<Record<string, string>> | undefined;
  readonly MessageAttributes?: Record<string, SqsMessageAttribute> | undefined;
}

export interface SqsMessageAttribute {
  readonly DataType?: string | undefined;
  readonly StringValue?: string | undefined;
  readonly BinaryValue?: Uint8Array | undefined;
  readonly StringListValues?: string[] | undefined;
  readonly BinaryListValues?: Uint8Array[] | undefined;
}

/** Attribute order as in AWS's sample events: standard first, FIFO fields where AWS shows them. */
const STANDARD_ORDER = ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp'] as const;
const FIFO_ORDER = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'SenderId',
  'MessageDeduplicationId',
  'ApproximateFirstReceiveTimestamp',
] as const;
/** Optional system attributes Lambda passes through when present. */
const OPTIONAL = ['AWSTraceHeader', 'DeadLetterQueueSourceArn'] as const;

export interface SqsEventContext {
  readonly queueArn: string;
  readonly region: string;
  readonly fifo: boolean;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function messageAttributes(attributes: Record<string, SqsMessageAttribute> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    // Lambda's shape: camelCase keys, binary values base64-encoded, list fields always present.
    const attribute: Record<string, unknown> = {};
    if (value.StringValue !== undefined) attribute['stringValue'] = value.StringValue;
    if (value.BinaryValue !== undefined) attribute['binaryValue'] = base64(value.BinaryValue);
    attribute['stringListValues'] = value.StringListValues ?? [];
    attribute['binaryListValues'] = (value.BinaryListValues ?? []).map(base64);
    attribute['dataType'] = value.DataType ?? 'String';
    out[name] = attribute;
  }
  return out;
}

export function toSqsEventRecord(message: SqsMessage, context: SqsEventContext): Record<string, unknown> {
  const source = message.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const key of context.fifo ? FIFO_ORDER : STANDARD_ORDER) {
    const value = source[key];
    if (value !== undefined) attributes[key] = value;
  }
  for (const key of OPTIONAL) {
    const value = source[key];
    if (value !== undefined) attributes[key] = value;
  }
  const record: Record<string, unknown> = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: messageAttributes(message.MessageAttributes),
  };
  if (message.MD5OfMessageAttributes !== undefined) record['md5OfMessageAttributes'] = message.MD5OfMessageAttributes;
  record['md5OfBody'] = message.MD5OfBody ?? '';
  record['eventSource'] = 'aws:sqs';
  record['eventSourceARN'] = context.queueArn;
  record['awsRegion'] = context.region;
  return record;
}
