/**
 * `destinationConfig.onFailure.destination` (DESIGN §3.4). AWS takes the ARN of an SQS
 * standard queue, an SNS topic or an S3 bucket, and `kafka://<topic>` for Kafka sources
 * [API-OF, KF-OFD]. Tributary takes the same — an SQS queue (ARN or URL), an SNS topic ARN, an S3
 * bucket ARN (`arn:aws:s3:::bucket`), `kafka://<topic>` (a topic of the Kafka source's own cluster)
 * — plus `kafka://<host:port>[,<host:port>…]/<topic>` (a topic of the named cluster, reached
 * without TLS or SASL; any source but SQS) and its own `file://<path>` (JSON lines).
 */
import { show } from './echo.js';
import { parseSqsQueueArn, parseSqsQueueUrl, isFifoQueueName, S3_BUCKET_ARN, SNS_TOPIC_ARN, SQS_QUEUE_ARN } from './aws-resources.js';

/** What a destination string names. */
export type DestinationRef =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'kafka';
      readonly topic: string;
      /** The brokers named before the topic; null for `kafka://<topic>` (the Kafka source's cluster). */
      readonly bootstrapServers: readonly string[] | null;
    }
  | { readonly kind: 'sqs'; readonly queueUrl: string | null; readonly queueArn: string | null; readonly fifo: boolean }
  | { readonly kind: 's3'; readonly bucket: string; readonly bucketArn: string }
  | { readonly kind: 'sns'; readonly topicArn: string; readonly region: string; readonly fifo: boolean };

/** The classified destination, or why it is refused. */
export type DestinationParse = { readonly ok: true; readonly ref: DestinationRef } | { readonly ok: false; readonly message: string };

const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
/** `host:port` as the Kafka source's `bootstrapServers` accept it (schema/source.ts). */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
/** At most 10 brokers, as for a Kafka source [API-SMES]. */
const MAX_BROKERS = 10;
const EXPECTED = 'must be an SQS queue ARN or URL, an SNS topic ARN, an S3 bucket ARN (arn:aws:s3:::<bucket>), kafka://<topic> or file://<path>';

/** Classify a destination string; the message of a refusal names what is accepted. */
export function parseDestination(value: string): DestinationParse {
  if (value.startsWith('file://')) {
    const path = value.slice('file://'.length);
    return path === '' ? { ok: false, message: 'file:// needs a path, e.g. file://./failed.jsonl' } : { ok: true, ref: { kind: 'file', path } };
  }
  if (value.startsWith('kafka://')) return parseKafka(value.slice('kafka://'.length));
  if (value.startsWith('arn:')) {
    const service = value.split(':')[2];
    if (service === 's3') return parseS3(value);
    if (service === 'sns') return parseSns(value);
    const ref = SQS_QUEUE_ARN.test(value) ? parseSqsQueueArn(value) : null;
    if (ref === null) return { ok: false, message: `${EXPECTED} (got ${show(value)})` };
    return { ok: true, ref: { kind: 'sqs', queueUrl: null, queueArn: value, fifo: isFifoQueueName(ref.name) } };
  }
  if (/^https?:\/\//.test(value)) {
    const ref = parseSqsQueueUrl(value);
    if (ref === null) return { ok: false, message: `must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/failed (got ${show(value)})` };
    return { ok: true, ref: { kind: 'sqs', queueUrl: value, queueArn: null, fifo: isFifoQueueName(ref.name) } };
  }
  return { ok: false, message: `${EXPECTED} (got ${show(value)})` };
}

/** `arn:aws:s3:::<bucket>`: the bucket ARN AWS's OnFailure takes (no region, no account, no key prefix). */
function parseS3(value: string): DestinationParse {
  const bucket = S3_BUCKET_ARN.exec(value)?.[2];
  if (bucket === undefined) {
    return {
      ok: false,
      message: `must be an S3 bucket ARN arn:aws:s3:::<bucket> with a bucket name of 3–63 lowercase letters, digits, dots and hyphens (got ${show(value)})`,
    };
  }
  return { ok: true, ref: { kind: 's3', bucket, bucketArn: value } };
}

/** `arn:aws:sns:<region>:<account>:<topic>`. */
function parseSns(value: string): DestinationParse {
  const match = SNS_TOPIC_ARN.exec(value);
  if (match === null) return { ok: false, message: `must be an SNS topic ARN arn:aws:sns:<region>:<account>:<topic> (got ${show(value)})` };
  const [, , region = '', , name = ''] = match;
  return { ok: true, ref: { kind: 'sns', topicArn: value, region, fifo: name.endsWith('.fifo') } };
}

/** `<topic>` or `<host:port>[,<host:port>…]/<topic>` (what follows `kafka://`). */
function parseKafka(rest: string): DestinationParse {
  const slash = rest.lastIndexOf('/');
  const topic = rest.slice(slash + 1);
  if (!KAFKA_TOPIC.test(topic)) {
    return { ok: false, message: `kafka:// needs a topic name of [A-Za-z0-9._-] (got ${show(topic)}), e.g. kafka://<topic> or kafka://host:port/<topic>` };
  }
  if (slash < 0) return { ok: true, ref: { kind: 'kafka', topic, bootstrapServers: null } };
  const brokers = rest.slice(0, slash).split(',').map((broker) => broker.trim());
  const bad = brokers.find((broker) => !isHostPort(broker));
  if (bad !== undefined) {
    return { ok: false, message: `kafka:// brokers must be host:port with a port of 1–65535, comma-separated (got ${show(bad)})` };
  }
  if (brokers.length > MAX_BROKERS) return { ok: false, message: `kafka:// names at most ${MAX_BROKERS} brokers (got ${brokers.length})` };
  return { ok: true, ref: { kind: 'kafka', topic, bootstrapServers: brokers } };
}

function isHostPort(value: string): boolean {
  const port = Number(HOST_PORT.exec(value)?.[1]);
  return port >= 1 && port <= 65_535;
}
