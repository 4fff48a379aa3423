// The Kafka Lambda event, field for field against AWS's documented samples (reference §4.4):
// https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html and https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html

import { describe, expect, it } from 'vitest';
import {
  eventOverheadBytes,
  eventRecordBytes,
  partitionKey,
  recordId,
  toKafkaEvent,
  toKafkaEventRecord,
  toSourceRecord,
  type KafkaRecordData,
} from '../../../connectors/kafka/event.js';

const MSK_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/vpc-2priv-2pub/751d2973-a626-431c-9d4e-d7975eb44dd7-2';
const BOOTSTRAP =
  'b-2.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092,b-1.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092';

/** AWS's sample MSK event. Its key "abcDEFghiJKLmnoPQRstuVWXyz1234==" is not canonical base64 (the last character
 * carries stray bits): bytes decoded from it encode back as "…123w==", which is what any encoder produces. */
const AWS_MSK_SAMPLE = {
  eventSource: 'aws:kafka',
  eventSourceArn: MSK_ARN,
  bootstrapServers: BOOTSTRAP,
  records: {
    'mytopic-0': [
      {
        topic: 'mytopic',
        partition: 0,
        offset: 15,
        timestamp: 1545084650987,
        timestampType: 'CREATE_TIME',
        key: 'abcDEFghiJKLmnoPQRstuVWXyz123w==',
        value: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==',
        headers: [{ headerKey: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] }],
      },
    ],
  },
};

function sampleRecord(overrides: Partial<KafkaRecordData> = {}): KafkaRecordData {
  return {
    topic: 'mytopic',
    partition: 0,
    offset: '15',
    timestampMs: 1545084650987,
    timestampType: 'CREATE_TIME',
    key: Buffer.from('abcDEFghiJKLmnoPQRstuVWXyz1234==', 'base64'),
    value: Buffer.from('Hello, this is a test.'),
    headers: [['headerKey', Buffer.from('headerValue')]],
    ...overrides,
  };
}

