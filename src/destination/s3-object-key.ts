/**
 * Where AWS writes an on-failure record in an S3 bucket (pure). For Kinesis and DynamoDB Streams:
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html, "Amazon S3 destinations";
 * reference §3.6). AWS documents no key for Kafka sources (kafka-on-failure.html says only that S3 destinations get
 * the whole invocation record); Tributary uses the same layout with the Kafka lane `<topic>-<partition>`, the key
 * of `KafkaBatchInfo.recordsInfo`, in place of the shard id. Times are UTC, from the record's own `timestamp`.
 */
import { destinationFailed } from './destination-errors.js';

/** The lane of an on-failure record: the shard id of a stream record, `<topic>-<partition>` of a Kafka record. */
export function recordLane(record: object): string | null {
  const value = record as Readonly<Record<string, unknown>>;
  for (const info of [value['KinesisBatchInfo'], value['DDBStreamBatchInfo']]) {
    const shardId = (info as { shardId?: unknown } | undefined)?.shardId;
    if (typeof shardId === 'string' && shardId !== '') return shardId;
  }
  const kafka = value['KafkaBatchInfo'] as { recordsInfo?: unknown } | undefined;
  const recordsInfo = kafka?.recordsInfo;
  if (typeof recordsInfo === 'object' && recordsInfo !== null) {
    const first = Object.keys(recordsInfo)[0];
    if (first !== undefined) return first;
  }
  return null;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS` of an instant, UTC. */
export function keyTime(ms: number): string {
  const d = new Date(ms);
  const date = [pad(d.getUTCFullYear(), 4), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
  return `${date.join('/')}/${date.join('-')}T${pad(d.getUTCHours())}.${pad(d.getUTCMinutes())}.${pad(d.getUTCSeconds())}`;
}

/**
 * The object key of `record`: its lane, the time of its `timestamp` (ISO-8601; `fallbackMs` when it has none), and a
 * random UUID. Throws a non-retryable DESTINATION_FAILED for a record that names no lane (not an on-failure record).
 */
export function s3ObjectKey(target: string, record: object, mappingUuid: string, randomUuid: string, fallbackMs: number): string {
  const lane = recordLane(record);
  if (lane === null) throw destinationFailed(target, 'the record names no shard or partition (KinesisBatchInfo, DDBStreamBatchInfo or KafkaBatchInfo)', { retryable: false });
  const timestamp = (record as { timestamp?: unknown }).timestamp;
  const parsed = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return `aws/lambda/${mappingUuid}/${lane}/${keyTime(Number.isFinite(parsed) ? parsed : fallbackMs)}-${randomUuid}`;
}
