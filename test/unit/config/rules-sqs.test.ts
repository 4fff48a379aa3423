import { describe, expect, it } from 'vitest';
import { expectIssue, issuesOf, onePipeline, parse, SQS, SQS_FIFO } from './helpers.js';

describe('SQS rules (reference §2.3)', () => {
  it.each([
    ['startingPosition: LATEST', 'startingPosition', 'not supported for SQS sources'],
    ['startingPositionTimestamp: 1600000000', 'startingPositionTimestamp', 'not supported for SQS sources'],
    ['parallelizationFactor: 2', 'parallelizationFactor', 'scalingConfig.maximumConcurrency'],
    ['bisectBatchOnFunctionError: true', 'bisectBatchOnFunctionError', "queue's redrive policy"],
    ['maximumRetryAttempts: 3', 'maximumRetryAttempts', "queue's redrive policy"],
    ['maximumRecordAgeInSeconds: 60', 'maximumRecordAgeInSeconds', "queue's redrive policy"],
    ['destinationConfig: { onFailure: { destination: file://./x.jsonl } }', 'destinationConfig', "queue's redrive policy"],
    ['tumblingWindowInSeconds: 30', 'tumblingWindowInSeconds', 'Kinesis and DynamoDB Streams only'],
  ])('refuses %s', (line, field, message) => {
    const text = onePipeline(SQS, [line]);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, `pipelines[0].${field}`, message, `${field}:`);
  });

  it('defaults batchSize to 10 and allows up to 10 without a window', () => {
    expect(parse(onePipeline(SQS)).pipelines[0]?.batchSize).toBe(10);
    expect(parse(onePipeline(SQS, ['batchSize: 10'])).pipelines[0]?.batchSize).toBe(10);
  });

  it('batchSize > 10 requires maximumBatchingWindowInSeconds ≥ 1', () => {
    const text = onePipeline(SQS, ['batchSize: 50']);
    expectIssue(text, issuesOf(text), 'pipelines[0].batchSize', 'must be at most 10 unless maximumBatchingWindowInSeconds is at least 1 (got 50, window 0)', 'batchSize:');
    const zero = onePipeline(SQS, ['batchSize: 50', 'maximumBatchingWindowInSeconds: 0']);
    expectIssue(zero, issuesOf(zero), 'pipelines[0].batchSize', '(got 50, window 0)', 'batchSize:');
    expect(parse(onePipeline(SQS, ['batchSize: 10000', 'maximumBatchingWindowInSeconds: 1'])).pipelines[0]).toMatchObject({
      batchSize: 10_000,
      maximumBatchingWindowMs: 1000,
    });
  });

  it('batchSize above the AWS maximum', () => {
    const text = onePipeline(SQS, ['batchSize: 20000', 'maximumBatchingWindowInSeconds: 5']);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, 'pipelines[0].batchSize', 'must be between 1 and 10000 (got 20000)', 'batchSize:');
  });

  it('FIFO: batchSize at most 10, no batching window', () => {
    const text = onePipeline(SQS_FIFO, ['batchSize: 11', 'maximumBatchingWindowInSeconds: 2']);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(2);
    expectIssue(text, issues, 'pipelines[0].batchSize', 'must be between 1 and 10 for a FIFO queue (got 11)', 'batchSize:');
    expectIssue(text, issues, 'pipelines[0].maximumBatchingWindowInSeconds', 'not supported for FIFO queues (got 2)', 'maximumBatchingWindowInSeconds:');
    expect(parse(onePipeline(SQS_FIFO, ['batchSize: 10'])).pipelines[0]?.source).toMatchObject({ fifo: true });
  });

  it('FIFO detected from a queue ARN too', () => {
    const text = onePipeline(['type: sqs', 'queueArn: arn:aws:sqs:us-east-1:123456789012:jobs.fifo'], ['batchSize: 11']);
    expectIssue(text, issuesOf(text), 'pipelines[0].batchSize', 'for a FIFO queue', 'batchSize:');
  });

  it('needs queueUrl or queueArn, and both must name the same queue', () => {
    const missing = onePipeline(['type: sqs', 'region: us-east-1']);
    expectIssue(missing, issuesOf(missing), 'pipelines[0].source.queueUrl', 'is required (or give queueArn)', 'source:');
    const both = onePipeline([...SQS, 'queueArn: arn:aws:sqs:eu-west-1:123456789012:other']);
    expectIssue(both, issuesOf(both), 'pipelines[0].source.queueArn', 'names queue "other" but queueUrl names "orders"', 'queueArn:');
  });

  it('a queueUrl must end in a queue name (config fuzz seed 1042712230: an internal error before)', () => {
    const text = onePipeline(['type: sqs', 'queueUrl: "https://sqs.eu-west-1.amazonaws.com"']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.queueUrl', 'names no queue: expected <endpoint>/<account id>/<queue name> (got "https://sqs.eu-west-1.amazonaws.com")', 'queueUrl:');
  });

  it('scalingConfig.maximumConcurrency is 2–1000', () => {
    const text = onePipeline([...SQS, 'scalingConfig:', '  maximumConcurrency: 1']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.scalingConfig.maximumConcurrency', 'must be between 2 and 1000 (got 1)', 'maximumConcurrency:');
  });

  it('accepts ReportBatchItemFailures and filters', () => {
    const config = parse(onePipeline(SQS, ['functionResponseTypes: [ReportBatchItemFailures]', 'filterCriteria: { filters: [ { pattern: \'{"body": {"a": [1]}}\' } ] }']));
    expect(config.pipelines[0]).toMatchObject({ reportBatchItemFailures: true, filterPatterns: ['{"body": {"a": [1]}}'] });
  });
});
