/**
 * KPL-aggregated records for tests, built by AWS Labs' own aggregator (npm aws-kinesis-agg, the KPL aggregated
 * format's Node implementation; https://github.com/awslabs/kinesis-aggregation), never by the code under test.
 */
import { createRequire } from 'node:module';

export interface KplUserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Buffer;
}

export interface KplUserRecordOut {
  readonly partitionKey: string;
  readonly data: string;
  readonly subSequenceNumber?: number;
}

interface AggLibrary {
  RecordAggregator: new () => { addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Buffer }): void; build(): { partitionKey: string; data: Buffer } };
  deaggregateSync(
    record: { data: string; partitionKey: string; sequenceNumber: string },
    computeChecksums: boolean,
    done: (err: Error | null, records?: KplUserRecordOut[]) => void,
  ): void;
}

const agg = createRequire(import.meta.url)('aws-kinesis-agg') as AggLibrary;

/** One aggregated Kinesis record's data holding `records` in order; partition key of the first. */
export function aggregateWithKpl(records: readonly KplUserRecord[]): Buffer {
  const aggregator = new agg.RecordAggregator();
  for (const record of records) aggregator.addUserRecord({ ...record });
  return aggregator.build().data;
}

/** What a handler using aws-kinesis-agg's `deaggregateSync` gets for a Lambda `kinesis` record. */
export function deaggregateWithKpl(kinesis: { data: string; partitionKey: string; sequenceNumber: string }): KplUserRecordOut[] {
  let out: KplUserRecordOut[] = [];
  agg.deaggregateSync(kinesis, true, (err, users) => {
    if (err) throw err;
    out = users ?? [];
  });
  return out;
}
