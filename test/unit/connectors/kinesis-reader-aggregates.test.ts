// The polling shard reader with KPL aggregates (records built by aws-kinesis-agg, converted by the connector's own
// user-record code): a checkpoint inside an aggregate resumes AT it and skips what was settled; a page that holds
// more user records than a read may return keeps the rest for the next read. The GetRecords calls are scripted
// (pure logic; the real service is exercised in test/integration/kinesis-aggregation.test.ts).
import { describe, expect, it } from 'vitest';
import type { StartPosition } from '../../../src/connector/index.js';
import type { IteratorPosition, RecordsPage } from '../../../connectors/kinesis/client.js';
import type { KinesisRecordData } from '../../../connectors/kinesis/event.js';
import { userRecordPosition } from '../../../connectors/kinesis/position.js';
import { KinesisShardReader } from '../../../connectors/kinesis/reader.js';
import { toSourceRecords } from '../../../connectors/kinesis/user-records.js';
import { aggregateWithKpl } from '../../support/kpl-aggregator.js';

const signal = new AbortController().signal;
const context = { shardId: 'shardId-0', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', region: 'us-east-1', invokeIdentityArn: 'arn:aws:iam::123456789012:role/r' };
const AGG = '100';
const NEXT = '200';

function aggregate(count: number): KinesisRecordData {
  const data = aggregateWithKpl(Array.from({ length: count }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.from(`u${i}`) })));
  return { sequenceNumber: AGG, partitionKey: 'k0', data, approximateArrivalTimestampMs: 1 };
}
const plain: KinesisRecordData = { sequenceNumber: NEXT, partitionKey: 'p', data: Buffer.from('plain'), approximateArrivalTimestampMs: 2 };

function reader(start: StartPosition, pages: RecordsPage[]) {
  const iteratorCalls: IteratorPosition[] = [];
  let recordCalls = 0;
  const shardReader = new KinesisShardReader({
    shardId: 'shardId-0',
    start,
    api: {
      getShardIterator: (_id, position) => {
        iteratorCalls.push(position);
        return Promise.resolve('it');
      },
      getRecords: () => {
        recordCalls += 1;
        const next = pages.shift();
        return next === undefined ? Promise.reject(new Error('script exhausted')) : Promise.resolve(next);
      },
    },
    toRecords: (record) => toSourceRecords(record, context, () => 0),
    now: () => 0,
    maxLimit: 10_000,
  });
  return { shardReader, iteratorCalls, calls: () => recordCalls };
}

const text = (records: readonly { filterPayload: unknown }[]): string[] => records.map((r) => Buffer.from(r.filterPayload as Uint8Array).toString());

describe('KinesisShardReader with KPL aggregates', () => {
  it('resumes AT the aggregate of a checkpoint inside it and skips the settled user records', async () => {
    const start: StartPosition = { kind: 'AFTER', position: userRecordPosition(AGG, 2, false) };
    const { shardReader, iteratorCalls } = reader(start, [{ records: [aggregate(5), plain], nextShardIterator: 'n', millisBehindLatest: 0 }]);
    const result = await shardReader.read(100, signal);
    expect(iteratorCalls).toEqual([{ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: AGG }]);
    expect(text(result.records)).toEqual(['u3', 'u4', 'plain']);
  });

  it('resumes AFTER an aggregate whose last user record is the checkpoint', async () => {
    const start: StartPosition = { kind: 'AFTER', position: userRecordPosition(AGG, 4, true) };
    const { shardReader, iteratorCalls } = reader(start, [{ records: [plain], nextShardIterator: 'n', millisBehindLatest: 0 }]);
    expect(text((await shardReader.read(100, signal)).records)).toEqual(['plain']);
    expect(iteratorCalls).toEqual([{ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: AGG }]);
  });

  it('returns at most maxRecords user records and keeps the rest of the page for the next reads', async () => {
    const { shardReader, calls } = reader({ kind: 'TRIM_HORIZON' }, [{ records: [aggregate(5), plain], nextShardIterator: null, millisBehindLatest: 0 }]);
    const first = await shardReader.read(2, signal);
    expect([text(first.records), first.shardEnd]).toEqual([['u0', 'u1'], false]);
    const second = await shardReader.read(3, signal);
    expect([text(second.records), second.shardEnd]).toEqual([['u2', 'u3', 'u4'], false]);
    const third = await shardReader.read(3, signal);
    expect([text(third.records), third.shardEnd]).toEqual([['plain'], true]);
    expect(calls()).toBe(1);
  });

  it('gives every user record a position above the previous one', async () => {
    const { shardReader } = reader({ kind: 'TRIM_HORIZON' }, [{ records: [aggregate(3), plain], nextShardIterator: 'n', millisBehindLatest: 0 }]);
    const positions = (await shardReader.read(10, signal)).records.map((r) => BigInt(r.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(positions).size).toBe(4);
  });
});
