// The S3 and SNS destinations' own logic: AWS's object key layout, a key kept across retries of one record, the
// 256 KB SNS rule and how dropped records count. The services themselves are exercised against moto in
// test/integration/destination-s3-sns.test.ts; here scripted adapters record what would be sent.

import { describe, expect, it } from 'vitest';
import { deliveryCounts } from '../../../src/destination/delivery-accounting.ts';
import { keyTime, recordLane, s3ObjectKey } from '../../../src/destination/s3-object-key.ts';
import { S3Destination } from '../../../src/destination/s3-destination.ts';
import type { S3PutApi } from '../../../src/destination/s3-destination-client.ts';
import { SNS_MAX_MESSAGE_BYTES, SnsDestination, planSnsMessages } from '../../../src/destination/sns-destination.ts';
import type { SnsPublishApi } from '../../../src/destination/sns-destination-client.ts';
import { TributaryError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/observability/logger.ts';
import { kafkaFailureRecord, streamFailureRecord } from '../../../src/policy/on-failure-record.ts';

const UUID = '8f9232c0-fd5f-5d0a-8a1a-91483e5f8426';
const signal = (): AbortSignal => AbortSignal.timeout(10_000);

const head = {
  requestId: 'r1',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
  condition: 'RetryAttemptsExhausted' as const,
  approximateInvokeCount: 3,
  response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  timestamp: '2026-03-04T05:06:07.089Z',
};
const kinesisRecord = streamFailureRecord({
  ...head,
  source: 'kinesis',
  shardId: 'shardId-000000000002',
  startSequenceNumber: '1',
  endSequenceNumber: '2',
  approximateArrivalOfFirstRecord: '2026-03-04T05:00:00.000Z',
  approximateArrivalOfLastRecord: '2026-03-04T05:00:01.000Z',
  batchSize: 2,
  streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
  payload: '{"Records":[]}',
});
const kafkaRecord = kafkaFailureRecord({
  ...head,
  eventSourceArn: null,
  bootstrapServers: 'b:9092',
  payloadSize: 10,
  records: [{ topic: 'orders', partition: 4, offset: '7', timestampMs: 0 }],
  payload: '{}',
});

describe('S3 object keys (AWS layout aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>)', () => {
  it('stream records: the shard id and the record time, UTC', () => {
    expect(s3ObjectKey('t', kinesisRecord, UUID, 'aaaa', 0)).toBe(`aws/lambda/${UUID}/shardId-000000000002/2026/03/04/2026-03-04T05.06.07-aaaa`);
    const ddb = { ...head, DDBStreamBatchInfo: { shardId: 'shardId-0001-ab' }, timestamp: '1999-12-31T23:59:59.999Z' };
    expect(s3ObjectKey('t', ddb, UUID, 'b', 0)).toBe(`aws/lambda/${UUID}/shardId-0001-ab/1999/12/31/1999-12-31T23.59.59-b`);
  });

  it('Kafka records: <topic>-<partition> in place of the shard', () => {
    expect(recordLane(kafkaRecord)).toBe('orders-4');
    expect(s3ObjectKey('t', kafkaRecord, UUID, 'c', 0)).toBe(`aws/lambda/${UUID}/orders-4/2026/03/04/2026-03-04T05.06.07-c`);
  });

  it('falls back to the clock without a timestamp, and refuses a record without a lane', () => {
    expect(keyTime(Date.UTC(2030, 0, 2, 3, 4, 5))).toBe('2030/01/02/2030-01-02T03.04.05');
    expect(s3ObjectKey('t', { KinesisBatchInfo: { shardId: 's' } }, UUID, 'd', Date.UTC(2030, 0, 2, 3, 4, 5))).toBe(`aws/lambda/${UUID}/s/2030/01/02/2030-01-02T03.04.05-d`);
    expect(() => s3ObjectKey('t', { hello: 1 }, UUID, 'e', 0)).toThrow(TributaryError);
  });
});

function scriptedS3(failFirst: number): S3PutApi & { puts: { bucket: string; key: string; body: string }[] } {
  let failures = failFirst;
  const api = {
    puts: [] as { bucket: string; key: string; body: string }[],
    put(bucket: string, key: string, body: string): Promise<void> {
      api.puts.push({ bucket, key, body });
      if (failures-- > 0) return Promise.reject(new TributaryError('DESTINATION_FAILED', 'PutObject failed: InternalError', { retryable: true }));
      return Promise.resolve();
    },
    close(): void {},
  };
  return api;
}

describe('S3Destination', () => {
  it('writes each record as its JSON under its key, and keeps the key when the same record is retried', async () => {
    const api = scriptedS3(1);
    let n = 0;
    const destination = new S3Destination({
      bucket: 'failed', bucketArn: 'arn:aws:s3:::failed', mappingUuid: UUID, region: 'us-east-1', endpoint: null,
      logger: silentLogger(), api: () => Promise.resolve(api), randomUuid: () => `uuid-${++n}`,
    });
    await expect(destination.deliver([kinesisRecord], signal())).rejects.toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
    await destination.deliver([kinesisRecord, kafkaRecord], signal());
    expect(api.puts.map((p) => p.key)).toEqual([
      `aws/lambda/${UUID}/shardId-000000000002/2026/03/04/2026-03-04T05.06.07-uuid-1`,
      `aws/lambda/${UUID}/shardId-000000000002/2026/03/04/2026-03-04T05.06.07-uuid-1`,
      `aws/lambda/${UUID}/orders-4/2026/03/04/2026-03-04T05.06.07-uuid-2`,
    ]);
    expect(JSON.parse(api.puts[0]?.body ?? '')).toEqual(kinesisRecord);
    expect(new Set(api.puts.map((p) => p.bucket))).toEqual(new Set(['failed']));
    await destination.close();
    await expect(destination.deliver([kinesisRecord], signal())).rejects.toMatchObject({ retryable: false });
  });
});

describe('SNS: the 256 KB rule', () => {
  it('drops a record over 262,144 bytes, keeps one of exactly that size', () => {
    const exactly = 'x'.repeat(SNS_MAX_MESSAGE_BYTES);
    const over = 'é'.repeat(SNS_MAX_MESSAGE_BYTES / 2 + 1);
    const plan = planSnsMessages(['{}', exactly, over]);
    expect(plan.messages).toEqual(['{}', exactly]);
    expect(plan.dropped).toEqual([{ index: 2, reason: `the record is ${SNS_MAX_MESSAGE_BYTES + 2} bytes as JSON; an SNS message holds at most 262144 bytes (256 KB)` }]);
  });

  it('publishes the others and reports the dropped one; deliver resolves so the lane moves on', async () => {
    const published: string[] = [];
    const api: SnsPublishApi = { publish: (_t, m) => Promise.resolve(void published.push(m)), close: () => undefined };
    const destination = new SnsDestination({ topicArn: 'arn:aws:sns:us-east-1:123456789012:t', region: 'us-east-1', endpoint: null, logger: silentLogger(), api: () => Promise.resolve(api) });
    const big = { ...kinesisRecord, padding: 'p'.repeat(SNS_MAX_MESSAGE_BYTES) };
    const report = await destination.deliverAndReport([kinesisRecord, big], signal());
    expect(report.dropped.map((d) => d.index)).toEqual([1]);
    expect(published).toEqual([JSON.stringify(kinesisRecord)]);
    await expect(destination.deliver([big], signal())).resolves.toBeUndefined();
    expect(published).toHaveLength(1);
  });
});

describe('deliveryCounts: DestinationDeliveryFailures and DroppedEventCount of a dropping delivery', () => {
  it('nothing dropped: every event delivered', () => {
    expect(deliveryCounts({ dropped: [] }, 1, 25)).toEqual({ deliveredEvents: 25, droppedEvents: 0, deliveryFailures: 0 });
  });
  it('the one record of a batch dropped: all its events dropped, one failure', () => {
    expect(deliveryCounts({ dropped: [{ index: 0, reason: 'big' }] }, 1, 25)).toEqual({ deliveredEvents: 0, droppedEvents: 25, deliveryFailures: 1 });
  });
  it('one record per event: each dropped record is one event', () => {
    expect(deliveryCounts({ dropped: [{ index: 1, reason: 'big' }, { index: 3, reason: 'big' }] }, 4, 4)).toEqual({ deliveredEvents: 2, droppedEvents: 2, deliveryFailures: 2 });
  });
});
