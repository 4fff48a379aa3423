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

/** Bytes JSON.stringify writes for a number (`null` for NaN and ±Infinity). */
function jsonNumberBytes(n: number): number {
  return Number.isFinite(n) ? String(n).length : 4;
}

/** Bytes of a string as a JSON string literal (quotes and escapes included), UTF-8. */
function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** Length of base64 for `n` bytes (padded): 4·⌈n/3⌉. */
function base64Bytes(n: number): number {
  return 4 * Math.ceil(n / 3);
}

/** JSON length of each unsigned byte written as a Java signed byte (`-128`…`127`). */
const SIGNED_BYTE_LENGTH = Array.from({ length: 256 }, (_, b) => String(b > 127 ? b - 256 : b).length);

/** Topic names repeat: their JSON length is computed once. */
const topicBytes = new Map<string, number>();

/**
 * `Buffer.byteLength(JSON.stringify(toKafkaEventRecord(record)))`, computed from the lengths alone — no base64, no
 * JSON text — so a record's size is known when it is read while its event record is built only when it is invoked.
 * Layout: `{"topic":…,"partition":…,"offset":…,"timestamp":…,"timestampType":"…"[,"key":"…"][,"value":"…"],"headers":[…]}`.
 */
export function eventRecordBytes(record: KafkaRecordData): number {
  let topic = topicBytes.get(record.topic);
  if (topic === undefined) {
    topic = jsonStringBytes(record.topic);
    if (topicBytes.size < 10_000) topicBytes.set(record.topic, topic);
  }
  let bytes =
    '{"topic":'.length + topic +
    ',"partition":'.length + jsonNumberBytes(record.partition) +
    ',"offset":'.length + jsonNumberBytes(Number(record.offset)) +
    ',"timestamp":'.length + jsonNumberBytes(record.timestampMs) +
    ',"timestampType":""'.length + record.timestampType.length +
    ',"headers":[]}'.length;
  if (record.key !== null) bytes += ',"key":""'.length + base64Bytes(record.key.byteLength);
  if (record.value !== null) bytes += ',"value":""'.length + base64Bytes(record.value.byteLength);
  record.headers.forEach(([name, value], i) => {
    // {"name":[b,b,…]} and a comma before every header but the first.
    bytes += (i > 0 ? 1 : 0) + '{:[]}'.length + jsonStringBytes(name);
    if (value === null || value.byteLength === 0) return;
    bytes += value.byteLength - 1;
    for (const byte of value) bytes += SIGNED_BYTE_LENGTH[byte] ?? 4;
  });
  return bytes;
}

/** The last partition's `<topic>-<partition>`: records arrive in runs of one partition, so its string is shared. */
let lastShard = { topic: '', partition: -1, name: '' };

function shardName(topic: string, partition: number): string {
  if (lastShard.partition !== partition || lastShard.topic !== topic) lastShard = { topic, partition, name: partitionKey(topic, partition) };
  return lastShard.name;
}

/**
 * A Kafka record as the core sees it, built lazily: what the engine needs on every record (position, size, arrival
 * time, the value for filters) is read straight from the fetched record; the Lambda event record (base64, Java
 * bytes) and the strings only a failure report or a key lane needs are built on first use — the event record when
 * the batch is invoked — and then kept, so a retry reuses them.
 */
class KafkaSourceRecord implements SourceRecord {
  readonly shard: string;
  readonly position: string;
  readonly arrivedAtMs: number;
  readonly receiveCount = 1;
  readonly sizeBytes: number;
  readonly filterPayload: Uint8Array | null;
  readonly #data: KafkaRecordData;
  #eventRecord: Record<string, unknown> | null = null;

  constructor(data: KafkaRecordData) {
    this.#data = data;
    this.shard = shardName(data.topic, data.partition);
    this.position = data.offset;
    this.arrivedAtMs = data.timestampMs;
    this.sizeBytes = eventRecordBytes(data);
    this.filterPayload = data.value;
  }

  get id(): string {
    return `${this.shard}:${this.#data.offset}`;
  }

  /** The Kafka key as base64 (exactly the event's `key`; lossless for binary keys). */
  get partitionKey(): string | null {
    const key = this.#data.key;
    return key === null ? null : base64(key);
  }

  get eventRecord(): Readonly<Record<string, unknown>> {
    return (this.#eventRecord ??= toKafkaEventRecord(this.#data));
  }
}

/**
 * The normalised record the core works with. `partitionKey` is the Kafka key as base64 (exactly the event's `key`;
 * lossless for binary keys), `filterPayload` the raw value bytes (filter patterns address `value`).
 */
export function toSourceRecord(record: KafkaRecordData): SourceRecord {
  return new KafkaSourceRecord(record);
}

/**
 * The Lambda event for records of one or several partitions: `records` groups them by `<topic>-<partition>` in the
 * order given (one batch of the core is one partition, in offset order).
 */
export function toKafkaEvent(records: readonly SourceRecord[], context: KafkaEventContext): Record<string, unknown> {
  const grouped: Record<string, Readonly<Record<string, unknown>>[]> = {};
  // Records come in runs of one partition: the run's list is looked up once, not per record.
  let shard: string | null = null;
  let list: Readonly<Record<string, unknown>>[] = [];
  for (const record of records) {
    if (record.shard !== shard) {
      shard = record.shard;
      const existing = Object.hasOwn(grouped, shard) ? grouped[shard] : undefined;
      if (existing === undefined) {
        list = [];
        Object.defineProperty(grouped, shard, { value: list, enumerable: true, writable: true, configurable: true });
      } else list = existing;
    }
    list.push(record.eventRecord);
  }
  return context.clusterArn === null
    ? { eventSource: 'SelfManagedKafka', bootstrapServers: context.bootstrapServers, records: grouped }
    : { eventSource: 'aws:kafka', eventSourceArn: context.clusterArn, bootstrapServers: context.bootstrapServers, records: grouped };
}

/** Bytes the event adds around its records: used to keep a batch under the 6 MB invoke payload limit. */
export function eventOverheadBytes(context: KafkaEventContext, partitionName: string): number {
  return Buffer.byteLength(JSON.stringify(toKafkaEvent([], context))) + Buffer.byteLength(JSON.stringify(partitionName)) + 8;
}
