/**
 * `destinationConfig.onFailure.destination` (DESIGN §3.4). AWS takes the ARN of an SQS
 * standard queue, an SNS topic or an S3 bucket, and `kafka://<topic>` for Kafka sources
 * [API-OF, KF-OFD]. Tributary takes an SQS queue (ARN or URL), `kafka://<topic>` and its own
 * `file://<path>` (JSON lines). SNS and S3 are not implemented and are refused by name.
 */
import { parseSqsQueueArn, parseSqsQueueUrl, isFifoQueueName, SQS_QUEUE_ARN } from './aws-resources.js';

/** What a destination string names. */
export type DestinationRef =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'kafka'; readonly topic: string }
  | { readonly kind: 'sqs'; readonly queueUrl: string | null; readonly queueArn: string | null; readonly fifo: boolean };

/** The classified destination, or why it is refused. */
export type DestinationParse = { readonly ok: true; readonly ref: DestinationRef } | { readonly ok: false; readonly message: string };

const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const EXPECTED = 'must be an SQS queue ARN or URL, kafka://<topic> or file://<path>';

/** Classify a destination string; the message of a refusal names what is accepted. */
export function parseDestination(value: string): DestinationParse {
  if (value.startsWith('file://')) {
    const path = value.slice('file://'.length);
    return path === '' ? { ok: false, message: 'file:// needs a path, e.g. file://./failed.jsonl' } : { ok: true, ref: { kind: 'file', path } };
  }
  if (value.startsWith('kafka://')) {
    const topic = value.slice('kafka://'.length);
    return KAFKA_TOPIC.test(topic)
      ? { ok: true, ref: { kind: 'kafka', topic } }
      : { ok: false, message: `kafka:// needs a topic name of [A-Za-z0-9._-] (got ${JSON.stringify(topic)})` };
  }
  if (value.startsWith('arn:')) {
    const service = value.split(':')[2];
    if (service === 'sns' || service === 's3') {
      return { ok: false, message: `${service.toUpperCase()} destinations are not supported by Tributary; ${EXPECTED}` };
    }
    const ref = SQS_QUEUE_ARN.test(value) ? parseSqsQueueArn(value) : null;
    if (ref === null) return { ok: false, message: `${EXPECTED} (got ${JSON.stringify(value)})` };
    return { ok: true, ref: { kind: 'sqs', queueUrl: null, queueArn: value, fifo: isFifoQueueName(ref.name) } };
  }
  if (/^https?:\/\//.test(value)) {
    const ref = parseSqsQueueUrl(value);
    if (ref === null) return { ok: false, message: `must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/failed (got ${JSON.stringify(value)})` };
    return { ok: true, ref: { kind: 'sqs', queueUrl: value, queueArn: null, fifo: isFifoQueueName(ref.name) } };
  }
  return { ok: false, message: `${EXPECTED} (got ${JSON.stringify(value)})` };
}
