// The SQS on-failure destination against the real ElasticMQ: every record becomes one message carrying its exact
// JSON, across several SendMessageBatch requests, and a missing queue is a (retryable) DESTINATION_FAILED.

import { afterAll, describe, expect, it } from 'vitest';
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createDestination } from '../../src/destination/create-destination.ts';
import type { OnFailureDestination } from '../../src/destination/types.ts';
import type { KinesisSourceConfig } from '../../src/config/types.ts';
import { TributaryError } from '../../src/errors.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { AWS_REGION, AWS_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const sqs = new SQSClient({ region: AWS_REGION, endpoint: endpoints.sqs, credentials: AWS_TEST_CREDENTIALS });
const source: KinesisSourceConfig = { type: 'kinesis', streamName: 'orders', streamArn: null, region: AWS_REGION, endpoint: null };
const signal = (): AbortSignal => AbortSignal.timeout(30_000);
const queues: string[] = [];
const destinations: OnFailureDestination[] = [];

function sqsDestination(queueUrl: string): OnFailureDestination {
  const destination = createDestination({ type: 'sqs', queueUrl, queueArn: null, region: AWS_REGION }, { source, logger: silentLogger() });
  destinations.push(destination);
  return destination;
}

async function createQueue(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  queues.push(QueueUrl);
  return QueueUrl;
}

async function drain(queueUrl: string, expected: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let attempt = 0; attempt < 20 && bodies.length < expected; attempt++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
    bodies.push(...Messages.map((m) => m.Body ?? ''));
    if (Messages.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    }
  }
  return bodies;
}

function failureRecord(n: number): object {
  return {
    requestContext: { requestId: `req-${run}-${n}`, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 4 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2024-05-01T12:00:00.000Z',
    KinesisBatchInfo: {
      shardId: 'shardId-000000000000',
      startSequenceNumber: `4959${n}`,
      endSequenceNumber: `4959${n}`,
      approximateArrivalOfFirstRecord: '2024-05-01T11:59:59.000Z',
      approximateArrivalOfLastRecord: '2024-05-01T11:59:59.000Z',
      batchSize: 1,
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
    },
  };
}

describe('SQS on-failure destination (ElasticMQ)', () => {
  afterAll(async () => {
    await Promise.all(destinations.map((d) => d.close()));
    for (const url of queues) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    sqs.destroy();
  });

  it('delivers 25 records as 25 messages with the exact JSON', async () => {
    const queueUrl = await createQueue(`destination-${run}`);
    const destination = sqsDestination(queueUrl);
    expect(destination.kind).toBe('sqs');
    const records = Array.from({ length: 25 }, (_, n) => failureRecord(n));
    await destination.deliver(records, signal());

    const bodies = await drain(queueUrl, 25);
    expect(bodies).toHaveLength(25);
    expect([...bodies].sort()).toEqual(records.map((r) => JSON.stringify(r)).sort());
  });

  it('rejects with a retryable DESTINATION_FAILED when the queue does not exist', async () => {
    const destination = sqsDestination(`${endpoints.sqs}/000000000000/missing-${run}`);
    const error: unknown = await destination.deliver([failureRecord(0)], signal()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
    expect((error as Error).message).toContain('does not exist');
  });
});
