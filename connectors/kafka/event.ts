/**
 * Kafka record → the exact record Lambda puts in the event's `records["<topic>-<partition>"]`, and a list of records
 * → the whole Lambda event, keys in the order of AWS's sample events.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html (Amazon MSK sample event)
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html (self-managed Apache Kafka sample event)
 *
 * Decisions where AWS documents nothing (reference §4.4, §9):
 * - a null key is **omitted** (`key` absent), as Lambda does for keyless records: Powertools made `key` optional
 *   after users received such events (aws-powertools/powertools-lambda-python#6508, -typescript#3841). An empty key
 *   (zero bytes) is `""`.
 * - a null value (a tombstone) is omitted the same way (`value` absent); an empty value is `""`.
 * - a header without a value (null) is `[]`, so parsers that expect an array of bytes keep working.
 * - header bytes are Java's SIGNED bytes (-128…127), as AWS serialises `byte[]` (`ë` → `[-61,-85]`): aws-lambda-go
 *   decodes them into `[]int8`, where 195 would not unmarshal.
 * - `offset` is a JSON number as in AWS's sample (exact up to 2^53, far beyond any real offset).
 */
import type { SourceRecord } from '../../src/connector/index.js';

export type KafkaTimestampType = 'CREATE_TIME' | 'LOG_APPEND_TIME';

/** One record as kafkajs fetched it, SDK-independent. */
export interface KafkaRecordData {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
  /** Epoch milliseconds: the producer's create time, or the broker's append time for LOG_APPEND_TIME topics. */
  readonly timestampMs: number;
  readonly timestampType: KafkaTimestampType;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** In record order; a header name may repeat. */
  readonly headers: readonly (readonly [name: string, value: Uint8Array | null])[];
}

/** What every event of one source shares. */
export interface KafkaEventContext {
  /** `bootstrapServers` of the event: the configured list, comma-separated, as in AWS's sample. */
  readonly bootstrapServers: string;
  /** MSK cluster ARN → an `aws:kafka` event with `eventSourceArn`; null → a `SelfManagedKafka` event without it. */
  readonly clusterArn: string | null;
}

/** The `records` key and `SourceRecord.shard` of a partition: `<topic>-<partition>`. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * The identifier a function reports in `batchItemFailures[].itemIdentifier` for a Kafka record:
 * `"<topic>-<partition>:<offset>"`, e.g. `"orders-0:15"`. (AWS's own object form,
 * `{"partition": "<topic>-<partition>", "offset": <n>}` per reference §3.5, names the same record.)
 */
export function recordId(topic: string, partition: number, offset: string): string {
  return `${partitionKey(topic, partition)}:${offset}`;
}

/** Bytes as Java's `byte[]` serialises them: signed, -128…127. */
function javaBytes(bytes: Uint8Array): number[] {
  return Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The Lambda event record of one Kafka record (see the file comment for null key / value / header values). */
export function toKafkaEventRecord(record: KafkaRecordData): Record<string, unknown> {
  const out: Record<string, unknown> = {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: record.timestampMs,
    timestampType: record.timestampType,
  };
  if (record.key !== null) out['key'] = base64(record.key);
  if (record.value !== null) out['value'] = base64(record.value);
  // Computed keys define own properties even for a header named "__proto__".
  out['headers'] = record.headers.map(([name, value]) => ({ [name]: value === null ? [] : javaBytes(value) }));
  return out;
}

/**
 * The normalised record the core works with. `partitionKey` is the Kafka key as base64 (exactly the event's `key`;
 * lossless for binary keys), `filterPayload` the raw value bytes (filter patterns address `value`).
 */
export function toSourceRecord(record: KafkaRecordData): SourceRecord {
  const eventRecord = toKafkaEventRecord(record);
  const key = eventRecord['key'];
  return {
    id: recordId(record.topic, record.partition, record.offset),
    shard: partitionKey(record.topic, record.partition),
    position: record.offset,
    partitionKey: typeof key === 'string' ? key : null,
    arrivedAtMs: record.timestampMs,
    receiveCount: 1,
    sizeBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
    eventRecord,
    filterPayload: record.value,
  };
}

/**
 * The Lambda event for records of one or several partitions: `records` groups them by `<topic>-<partition>` in the
 * order given (one batch of the core is one partition, in offset order).
 */
export function toKafkaEvent(records: readonly SourceRecord[], context: KafkaEventContext): Record<string, unknown> {
  const grouped: Record<string, Readonly<Record<string, unknown>>[]> = {};
  for (const record of records) {
    const list = Object.hasOwn(grouped, record.shard) ? grouped[record.shard] : undefined;
    if (list === undefined) Object.defineProperty(grouped, record.shard, { value: [record.eventRecord], enumerable: true, writable: true, configurable: true });
    else list.push(record.eventRecord);
  }
  return context.clusterArn === null
    ? { eventSource: 'SelfManagedKafka', bootstrapServers: context.bootstrapServers, records: grouped }
    : { eventSource: 'aws:kafka', eventSourceArn: context.clusterArn, bootstrapServers: context.bootstrapServers, records: grouped };
}

/** Bytes the event adds around its records: used to keep a batch under the 6 MB invoke payload limit. */
export function eventOverheadBytes(context: KafkaEventContext, partitionName: string): number {
  return Buffer.byteLength(JSON.stringify(toKafkaEvent([], context))) + Buffer.byteLength(JSON.stringify(partitionName)) + 8;
}
