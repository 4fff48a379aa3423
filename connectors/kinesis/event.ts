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
