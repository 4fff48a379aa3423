/** S3 and SNS on-failure destinations in the configuration: parsed, resolved per source, refused where AWS refuses them. */
import { describe, expect, it } from 'vitest';
import { parseDestination } from '../../../src/config/destination-string.js';
import { pipelineUuid } from '../../../src/config/pipeline-uuid.js';
import { DYNAMODB, KAFKA, KINESIS, SQS, expectIssue, issuesOf, onePipeline, parse } from './helpers.ts';

const BUCKET = 'arn:aws:s3:::failed-batches';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:failed-batches';

function withDestination(source: readonly string[], onFailure: string): string {
  const position = source === SQS ? [] : ['startingPosition: LATEST'];
  return onePipeline(source, [...position, `destinationConfig: { onFailure: ${onFailure} }`]);
}

describe('parseDestination: S3 and SNS ARNs', () => {
  it('reads a bucket ARN and a topic ARN', () => {
    expect(parseDestination(BUCKET)).toEqual({ ok: true, ref: { kind: 's3', bucket: 'failed-batches', bucketArn: BUCKET } });
    expect(parseDestination('arn:aws-cn:s3:::a.b-c')).toEqual({ ok: true, ref: { kind: 's3', bucket: 'a.b-c', bucketArn: 'arn:aws-cn:s3:::a.b-c' } });
    expect(parseDestination(TOPIC)).toEqual({ ok: true, ref: { kind: 'sns', topicArn: TOPIC, region: 'eu-west-1', fifo: false } });
    expect(parseDestination(`${TOPIC}.fifo`)).toMatchObject({ ok: true, ref: { kind: 'sns', fifo: true } });
  });

  it('refuses what is no bucket or topic ARN, naming the form', () => {
    for (const value of ['arn:aws:s3:::ab', 'arn:aws:s3:::-bucket', 'arn:aws:s3:::UPPER', 'arn:aws:s3:us-east-1:123456789012:bucket', 'arn:aws:s3:::bucket/prefix']) {
      expect(parseDestination(value), value).toMatchObject({ ok: false, message: expect.stringContaining('must be an S3 bucket ARN arn:aws:s3:::<bucket>') });
    }
    for (const value of ['arn:aws:sns:us-east-1:12345:topic', 'arn:aws:sns:us-east-1:123456789012:', 'arn:aws:sns:us-east-1:123456789012:a b']) {
      expect(parseDestination(value), value).toMatchObject({ ok: false, message: expect.stringContaining('must be an SNS topic ARN') });
    }
  });
});

describe('config: S3 and SNS destinations by source', () => {
  it('streams and Kafka take a bucket: the mapping UUID is the UUIDv5 of the pipeline name, region from the source', () => {
    const kinesis = parse(withDestination([...KINESIS, 'region: eu-west-1'], `{ destination: '${BUCKET}' }`));
    expect(kinesis.pipelines[0]?.onFailure).toEqual({
      type: 's3',
      bucket: 'failed-batches',
      bucketArn: BUCKET,
      mappingUuid: pipelineUuid('orders'),
      endpoint: null,
      region: 'eu-west-1',
    });
    expect(kinesis.pipelines[0]?.onFailureDestination).toBe(BUCKET);
    for (const source of [DYNAMODB, KAFKA]) {
      expect(parse(withDestination(source, `{ destination: '${BUCKET}', endpoint: 'http://127.0.0.1:22300' }`)).pipelines[0]?.onFailure).toMatchObject({
        type: 's3',
        endpoint: 'http://127.0.0.1:22300',
        region: null,
      });
    }
  });

  it('streams and Kafka take a standard topic, region from its ARN', () => {
    for (const source of [KINESIS, DYNAMODB, KAFKA]) {
      expect(parse(withDestination(source, `{ destination: '${TOPIC}' }`)).pipelines[0]?.onFailure).toEqual({
        type: 'sns',
        topicArn: TOPIC,
        region: 'eu-west-1',
        endpoint: null,
      });
    }
  });

  it('the mapping UUID is the UUIDv5 RFC 9562 gives for the name (stable, recomputable)', () => {
    // uuid.uuid5(uuid.UUID('2f0c3c4e-8a47-4a4b-9a39-0b7c1d5e6f10'), 'orders'), computed by Python's uuid module.
    expect(pipelineUuid('orders')).toBe('8f9232c0-fd5f-5d0a-8a1a-91483e5f8426');
    expect(pipelineUuid('orders')).not.toBe(pipelineUuid('orders2'));
  });

  it('SQS sources refuse S3 and SNS like every destination: the queue redrive policy is the DLQ', () => {
    for (const destination of [BUCKET, TOPIC]) {
      const text = withDestination(SQS, `{ destination: '${destination}' }`);
      expectIssue(text, issuesOf(text), 'pipelines[0].destinationConfig', "is not supported for SQS sources: retries and the dead-letter queue come from the queue's redrive policy", 'destinationConfig:');
    }
  });

  it('refuses SNS FIFO topics, as AWS does', () => {
    const text = withDestination(KAFKA, `{ destination: '${TOPIC}.fifo' }`);
    expectIssue(text, issuesOf(text), 'pipelines[0].destinationConfig.onFailure.destination', 'SNS FIFO topics are not supported as on-failure destinations', 'destination:');
  });

  it('endpoint: an http(s) URL, for S3 and SNS only', () => {
    const bad = withDestination(KINESIS, `{ destination: '${BUCKET}', endpoint: 'ftp://x' }`);
    expectIssue(bad, issuesOf(bad), 'pipelines[0].destinationConfig.onFailure.endpoint', 'must be an http(s) URL (got "ftp://x")', 'endpoint:');
    const sqs = withDestination(KINESIS, `{ destination: 'https://sqs.us-east-1.amazonaws.com/123456789012/dlq', endpoint: 'http://127.0.0.1:1' }`);
    expectIssue(sqs, issuesOf(sqs), 'pipelines[0].destinationConfig.onFailure.endpoint', 'applies to S3 and SNS destinations only', 'endpoint:');
  });
});
