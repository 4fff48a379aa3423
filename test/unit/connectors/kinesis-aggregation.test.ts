// KPL de-aggregation (connectors/kinesis/aggregation.ts, user-records.ts) checked against records built by AWS Labs'
// own aggregator (npm aws-kinesis-agg, the KPL format's reference implementation for Node), and the event records a
// handler gets for them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deaggregate, KPL_MAGIC } from '../../../connectors/kinesis/aggregation.js';
import { resumePointOf } from '../../../connectors/kinesis/position.js';
import { toSourceRecords, userRecordsOf } from '../../../connectors/kinesis/user-records.js';
import { aggregateWithKpl, deaggregateWithKpl } from '../../support/kpl-aggregator.js';

const SEQ = '49590338271490256608559692538361571095921575989136588898';
const context = { shardId: 'shardId-000000000003', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', region: 'us-east-1', invokeIdentityArn: 'arn:aws:iam::123456789012:role/r' };

describe('KPL de-aggregation', () => {
  it('yields the user records of an aws-kinesis-agg aggregate, in order, with their keys', () => {
    const data = aggregateWithKpl([
      { partitionKey: 'a', data: Buffer.from('{"n":0}') },
      { partitionKey: 'b', explicitHashKey: '340282366920938463463374607431768211455', data: Buffer.from('{"n":1}') },
      { partitionKey: 'a', data: Buffer.from([0, 255, 7]) },
    ]);
    expect(data.subarray(0, 4).equals(KPL_MAGIC)).toBe(true);
    const users = deaggregate(data);
    expect(users?.map((u) => [u.partitionKey, u.explicitHashKey, Buffer.from(u.data).toString('hex')])).toEqual([
      ['a', null, Buffer.from('{"n":0}').toString('hex')],
      ['b', '340282366920938463463374607431768211455', Buffer.from('{"n":1}').toString('hex')],
      ['a', null, '00ff07'],
    ]);
  });

  it('treats plain data, a wrong MD5 and a protobuf that does not parse as a plain record, as the KCL does', () => {
    expect(deaggregate(Buffer.from('{"plain":true}'))).toBeNull();
    const good = aggregateWithKpl([{ partitionKey: 'a', data: Buffer.from('x') }]);
    const badDigest = Buffer.from(good);
    badDigest[badDigest.length - 1] = (badDigest[badDigest.length - 1] ?? 0) ^ 1;
    expect(deaggregate(badDigest)).toBeNull();
    const garbage = Buffer.from([0xff, 0xff, 0xff]);
    expect(deaggregate(Buffer.concat([KPL_MAGIC, garbage, createHash('md5').update(garbage).digest()]))).toBeNull();
    expect(deaggregate(KPL_MAGIC)).toBeNull();
  });

  it('delivers an aggregate whose record points outside its key table as the raw record, never drops it', () => {
    // AggregatedRecord { partition_key_table: ["a"], records: [{ partition_key_index: 5, data: "x" }] } by hand.
    const message = Buffer.from([0x0a, 0x01, 0x61, 0x1a, 0x05, 0x08, 0x05, 0x1a, 0x01, 0x78]);
    const data = Buffer.concat([KPL_MAGIC, message, createHash('md5').update(message).digest()]);
    expect(deaggregate(data)).toBeNull();
    expect(userRecordsOf({ sequenceNumber: SEQ, partitionKey: 'outer', data, approximateArrivalTimestampMs: 1 })).toHaveLength(1);
  });

  it('gives each user record its own event record in AWS Labs\' de-aggregated form, with ordered positions', () => {
    const data = aggregateWithKpl([
      { partitionKey: 'a', data: Buffer.from('first') },
      { partitionKey: 'b', explicitHashKey: '42', data: Buffer.from('second') },
    ]);
    const records = toSourceRecords({ sequenceNumber: SEQ, partitionKey: 'a', data, approximateArrivalTimestampMs: 1545084650987 }, context, () => 0);
    expect(records.map((r) => [r.id, r.partitionKey, Buffer.from(r.filterPayload as Uint8Array).toString()])).toEqual([
      [SEQ, 'a', 'first'],
      [SEQ, 'b', 'second'],
    ]);
    expect(records[1]?.eventRecord).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'b',
        sequenceNumber: SEQ,
        subSequenceNumber: 1,
        explicitHashKey: '42',
        aggregated: true,
        data: Buffer.from('second').toString('base64'),
        approximateArrivalTimestamp: 1545084650.987,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000003:${SEQ}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/r',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
    });
    expect(records.map((r) => resumePointOf(r.position))).toEqual([
      { kind: 'inside-record', sequenceNumber: SEQ, subSequenceNumber: 0 },
      { kind: 'after-record', sequenceNumber: SEQ },
    ]);
  });

  it('keeps a handler that de-aggregates with aws-kinesis-agg working: a user record passes through it unchanged', () => {
    const data = aggregateWithKpl([{ partitionKey: 'a', data: Buffer.from('only') }]);
    const [record] = toSourceRecords({ sequenceNumber: SEQ, partitionKey: 'a', data, approximateArrivalTimestampMs: 1 }, context, () => 0);
    const kinesis = record?.eventRecord['kinesis'] as { data: string; partitionKey: string; sequenceNumber: string };
    const out = deaggregateWithKpl(kinesis);
    expect(out.map((u) => [u.partitionKey, Buffer.from(u.data, 'base64').toString()])).toEqual([['a', 'only']]);
  });

  it('leaves a plain record exactly as Lambda sends it', () => {
    const [record] = toSourceRecords({ sequenceNumber: SEQ, partitionKey: 'pk', data: Buffer.from('plain'), approximateArrivalTimestampMs: 1 }, context, () => 0);
    expect(Object.keys(record?.eventRecord['kinesis'] as object)).toEqual(['kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp']);
    expect(resumePointOf(record?.position ?? '')).toEqual({ kind: 'after-record', sequenceNumber: SEQ });
  });
});
