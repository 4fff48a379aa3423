/**
 * One Kinesis record (from GetRecords or a SubscribeToShard event) → the source records the engine reads: one per
 * user record, so a KPL aggregate becomes its user records (aggregation.ts), each with its own position
 * (position.ts), event record (event.ts), partition key (its key lane under parallelizationFactor) and filter
 * payload — filter patterns see each user record on its own, with polling and with enhanced fan-out alike.
 */
import type { SourceRecord } from '../../src/connector/index.js';
import { deaggregate } from './aggregation.js';
import { kinesisEventRecordBytes, toKinesisEventRecord, type KinesisEventContext, type KinesisRecordData, type KinesisUserRecord } from './event.js';
import { userRecordPosition } from './position.js';

/** The user records of a Kinesis record, in order: itself when it is not a KPL aggregate. */
export function userRecordsOf(record: KinesisRecordData): readonly KinesisUserRecord[] {
  const users = deaggregate(record.data);
  if (users === null) return [{ ...record, aggregated: null }];
  return users.map((user, subSequenceNumber) => ({
    sequenceNumber: record.sequenceNumber,
    partitionKey: user.partitionKey,
    data: user.data,
    approximateArrivalTimestampMs: record.approximateArrivalTimestampMs,
    aggregated: { subSequenceNumber, explicitHashKey: user.explicitHashKey },
  }));
}

/**
 * The source records of one Kinesis record. `id` is AWS's `sequenceNumber` — what a handler names in
 * `batchItemFailures` — shared by the user records of an aggregate: a failure reported for it retries from the
 * aggregate's first user record in the batch (at-least-once; the settled ones before it stay settled).
 * `now` stands in for a missing arrival time.
 */
export function toSourceRecords(record: KinesisRecordData, context: KinesisEventContext, now: () => number): SourceRecord[] {
  const users = userRecordsOf(record);
  const arrivedAtMs = record.approximateArrivalTimestampMs ?? now();
  return users.map((user, index) => {
    // The size comes from the lengths; the Lambda record (base64 data) is built on first use, when it is invoked.
    let eventRecord: Record<string, unknown> | null = null;
    return {
      id: user.sequenceNumber,
      shard: context.shardId,
      position: userRecordPosition(user.sequenceNumber, user.aggregated?.subSequenceNumber ?? null, index === users.length - 1),
      partitionKey: user.partitionKey,
      arrivedAtMs,
      receiveCount: 1,
      sizeBytes: kinesisEventRecordBytes(user, context, arrivedAtMs),
      get eventRecord() {
        return (eventRecord ??= toKinesisEventRecord(user, context, arrivedAtMs));
      },
      filterPayload: user.data,
    };
  });
}
