// createDestination: one implementation per `onFailure.type`, no I/O at creation, and the combinations AWS refuses.

import { describe, expect, it } from 'vitest';
import type { KafkaSourceConfig, KinesisSourceConfig } from '../../../src/config/types.ts';
import { createDestination } from '../../../src/destination/create-destination.ts';
import { RECORD_KEY, recordKeyOf, withRecordKey } from '../../../src/destination/record-key.ts';
import { silentLogger } from '../../../src/observability/logger.ts';

const logger = silentLogger();
const kinesis: KinesisSourceConfig = { type: 'kinesis', streamName: 'orders', streamArn: null, region: 'us-east-1', endpoint: null };
const kafka: KafkaSourceConfig = {
  type: 'kafka',
  bootstrapServers: ['127.0.0.1:9092'],
  topics: ['orders'],
  consumerGroupId: 'g',
  clusterArn: null,
  ssl: false,
  sasl: null,
};

describe('createDestination', () => {
  it('builds each kind with a loggable target', async () => {
    const file = createDestination({ type: 'file', path: '/tmp/never-written/failed.jsonl' }, { source: kinesis, logger });
    const sqs = createDestination(
      { type: 'sqs', queueUrl: 'http://127.0.0.1:1/000000000000/failed', queueArn: null, region: null },
      { source: kinesis, logger },
    );
    const topic = createDestination({ type: 'kafka', topic: 'failed' }, { source: kafka, logger });
    const s3 = createDestination({ type: 's3', bucket: 'failed', bucketArn: 'arn:aws:s3:::failed', mappingUuid: 'u', endpoint: null, region: null }, { source: kinesis, logger });
    const sns = createDestination({ type: 'sns', topicArn: 'arn:aws:sns:us-east-1:123456789012:failed', region: 'us-east-1', endpoint: null }, { source: kafka, logger });
    expect([file.kind, file.target]).toEqual(['file', 'file:///tmp/never-written/failed.jsonl']);
    expect([sqs.kind, sqs.target]).toEqual(['sqs', 'http://127.0.0.1:1/000000000000/failed']);
    expect([topic.kind, topic.target]).toEqual(['kafka', 'kafka://failed']);
    expect([s3.kind, s3.target]).toEqual(['s3', 'arn:aws:s3:::failed']);
    expect([sns.kind, sns.target, typeof sns.deliverAndReport]).toEqual(['sns', 'arn:aws:sns:us-east-1:123456789012:failed', 'function']);
    // Nothing was opened or connected, so closing is immediate.
    await Promise.all([file.close(), sqs.close(), topic.close(), s3.close(), sns.close()]);
  });

  it('refuses a Kafka topic for a source that is not Kafka; accepts SASL aws-iam (MSK IAM)', () => {
    expect(() => createDestination({ type: 'kafka', topic: 'failed' }, { source: kinesis, logger })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    const iam: KafkaSourceConfig = { ...kafka, sasl: { mechanism: 'aws-iam', username: null, password: null } };
    expect(createDestination({ type: 'kafka', topic: 'failed' }, { source: iam, logger }).kind).toBe('kafka');
  });
});

describe('record keys', () => {
  it('travel under a symbol that JSON ignores', () => {
    const record = { version: '1.0' };
    const keyed = withRecordKey(record, 'k1');
    expect(JSON.stringify(keyed)).toBe(JSON.stringify(record));
    expect(keyed[RECORD_KEY]).toBe('k1');
    expect(recordKeyOf(keyed)).toBe('k1');
    expect(recordKeyOf(withRecordKey(record, Buffer.from([1, 2])))).toEqual(Buffer.from([1, 2]));
    expect(recordKeyOf(record)).toBeNull();
    expect(recordKeyOf(withRecordKey(record, null))).toBeNull();
  });
});
