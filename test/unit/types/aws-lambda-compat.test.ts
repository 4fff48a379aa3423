/**
 * The library's event types (src/types/events/) against `@types/aws-lambda`, the types most Lambda handlers are
 * written with: a handler typed with either package is accepted by `createPipeline` for its own source and refused
 * for another, and the events agree field by field (one way where Tributary is deliberately wider: Kafka's `key` and
 * `value` are optional because Lambda leaves them out for a null key and a tombstone). Type-level: a mismatch fails
 * `npm run typecheck`; the runtime part checks that what compiles is also what the validator accepts.
 */
import type * as AwsLambda from 'aws-lambda';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createPipeline, type DynamoDBStreamEvent, type KinesisStreamEvent, type MSKEvent, type SelfManagedKafkaEvent, type SQSEvent } from '../../../src/index.js';
import type { Mutual } from '../../support/type-diff.ts';

describe('events', () => {
  it('Kinesis events are the same type both ways', () => {
    expectTypeOf<Mutual<KinesisStreamEvent, AwsLambda.KinesisStreamEvent>>().toEqualTypeOf<true>();
  });

  it('SQS and DynamoDB Streams events are @types/aws-lambda events, with what Tributary always sends required', () => {
    // There: a message attribute's list values and every field of a DynamoDB record are optional.
    expectTypeOf<SQSEvent>().toExtend<AwsLambda.SQSEvent>();
    expectTypeOf<DynamoDBStreamEvent>().toExtend<AwsLambda.DynamoDBStreamEvent>();
  });

  it('Kafka: an @types/aws-lambda event is one of ours; ours may lack a key or value (null key, tombstone)', () => {
    expectTypeOf<AwsLambda.MSKEvent>().toExtend<MSKEvent>();
    expectTypeOf<AwsLambda.SelfManagedKafkaEvent>().toExtend<SelfManagedKafkaEvent>();
    expectTypeOf<MSKEvent>().not.toExtend<AwsLambda.MSKEvent>();
  });
});

describe('handlers typed with @types/aws-lambda', () => {
  const queueUrl = 'http://127.0.0.1:19324/000000000000/orders';
  const sqs: AwsLambda.SQSHandler = async () => undefined;
  const kinesis: AwsLambda.KinesisStreamHandler = async () => undefined;
  const dynamodb: AwsLambda.DynamoDBStreamHandler = async () => undefined;
  const msk: AwsLambda.MSKHandler = async () => undefined;
  const partial: AwsLambda.Handler<AwsLambda.SQSEvent, AwsLambda.SQSBatchResponse> = async (event) => ({
    batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
  });

  it('are accepted for their own source', () => {
    const pipelines = [
      createPipeline({ name: 'sqs', source: { type: 'sqs', queueUrl }, function: sqs }),
      createPipeline({ name: 'partial', source: { type: 'sqs', queueUrl }, function: partial, functionResponseTypes: ['ReportBatchItemFailures'] }),
      createPipeline({ name: 'kinesis', source: { type: 'kinesis', streamName: 'orders' }, startingPosition: 'LATEST', function: kinesis }),
      createPipeline({ name: 'ddb', source: { type: 'dynamodb-streams', tableName: 'orders' }, startingPosition: 'LATEST', function: dynamodb }),
      createPipeline({ name: 'msk', source: { type: 'kafka', bootstrapServers: '127.0.0.1:19092', topics: ['orders'] }, startingPosition: 'LATEST', function: msk }),
    ];
    expect(pipelines.map((p) => p.state)).toEqual(['Creating', 'Creating', 'Creating', 'Creating', 'Creating']);
  });

  it('are refused for another source', () => {
    // Each line compiles only because of its directive: the handler's event is another source's.
    const wrong = (): void => {
      // @ts-expect-error -- a Kinesis handler on an SQS queue
      createPipeline({ name: 'x', source: { type: 'sqs', queueUrl }, function: kinesis });
      // @ts-expect-error -- an SQS handler on a Kafka topic
      createPipeline({ name: 'x', source: { type: 'kafka', bootstrapServers: '127.0.0.1:19092', topics: ['t'] }, startingPosition: 'LATEST', function: sqs });
      // @ts-expect-error -- a DynamoDB handler on a Kinesis stream
      createPipeline({ name: 'x', source: { type: 'kinesis', streamName: 'orders' }, startingPosition: 'LATEST', function: dynamodb });
    };
    expect(typeof wrong).toBe('function');
  });
});
