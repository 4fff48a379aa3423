import { describe, expect, it } from 'vitest';
import {
  isoTimestamp,
  isoTimestampSeconds,
  kafkaFailureRecord,
  kafkaTopicFailureRecord,
  streamBatchRange,
  streamFailureRecord,
  type KafkaFailureCommon,
  type StreamFailureInput,
} from '../../../src/policy/on-failure-record.js';

/** AWS's DynamoDB Streams example (reference §3.6), verbatim, in AWS's key order. */
const AWS_DDB_EXAMPLE = `{
  "requestContext": {
    "requestId": "316aa6d0-8154-xmpl-9af7-85d5f4a6bc81",
    "functionArn": "arn:aws:lambda:us-east-2:123456789012:function:myfunction",
    "condition": "RetryAttemptsExhausted",
    "approximateInvokeCount": 1
  },
  "responseContext": { "statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled" },
  "version": "1.0",
  "timestamp": "2019-11-14T00:13:49.717Z",
  "DDBStreamBatchInfo": {
    "shardId": "shardId-00000001573689847184-864758bb",
    "startSequenceNumber": "800000000003126276362",
    "endSequenceNumber": "800000000003126276362",
    "approximateArrivalOfFirstRecord": "2019-11-14T00:13:19Z",
    "approximateArrivalOfLastRecord": "2019-11-14T00:13:19Z",
    "batchSize": 1,
    "streamArn": "arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388"
  }
}`;

const ddbInput: StreamFailureInput = {
  source: 'dynamodb-streams',
  requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
  functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 1,
  response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  timestamp: '2019-11-14T00:13:49.717Z',
  shardId: 'shardId-00000001573689847184-864758bb',
  ...streamBatchRange('dynamodb-streams', [{ sequenceNumber: '800000000003126276362', arrivedAtMs: Date.parse('2019-11-14T00:13:19Z') }]),
  streamArn: 'arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388',
};

