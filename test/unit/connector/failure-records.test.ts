/** Stream on-failure records: AWS's metadata-only form, and the kafka:// form with payload and shard key. */
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/connector/types.js';
import { RECORD_KEY, recordKeyOf } from '../../../src/destination/record-key.js';
import { destinationCarriesPayload, streamFailureBuilder, type FailureFacts } from '../../../src/connector/failure-records.js';

const SHARD = 'shardId-000000000000';
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/orders';

function record(sequence: string, data: string, arrivedAtMs: number): SourceRecord {
  const eventRecord = { kinesis: { partitionKey: 'k', sequenceNumber: sequence, data: Buffer.from(data).toString('base64') }, eventID: `${SHARD}:${sequence}` };
  return { id: sequence, shard: SHARD, position: sequence, partitionKey: 'k', arrivedAtMs, receiveCount: 1, sizeBytes: 100, eventRecord, filterPayload: data };
}

const records = [record('101', 'first', 1_700_000_000_123), record('102', 'POISON', 1_700_000_001_456)];

const facts: FailureFacts = {
  shard: SHARD,
  records,
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 2,
  response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  requestId: 'req-1',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orders',
  timestamp: '2023-11-14T22:13:20.000Z',
};

const toEvent = (batch: readonly SourceRecord[]): unknown => ({ Records: batch.map((r) => r.eventRecord) });

describe('streamFailureBuilder', () => {
  it('by default writes AWS metadata only, without payload or key', () => {
    const [built, ...rest] = streamFailureBuilder('kinesis', () => STREAM_ARN)(facts);
    expect(rest).toHaveLength(0);
    expect(JSON.parse(JSON.stringify(built))).toEqual({
      requestContext: { requestId: 'req-1', functionArn: facts.functionArn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2023-11-14T22:13:20.000Z',
      KinesisBatchInfo: {
        shardId: SHARD,
        startSequenceNumber: '101',
        endSequenceNumber: '102',
        approximateArrivalOfFirstRecord: '2023-11-14T22:13:20.123Z',
        approximateArrivalOfLastRecord: '2023-11-14T22:13:21.456Z',
        batchSize: 2,
        streamArn: STREAM_ARN,
      },
    });
    expect(Object.getOwnPropertySymbols(built)).not.toContain(RECORD_KEY);
  });

  it('for a kafka:// topic adds the invocation event as a JSON string and keys the message by shard', () => {
    const [built] = streamFailureBuilder('kinesis', () => STREAM_ARN, { withPayload: true, keyByShard: true, toEvent })(facts);
    if (built === undefined) expect.fail('no record');
    expect(recordKeyOf(built)).toBe(SHARD);
    const json = JSON.parse(JSON.stringify(built)) as { KinesisBatchInfo: { batchSize: number }; payload: string };
    expect(Object.keys(json)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo', 'payload']);
    expect(json.KinesisBatchInfo.batchSize).toBe(2);
    expect(typeof json.payload).toBe('string');
    const event = JSON.parse(json.payload) as { Records: { kinesis: { data: string } }[] };
    expect(event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString('utf8'))).toEqual(['first', 'POISON']);
  });

  it('DynamoDB Streams uses DDBStreamBatchInfo and second-precision arrival times, with the same payload', () => {
    const [built] = streamFailureBuilder('dynamodb-streams', () => 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x', {
      withPayload: true,
      keyByShard: true,
      toEvent,
    })(facts);
    const json = JSON.parse(JSON.stringify(built)) as Record<string, unknown>;
    expect(json['DDBStreamBatchInfo']).toMatchObject({ shardId: SHARD, approximateArrivalOfFirstRecord: '2023-11-14T22:13:20Z', batchSize: 2 });
    expect(JSON.parse(String(json['payload']))).toEqual(toEvent(records));
  });
});

describe('S3 destinations get the payload (AWS: "For Amazon S3 destinations, Lambda also sends the entire invocation record")', () => {
  it('destinationCarriesPayload: S3 and kafka:// yes; SQS, SNS and file no', () => {
    expect(['s3', 'kafka', 'sqs', 'sns', 'file'].map((type) => destinationCarriesPayload({ type: type as 's3' }))).toEqual([true, true, false, false, false]);
  });

  it('the connectors build the S3 record with the payload: Kinesis keyed by nothing, Kafka as KafkaBatchInfo + payload', async () => {
    const s3 = { type: 's3', bucket: 'b', bucketArn: 'arn:aws:s3:::b', mappingUuid: 'u', endpoint: null, region: null } as const;
    const { kinesisConnector } = await import('../../../connectors/kinesis/index.js');
    const kinesisConfig = { type: 'kinesis', streamName: 'orders', streamArn: null, region: null, endpoint: null } as const;
    const [streamRecord] = kinesisConnector.failureRecords({ config: kinesisConfig, destination: s3, sourceArn: () => STREAM_ARN, toEvent })?.(facts) ?? [];
    if (streamRecord === undefined) expect.fail('no record');
    expect(Object.getOwnPropertySymbols(streamRecord)).not.toContain(RECORD_KEY);
    expect(JSON.parse((streamRecord as { payload: string }).payload)).toEqual(toEvent(records));

    const { kafkaConnector } = await import('../../../connectors/kafka/index.js');
    const kafkaConfig = { type: 'kafka', bootstrapServers: ['b:9092'], topics: ['orders'], consumerGroupId: 'g', clusterArn: null, ssl: false, sasl: null } as const;
    const kafkaRecords = records.map((r, i) => ({ ...r, shard: 'orders-3', position: String(40 + i) }));
    const built = kafkaConnector.failureRecords({ config: kafkaConfig, destination: s3, sourceArn: () => 'kafka://b:9092', toEvent })?.({ ...facts, shard: 'orders-3', records: kafkaRecords }) ?? [];
    expect(built).toHaveLength(1);
    const json = JSON.parse(JSON.stringify(built[0])) as { KafkaBatchInfo: { recordsInfo: Record<string, unknown> }; payload: string };
    expect(Object.keys(json)).toEqual(['requestContext', 'responseContext', 'version', 'timestamp', 'KafkaBatchInfo', 'payload']);
    expect(Object.keys(json.KafkaBatchInfo.recordsInfo)).toEqual(['orders-3']);
    expect(JSON.parse(json.payload)).toEqual(toEvent(kafkaRecords));
  });
});
