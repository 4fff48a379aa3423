import { describe, expect, it } from 'vitest';
import { defaultInvokeIdentityArn, kinesisEventRecordBytes, toKinesisEventRecord } from '../../../connectors/kinesis/event.js';

/**
 * AWS's sample Kinesis event, verbatim (reference aws-esm-semantics.md §4.1,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html).
 */
const AWS_SAMPLE = `{
  "Records": [
    {
      "kinesis": {
        "kinesisSchemaVersion": "1.0",
        "partitionKey": "1",
        "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
        "data": "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==",
        "approximateArrivalTimestamp": 1545084650.987
      },
      "eventSource": "aws:kinesis",
      "eventVersion": "1.0",
      "eventID": "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
      "eventName": "aws:kinesis:record",
      "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
      "awsRegion": "us-east-2",
      "eventSourceARN": "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"
    }
  ]
}`;

const SEQUENCE = '49590338271490256608559692538361571095921575989136588898';
const STREAM_ARN = 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream';
const context = {
  shardId: 'shardId-000000000006',
  streamArn: STREAM_ARN,
  region: 'us-east-2',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
};
const sampleRecord = {
  sequenceNumber: SEQUENCE,
  partitionKey: '1',
  data: new TextEncoder().encode('Hello, this is a test.'),
  approximateArrivalTimestampMs: 1545084650987,
  aggregated: null,
};

describe('toKinesisEventRecord', () => {
  it("matches AWS's sample record field for field, in AWS's key order", () => {
    const expected = (JSON.parse(AWS_SAMPLE) as { Records: unknown[] }).Records[0];
    const record = toKinesisEventRecord(sampleRecord, context, 0);
    expect(record).toEqual(expected);
    // Same keys in the same order at every level: the serialised forms are identical.
    expect(JSON.stringify(record)).toBe(JSON.stringify(expected));
    expect(JSON.stringify({ Records: [record] }, null, 2)).toBe(AWS_SAMPLE);
  });

  it('gives approximateArrivalTimestamp in epoch seconds with millisecond precision', () => {
    const at = (ms: number): unknown =>
      (toKinesisEventRecord({ ...sampleRecord, approximateArrivalTimestampMs: ms }, context, 0)['kinesis'] as Record<string, unknown>)['approximateArrivalTimestamp'];
    expect(at(1545084650987)).toBe(1545084650.987);
    expect(at(1545084650000)).toBe(1545084650);
    expect(at(1795526696735)).toBe(1795526696.735);
    expect(JSON.stringify(at(1700000000001))).toBe('1700000000.001');
  });

  it('uses the given arrival time when the service sent none', () => {
    const record = toKinesisEventRecord({ ...sampleRecord, approximateArrivalTimestampMs: null }, context, 1700000000123);
    expect((record['kinesis'] as Record<string, unknown>)['approximateArrivalTimestamp']).toBe(1700000000.123);
  });

  it('base64-encodes data exactly, binary and empty included, honouring a view into a larger buffer', () => {
    const dataOf = (data: Uint8Array): unknown => (toKinesisEventRecord({ ...sampleRecord, data }, context, 0)['kinesis'] as Record<string, unknown>)['data'];
    expect(dataOf(new Uint8Array())).toBe('');
    expect(dataOf(new Uint8Array([0, 255, 128, 10]))).toBe('AP+ACg==');
    const backing = new TextEncoder().encode('xx{"a":1}yy');
    expect(dataOf(backing.subarray(2, 9))).toBe(Buffer.from('{"a":1}').toString('base64'));
  });

  it('builds eventID as <shardId>:<sequenceNumber>', () => {
    const record = toKinesisEventRecord({ ...sampleRecord, sequenceNumber: '42' }, { ...context, shardId: 'shardId-000000000001' }, 0);
    expect(record['eventID']).toBe('shardId-000000000001:42');
  });
});

describe('defaultInvokeIdentityArn', () => {
  it("is a role named tributary in the stream's account and partition", () => {
    expect(defaultInvokeIdentityArn(STREAM_ARN)).toBe('arn:aws:iam::123456789012:role/tributary');
    expect(defaultInvokeIdentityArn('arn:aws-cn:kinesis:cn-north-1:111122223333:stream/s')).toBe('arn:aws-cn:iam::111122223333:role/tributary');
    expect(defaultInvokeIdentityArn('arn:aws:kinesis:us-east-1:000000000000:stream/local')).toBe('arn:aws:iam::000000000000:role/tributary');
  });

  it('falls back to a well-formed ARN for an unexpected stream ARN', () => {
    expect(defaultInvokeIdentityArn('not-an-arn')).toBe('arn:aws:iam::000000000000:role/tributary');
  });
});

describe('kinesisEventRecordBytes', () => {
  it('is the JSON size of the event record, computed from the lengths alone', () => {
    const keys = ['k', 'partition-key-1', 'quote"d', 'ë', '日本語', 'tab\tkey', ''];
    for (let i = 0; i < 200; i += 1) {
      const record = {
        sequenceNumber: String(49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n + BigInt(i * 7919)),
        partitionKey: keys[i % keys.length] ?? 'k',
        data: Buffer.alloc(i % 37, i),
        approximateArrivalTimestampMs: i % 5 === 0 ? null : 1_545_084_650_987 + i * 13,
        // Every 4th a KPL user record (its three extra members).
        aggregated: i % 4 === 3 ? { subSequenceNumber: i % 9, explicitHashKey: i % 8 === 7 ? null : String(BigInt(i) * 1_000_003n) } : null,
      };
      const shard = { ...context, shardId: i % 2 === 0 ? context.shardId : 'shardId-000000000042' };
      const arrivedAtMs = 1_700_000_000_000 + i;
      expect(kinesisEventRecordBytes(record, shard, arrivedAtMs)).toBe(Buffer.byteLength(JSON.stringify(toKinesisEventRecord(record, shard, arrivedAtMs))));
    }
  });
});