describe('streamFailureRecord', () => {
  it('reproduces AWS’s DynamoDB Streams example byte for byte (keys and order)', () => {
    expect(JSON.stringify(streamFailureRecord(ddbInput))).toBe(JSON.stringify(JSON.parse(AWS_DDB_EXAMPLE)));
  });

  it('uses KinesisBatchInfo for Kinesis, same shape', () => {
    const record = streamFailureRecord({ ...ddbInput, source: 'kinesis' });
    expect(Object.keys(record)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    expect(record).toMatchObject({ KinesisBatchInfo: { shardId: ddbInput.shardId, batchSize: 1 } });
  });

  it.each([
    ['record age, never invoked → responseContext null', { condition: 'RecordAgeExceeded', response: null }, null],
    ['partial batch response (no function error) → functionError omitted', { response: { statusCode: 200, executedVersion: '3', functionError: null } }, { statusCode: 200, executedVersion: '3' }],
  ] as const)('%s', (_name, over, expected) => {
    const record = streamFailureRecord({ ...ddbInput, ...over });
    expect(record.responseContext).toEqual(expected);
    expect(JSON.stringify(record.responseContext)).toBe(JSON.stringify(expected));
  });

  it('adds the invocation event as a JSON string last, for destinations that carry it', () => {
    const record = streamFailureRecord({ ...ddbInput, payload: '{"Records":[]}' });
    expect(Object.keys(record).at(-1)).toBe('payload');
    expect(record.payload).toBe('{"Records":[]}');
  });
});

describe('streamBatchRange', () => {
  const records = [
    { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', arrivedAtMs: 1545084650987 },
    { sequenceNumber: '49590338271490256608559692538361571095921575989136588899', arrivedAtMs: 1545084651500 },
    { sequenceNumber: '49590338271490256608559692538361571095921575989136588900', arrivedAtMs: 1545084652001 },
  ];
  it('Kinesis keeps milliseconds', () => {
    expect(streamBatchRange('kinesis', records)).toEqual({
      startSequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      endSequenceNumber: '49590338271490256608559692538361571095921575989136588900',
      approximateArrivalOfFirstRecord: '2018-12-17T22:10:50.987Z',
      approximateArrivalOfLastRecord: '2018-12-17T22:10:52.001Z',
      batchSize: 3,
    });
  });
  it('DynamoDB prints seconds, like AWS’s example', () => {
    expect(streamBatchRange('dynamodb-streams', records)).toMatchObject({ approximateArrivalOfFirstRecord: '2018-12-17T22:10:50Z', approximateArrivalOfLastRecord: '2018-12-17T22:10:52Z' });
  });
  it('refuses an empty batch', () => {
    expect(() => streamBatchRange('kinesis', [])).toThrow(RangeError);
  });
});

const kafkaCommon: KafkaFailureCommon = {
  requestId: 'req-1',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 3,
  response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  timestamp: '2019-11-14T00:38:06.021Z',
  eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/abc',
  bootstrapServers: 'b-1:9092,b-2:9092',
  payloadSize: 2039086,
};

const t0 = Date.parse('2019-11-14T00:38:04.835Z');
const kafkaRecords = [
  { topic: 'Topic', partition: 0, offset: '10', timestampMs: t0 },
  { topic: 'Topic', partition: 1, offset: '7', timestampMs: t0 + 100 },
  { topic: 'Topic', partition: 0, offset: '11', timestampMs: t0 + 200 },
  { topic: 'Topic', partition: 0, offset: '12', timestampMs: t0 + 745 },
];

describe('kafkaFailureRecord (SQS / SNS / file)', () => {
  it('has AWS’s keys in AWS’s order, recordsInfo keyed topic-partition', () => {
    const record = kafkaFailureRecord({ ...kafkaCommon, records: kafkaRecords });
    expect(JSON.stringify(record)).toBe(
      JSON.stringify({
        requestContext: { requestId: 'req-1', functionArn: kafkaCommon.functionArn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: '2019-11-14T00:38:06.021Z',
        KafkaBatchInfo: {
          batchSize: 4,
          eventSourceArn: kafkaCommon.eventSourceArn,
          bootstrapServers: 'b-1:9092,b-2:9092',
          payloadSize: 2039086,
          recordsInfo: {
            'Topic-0': { firstRecordOffset: '10', lastRecordOffset: '12', firstRecordTimestamp: '2019-11-14T00:38:04.835Z', lastRecordTimestamp: '2019-11-14T00:38:05.580Z' },
            'Topic-1': { firstRecordOffset: '7', lastRecordOffset: '7', firstRecordTimestamp: '2019-11-14T00:38:04.935Z', lastRecordTimestamp: '2019-11-14T00:38:04.935Z' },
          },
        },
      }),
    );
  });

  it('self-managed Kafka: no eventSourceArn key', () => {
    const record = kafkaFailureRecord({ ...kafkaCommon, eventSourceArn: null, records: kafkaRecords });
    expect(Object.keys(record.KafkaBatchInfo)).toEqual(['batchSize', 'bootstrapServers', 'payloadSize', 'recordsInfo']);
  });

  it('MaximumPayloadSizeExceeded: responseContext is null (the function was never invoked)', () => {
    const record = kafkaFailureRecord({ ...kafkaCommon, condition: 'MaximumPayloadSizeExceeded', records: kafkaRecords.slice(0, 1) });
    expect(record.responseContext).toBeNull();
    expect(record.requestContext.condition).toBe('MaximumPayloadSizeExceeded');
  });

  it('can carry the whole event as a string', () => {
    expect(kafkaFailureRecord({ ...kafkaCommon, records: kafkaRecords, payload: '{}' }).payload).toBe('{}');
  });
});

describe('kafkaTopicFailureRecord (kafka:// destination, one message per record)', () => {
  it('carries the record info and the record’s event object', () => {
    const event = { eventSource: 'aws:kafka', records: { 'Topic-0': [{ offset: 11 }] } };
    const record = kafkaTopicFailureRecord({ ...kafkaCommon, batchSize: 4, record: kafkaRecords[2] as (typeof kafkaRecords)[number], payload: event });
    expect(Object.keys(record)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KafkaBatchInfo', 'payload']);
    expect(record.KafkaBatchInfo).toEqual({
      batchSize: 4,
      eventSourceArn: kafkaCommon.eventSourceArn,
      bootstrapServers: 'b-1:9092,b-2:9092',
      payloadSize: 2039086,
      recordInfo: { offset: '11', timestamp: '2019-11-14T00:38:05.035Z' },
    });
    expect(record.payload).toBe(event);
  });
});

describe('timestamps', () => {
  it.each([
    [0, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z'],
    [1573690429717, '2019-11-14T00:13:49.717Z', '2019-11-14T00:13:49Z'],
    [1573690429999, '2019-11-14T00:13:49.999Z', '2019-11-14T00:13:49Z'],
  ])('%i', (ms, withMs, seconds) => {
    expect(isoTimestamp(ms)).toBe(withMs);
    expect(isoTimestampSeconds(ms)).toBe(seconds);
  });
});
