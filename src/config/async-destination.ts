/**
 * A destination of asynchronous invocation records (`eventInvokeConfig.destinationConfig.onSuccess / onFailure`,
 * PutFunctionEventInvokeConfig's `DestinationConfig`). AWS takes the ARN of a standard SQS queue, an SNS topic, an S3
 * bucket (on failure only), a Lambda function or an EventBridge bus
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). Tributary takes what its
 * on-failure destinations deliver to — an SQS standard queue (ARN or URL), `kafka://<host:port>[,…]/<topic>`,
 * `file://<path>` — and the ARN of another declared function, which is then invoked asynchronously with the record
 * as its event, as on AWS. A Kafka destination must name its brokers: there is no source cluster to borrow them from.
 */
import { show } from './echo.js';
import { parseDestination, type DestinationRef } from './destination-string.js';

/** What an asynchronous destination string names, or why it is refused. */
export type AsyncDestinationParse =
  | { readonly ok: true; readonly kind: 'function'; readonly functionName: string }
  | { readonly ok: true; readonly kind: 'delivery'; readonly ref: DestinationRef }
  | { readonly ok: false; readonly message: string };

/** `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,64})(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** Classify `value`; a refusal's message says what is accepted (to follow the field name). */
export function parseAsyncDestination(value: string): AsyncDestinationParse {
  if (/^arn:[^:]*:lambda:/.test(value)) {
    const name = FUNCTION_ARN.exec(value)?.[1];
    return name === undefined ? { ok: false, message: `must be a function ARN such as arn:aws:lambda:us-east-1:123456789012:function:my-function (got ${show(value)})` } : { ok: true, kind: 'function', functionName: name };
  }
  const parsed = parseDestination(value);
  if (!parsed.ok) return { ok: false, message: `${parsed.message}, or the ARN of a function` };
  if (parsed.ref.kind === 'kafka' && parsed.ref.bootstrapServers === null) {
    return { ok: false, message: `must name the brokers for an asynchronous destination: kafka://host:port/${parsed.ref.topic}` };
  }
  if (parsed.ref.kind === 's3' || parsed.ref.kind === 'sns') {
    return { ok: false, message: `is ${parsed.ref.kind === 's3' ? 'an S3 bucket' : 'an SNS topic'}: asynchronous invocation delivers to SQS, Kafka, a file or a function here (S3 and SNS destinations are for event source mappings only so far)` };
  }
  if (parsed.ref.kind === 'sqs' && parsed.ref.fifo) return { ok: false, message: 'is a FIFO queue: FIFO queues are not supported as destinations, as on AWS' };
  return { ok: true, kind: 'delivery', ref: parsed.ref };
}
