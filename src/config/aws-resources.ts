/**
 * Names, ARNs and URLs of the AWS resources a pipeline reads from or writes to, and the
 * conversions between them. ARN formats:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */

/** `arn:aws:sqs:us-east-1:123456789012:orders` (or `.fifo`); emulators use any region word. */
export const SQS_QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;
/** `arn:aws:kinesis:us-east-1:123456789012:stream/orders`. */
export const KINESIS_STREAM_ARN = /^arn:(aws[a-z-]*):kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128})$/;
export const KINESIS_STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/**
 * An enhanced fan-out consumer: `arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/fn:1545084650`
 * (name, then the consumer's creation time). https://docs.aws.amazon.com/kinesis/latest/APIReference/API_Consumer.html
 */
export const KINESIS_CONSUMER_ARN = /^(arn:(aws[a-z-]*):kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128}))\/consumer\/([A-Za-z0-9_.-]{1,128}):(\d+)$/;
/** RegisterStreamConsumer's ConsumerName: 1–128 of `[a-zA-Z0-9_.-]`. */
export const KINESIS_CONSUMER_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** `arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000`. */
export const DYNAMODB_STREAM_ARN = /^arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})\/stream\/.+$/;
export const DYNAMODB_TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** `arn:aws:kafka:us-east-1:123456789012:cluster/name/uuid`. */
export const MSK_CLUSTER_ARN = /^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/.+$/;
/** Lambda's FunctionName pattern: a name, a partial ARN or a full ARN, optionally qualified (API_Invoke). */
export const LAMBDA_FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
/** Lambda's Qualifier pattern: a version or an alias (API_Invoke). */
export const LAMBDA_QUALIFIER = /^(\$LATEST|[a-zA-Z0-9$_-]{1,128})$/;
/** Regions are free words for emulators (`elasticmq`, `ddblocal`), so only the character set is checked. */
export const REGION = /^[A-Za-z0-9-]{1,64}$/;

/** What an SQS queue URL or ARN tells about the queue. */
export interface SqsQueueRef {
  readonly name: string;
  readonly accountId: string | null;
  readonly region: string | null;
  readonly partition: string | null;
}

const AWS_SQS_HOST = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
const LEGACY_AWS_SQS_HOST = /^([a-z0-9-]+)\.queue\.amazonaws\.com(\.cn)?$/;

/**
 * Parse `https://sqs.<region>.amazonaws.com/<account>/<name>`, the legacy
 * `https://<region>.queue.amazonaws.com/…`, or an emulator's `http://host:port/<account>/<name>`.
 * Returns null when the URL has no queue name.
 */
export function parseSqsQueueUrl(queueUrl: string): SqsQueueRef | null {
  if (!URL.canParse(queueUrl)) return null;
  const parsed = new URL(queueUrl);
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
  const name = segments.at(-1);
  if (name === undefined) return null;
  const host = AWS_SQS_HOST.exec(parsed.hostname) ?? LEGACY_AWS_SQS_HOST.exec(parsed.hostname);
  const accountId = segments.length === 2 && /^\d{12}$/.test(segments[0] ?? '') ? (segments[0] ?? null) : null;
  return {
    name,
    accountId,
    region: host?.[1] ?? null,
    partition: host === null ? null : host[2] === undefined ? 'aws' : 'aws-cn',
  };
}

/** Parse an SQS queue ARN. */
export function parseSqsQueueArn(queueArn: string): SqsQueueRef | null {
  const match = SQS_QUEUE_ARN.exec(queueArn);
  if (match === null) return null;
  const [, partition = 'aws', region = null, accountId = null, name = ''] = match;
  return { name, accountId, region, partition };
}

/** SQS FIFO queues are the ones whose name ends with `.fifo` (SQS developer guide, FIFO queues). */
export function isFifoQueueName(name: string): boolean {
  return name.endsWith('.fifo');
}

/** The queue named by a URL or an ARN, or null. */
export function sqsQueueRef(value: string): SqsQueueRef | null {
  return value.startsWith('arn:') ? parseSqsQueueArn(value) : parseSqsQueueUrl(value);
}

/**
 * ARN of a queue given by URL. AWS URLs carry their region; for other URLs (emulators) the
 * region is `region` or `us-east-1`, which is what ElasticMQ and LocalStack report. Null when
 * the URL has no `/<12-digit account>/<name>` path.
 */
export function sqsArnFromUrl(queueUrl: string, region: string | null): string | null {
  const ref = parseSqsQueueUrl(queueUrl);
  if (ref === null || ref.accountId === null) return null;
  return `arn:${ref.partition ?? 'aws'}:sqs:${ref.region ?? region ?? 'us-east-1'}:${ref.accountId}:${ref.name}`;
}

/**
 * URL of a queue given by ARN: the real AWS form `https://sqs.<region>.amazonaws.com/<account>/<name>`,
 * or `<endpoint>/<account>/<name>` when an endpoint override (emulator) is configured, which is the
 * URL the emulator itself hands out and works whether or not the SDK routes by queue URL.
 */
export function sqsUrlFromArn(queueArn: string, endpoint: string | null): string | null {
  const ref = parseSqsQueueArn(queueArn);
  if (ref === null || ref.accountId === null) return null;
  if (endpoint !== null) return `${endpoint.replace(/\/+$/, '')}/${ref.accountId}/${ref.name}`;
  const suffix = ref.partition === 'aws-cn' ? '.cn' : '';
  return `https://sqs.${ref.region ?? 'us-east-1'}.amazonaws.com${suffix}/${ref.accountId}/${ref.name}`;
}

/** Region embedded in any ARN (`arn:partition:service:region:…`), or null. */
export function regionOfArn(arn: string): string | null {
  const region = arn.split(':')[3];
  return arn.startsWith('arn:') && region !== undefined && region !== '' ? region : null;
}

/** Stream name of a Kinesis stream ARN. */
export function kinesisStreamNameOfArn(arn: string): string | null {
  return KINESIS_STREAM_ARN.exec(arn)?.[4] ?? null;
}

/** The stream ARN a Kinesis stream consumer ARN belongs to. */
export function kinesisStreamArnOfConsumerArn(arn: string): string | null {
  return KINESIS_CONSUMER_ARN.exec(arn)?.[1] ?? null;
}

/** Table name of a DynamoDB stream ARN. */
export function dynamoDbTableNameOfArn(arn: string): string | null {
  return DYNAMODB_STREAM_ARN.exec(arn)?.[4] ?? null;
}

/**
 * `arn:aws:s3:::bucket`: an S3 bucket has no region or account in its ARN. Bucket names are 3–63 characters of
 * lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (S3 user guide, "General
 * purpose bucket naming rules").
 */
export const S3_BUCKET_ARN = /^arn:(aws[a-z-]*):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
/** `arn:aws:sns:us-east-1:123456789012:topic` (or `.fifo`): topic names are 1–256 of `[A-Za-z0-9_-]` (API_CreateTopic). */
export const SNS_TOPIC_ARN = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;
/** `arn:aws:secretsmanager:us-east-1:123456789012:secret:name-AbCdEf` (Secrets Manager user guide, "secret ARN"). */
export const SECRETS_MANAGER_SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
/** `arn:aws:glue:us-east-1:123456789012:registry/name` (Glue developer guide, schema registry ARNs). */
export const GLUE_REGISTRY_ARN = /^arn:(aws[a-z-]*):glue:([a-z0-9-]+):(\d{12}):registry\/[A-Za-z0-9_$#.-]{1,255}$/;
