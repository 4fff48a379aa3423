/**
 * Kinesis record → the exact record Lambda puts in `Records[]`, keys in the order of AWS's sample event.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (sample event)
 *
 * A user record of a KPL aggregate (see aggregation.ts) is its own event record, in the form AWS Labs' Lambda
 * de-aggregator gives a handler (awslabs/kinesis-aggregation, python `deaggregator.py`): the aggregate's
 * `sequenceNumber`, `eventID` and arrival time, the user record's `partitionKey` and `data`, plus
 * `subSequenceNumber`, `explicitHashKey` (null when none) and `aggregated: true`. Lambda itself documents no
 * de-aggregated form (it passes aggregates whole to a standard-iterator mapping).
 */

/** One record as GetRecords returned it, SDK-independent. */
export interface KinesisRecordData {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** The record's data blob, raw bytes (the SDK has already base64-decoded the wire form). */
  readonly data: Uint8Array;
  /** ApproximateArrivalTimestamp, epoch milliseconds; null when the service did not send one. */
  readonly approximateArrivalTimestampMs: number | null;
}

/** Where a user record sits inside a KPL aggregate. */
export interface AggregatedPart {
  /** The user record's index in the aggregate (the KCL's and aws-kinesis-agg's `subSequenceNumber`). */
  readonly subSequenceNumber: number;
  readonly explicitHashKey: string | null;
}

/** One user record: a plain Kinesis record (`aggregated` null) or one record of an aggregate. */
export interface KinesisUserRecord extends KinesisRecordData {
  readonly aggregated: AggregatedPart | null;
}

export interface KinesisEventContext {
  readonly shardId: string;
  readonly streamArn: string;
  readonly region: string;
  /** What Lambda puts there is the function's execution role; see {@link defaultInvokeIdentityArn}. */
  readonly invokeIdentityArn: string;
}

/**
 * Lambda sets `invokeIdentityArn` to the mapping's execution role. Tributary has no role, so unless the caller
 * configures one it uses `arn:<partition>:iam::<account of the stream>:role/tributary` — a well-formed ARN in the
 * stream's account, so handlers that parse it (account id, partition) keep working.
 */
export function defaultInvokeIdentityArn(streamArn: string): string {
  const [, partition, , , account] = streamArn.split(':');
  const validPartition = partition !== undefined && /^aws[a-z-]*$/.test(partition) ? partition : 'aws';
  const validAccount = account !== undefined && /^\d{12}$/.test(account) ? account : '000000000000';
  return `arn:${validPartition}:iam::${validAccount}:role/tributary`;
}

/**
 * The Lambda event record. `approximateArrivalTimestamp` is epoch **seconds** as a number with millisecond
 * precision (`1545084650.987`), `data` is base64, `eventID` is `<shardId>:<sequenceNumber>`.
 * `arrivedAtMs` is used when the service sent no arrival time (the caller passes the read time).
 */
export function toKinesisEventRecord(record: KinesisUserRecord, context: KinesisEventContext, arrivedAtMs: number): Record<string, unknown> {
  const part = record.aggregated;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      ...(part === null ? {} : { subSequenceNumber: part.subSequenceNumber, explicitHashKey: part.explicitHashKey, aggregated: true }),
      data: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64'),
      approximateArrivalTimestamp: (record.approximateArrivalTimestampMs ?? arrivedAtMs) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${context.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: context.invokeIdentityArn,
    awsRegion: context.region,
    eventSourceARN: context.streamArn,
  };
}

/** Bytes of a string as a JSON string literal (quotes and escapes included), UTF-8. */
function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** The JSON bytes of an event record that do not depend on the record, per context (one per shard reader). */
const fixedBytes = new WeakMap<KinesisEventContext, number>();

function contextBytes(context: KinesisEventContext): number {
  let bytes = fixedBytes.get(context);
  if (bytes === undefined) {
    const skeleton = toKinesisEventRecord({ sequenceNumber: '', partitionKey: '', data: new Uint8Array(0), approximateArrivalTimestampMs: 0, aggregated: null }, context, 0);
    // Everything but the record's own values: the empty key's "" and the timestamp 0 are counted per record (the
    // sequence number's and the data's quotes, and eventID's "<shardId>:", stay here).
    bytes = Buffer.byteLength(JSON.stringify(skeleton)) - '""'.length - '0'.length;
    fixedBytes.set(context, bytes);
  }
  return bytes;
}

/**
 * `Buffer.byteLength(JSON.stringify(toKinesisEventRecord(record, context, arrivedAtMs)))` from the lengths alone —
 * the base64 data is 4·⌈n/3⌉ — so a record's size is known when it is read, and its event record is built only when
 * it is invoked (or filtered).
 */
export function kinesisEventRecordBytes(record: KinesisUserRecord, context: KinesisEventContext, arrivedAtMs: number): number {
  // A KPL user record carries three more members (rare: measured exactly).
  if (record.aggregated !== null) return Buffer.byteLength(JSON.stringify(toKinesisEventRecord(record, context, arrivedAtMs)));
  const timestamp = (record.approximateArrivalTimestampMs ?? arrivedAtMs) / 1000;
  return (
    contextBytes(context) +
    // The sequence number twice (sequenceNumber and eventID): decimal digits, never escaped.
    2 * record.sequenceNumber.length +
    jsonStringBytes(record.partitionKey) +
    4 * Math.ceil(record.data.byteLength / 3) +
    (Number.isFinite(timestamp) ? String(timestamp).length : 4)
  );
}