describe('Kafka event', () => {
  it('matches the AWS MSK sample event exactly, including key order', () => {
    const event = toKafkaEvent([toSourceRecord(sampleRecord())], { bootstrapServers: BOOTSTRAP, clusterArn: MSK_ARN });
    expect(event).toStrictEqual(AWS_MSK_SAMPLE);
    expect(JSON.stringify(event)).toBe(JSON.stringify(AWS_MSK_SAMPLE));
  });

  it('is a SelfManagedKafka event without eventSourceArn for self-managed Kafka', () => {
    const event = toKafkaEvent([toSourceRecord(sampleRecord())], { bootstrapServers: BOOTSTRAP, clusterArn: null });
    // Not "aws:SelfManagedKafka" (Powertools had that bug: powertools-lambda-typescript#3324).
    expect(event['eventSource']).toBe('SelfManagedKafka');
    expect(Object.keys(event)).toEqual(['eventSource', 'bootstrapServers', 'records']);
    expect(event['records']).toStrictEqual(AWS_MSK_SAMPLE.records);
  });

  it('keys records by "<topic>-<partition>" in the order given, several partitions in one event', () => {
    const records = [
      sampleRecord({ topic: 'orders', partition: 2, offset: '7' }),
      sampleRecord({ topic: 'orders', partition: 2, offset: '8' }),
      sampleRecord({ topic: 'orders-eu', partition: 0, offset: '1' }),
    ].map(toSourceRecord);
    const event = toKafkaEvent(records, { bootstrapServers: 'localhost:9092', clusterArn: null });
    const grouped = event['records'] as Record<string, { offset: number }[]>;
    expect(Object.keys(grouped)).toEqual(['orders-2', 'orders-eu-0']);
    expect(grouped['orders-2']?.map((r) => r.offset)).toEqual([7, 8]);
    expect(grouped['orders-eu-0']?.map((r) => r.offset)).toEqual([1]);
  });

  it('encodes headers as single-key objects of byte arrays, repeated names and empty values kept', () => {
    const record = toKafkaEventRecord(
      sampleRecord({
        headers: [
          ['trace', Buffer.from('ab')],
          ['trace', Buffer.from([0, 255])],
          ['empty', Buffer.alloc(0)],
          ['none', null],
          ['__proto__', Buffer.from('x')],
        ],
      }),
    );
    expect(record['headers']).toStrictEqual([{ trace: [97, 98] }, { trace: [0, -1] }, { empty: [] }, { none: [] }, JSON.parse('{"__proto__":[120]}')]);
    expect(JSON.stringify(record['headers'])).toBe('[{"trace":[97,98]},{"trace":[0,-1]},{"empty":[]},{"none":[]},{"__proto__":[120]}]');
    expect(toKafkaEventRecord(sampleRecord({ headers: [] }))['headers']).toEqual([]);
  });

  it("header bytes are Java's signed bytes, as AWS sends them ('ë' → [-61,-85]); a view into a larger buffer is read in place", () => {
    const pooled = Buffer.from('--ë--');
    const view = pooled.subarray(2, 4);
    const record = toKafkaEventRecord(sampleRecord({ headers: [['name', Buffer.from('ë')], ['view', view], ['edges', Buffer.from([127, 128, 255, 0])]] }));
    expect(record['headers']).toStrictEqual([{ name: [-61, -85] }, { view: [-61, -85] }, { edges: [127, -128, -1, 0] }]);
  });

  it('omits a null key and a null value (tombstone); keeps empty ones as ""', () => {
    const keyless = toKafkaEventRecord(sampleRecord({ key: null }));
    expect(Object.keys(keyless)).toEqual(['topic', 'partition', 'offset', 'timestamp', 'timestampType', 'value', 'headers']);
    const tombstone = toKafkaEventRecord(sampleRecord({ value: null }));
    expect(Object.keys(tombstone)).toEqual(['topic', 'partition', 'offset', 'timestamp', 'timestampType', 'key', 'headers']);
    const empty = toKafkaEventRecord(sampleRecord({ key: Buffer.alloc(0), value: new Uint8Array(0) }));
    expect([empty['key'], empty['value']]).toEqual(['', '']);
  });

  it('reports LOG_APPEND_TIME and encodes binary data from any Uint8Array view', () => {
    const bytes = new Uint8Array([9, 0xde, 0xad, 0xbe, 0xef, 9]).subarray(1, 5);
    const record = toKafkaEventRecord(sampleRecord({ timestampType: 'LOG_APPEND_TIME', value: bytes, key: null }));
    expect(record['timestampType']).toBe('LOG_APPEND_TIME');
    expect(record['value']).toBe(Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64'));
  });

  it('normalises to a SourceRecord the core can settle, filter and report', () => {
    const data = sampleRecord({ topic: 'orders', partition: 3, offset: '9007199254740993', value: Buffer.from('{"a":1}') });
    const record = toSourceRecord(data);
    expect(record.id).toBe('orders-3:9007199254740993');
    expect(record.id).toBe(recordId('orders', 3, '9007199254740993'));
    expect(record.shard).toBe('orders-3');
    expect(record.shard).toBe(partitionKey('orders', 3));
    // Positions stay exact decimal strings even past 2^53.
    expect(record.position).toBe('9007199254740993');
    expect(record.partitionKey).toBe(record.eventRecord['key']);
    expect(record.arrivedAtMs).toBe(1545084650987);
    expect(record.receiveCount).toBe(1);
    expect(record.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(record.eventRecord)));
    expect(Buffer.from(record.filterPayload as Uint8Array).toString()).toBe('{"a":1}');
    const keyless = toSourceRecord(sampleRecord({ key: null, value: null }));
    expect([keyless.partitionKey, keyless.filterPayload]).toEqual([null, null]);
  });

  it('knows a record\'s JSON size from its lengths alone, byte for byte what JSON.stringify of its event record writes', () => {
    // Deterministic pseudo-random records: every length class of base64 (n mod 3), null and empty keys and values,
    // headers with signed bytes of every width, names that JSON must escape or that are multi-byte in UTF-8.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => next(256)));
    const names = ['h', 'trace-id', 'quote"d', 'back\\slash', 'tab\tnew\nline', 'ë', '日本', '\u0001', 'emoji 🙂', '__proto__'];
    for (let i = 0; i < 300; i += 1) {
      const record = sampleRecord({
        topic: i % 7 === 0 ? 't"opic-ë' : `topic.${i % 5}`,
        partition: next(1_000),
        offset: String(next(2) === 0 ? next(10) : next(2_000_000_000) * 1_000),
        timestampMs: i % 11 === 0 ? Number.NaN : 1_545_084_650_987 + next(1_000_000),
        timestampType: next(2) === 0 ? 'CREATE_TIME' : 'LOG_APPEND_TIME',
        key: next(4) === 0 ? null : bytes(next(40)),
        value: next(6) === 0 ? null : bytes(next(300)),
        headers: Array.from({ length: next(4) }, () => [names[next(names.length)] ?? 'h', next(5) === 0 ? null : bytes(next(12))] as const),
      });
      expect(eventRecordBytes(record)).toBe(Buffer.byteLength(JSON.stringify(toKafkaEventRecord(record))));
      expect(toSourceRecord(record).sizeBytes).toBe(Buffer.byteLength(JSON.stringify(toKafkaEventRecord(record))));
    }
  });

  it('builds the event record once, on first use, and keeps it (a retry reuses it)', () => {
    const record = toSourceRecord(sampleRecord());
    expect(record.eventRecord).toBe(record.eventRecord);
    expect(record.eventRecord).toStrictEqual(toKafkaEventRecord(sampleRecord()));
  });

  it('estimates the envelope size of an event', () => {
    const context = { bootstrapServers: BOOTSTRAP, clusterArn: MSK_ARN };
    const record = toSourceRecord(sampleRecord());
    const full = Buffer.byteLength(JSON.stringify(toKafkaEvent([record], context)));
    expect(eventOverheadBytes(context, 'mytopic-0') + record.sizeBytes).toBeGreaterThanOrEqual(full);
  });
});
