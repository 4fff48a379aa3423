import { describe, expect, it } from 'vitest';
import { DYNAMODB, expectIssue, issuesOf, KINESIS, NOW_MS, onePipeline, parse, positionOf } from './helpers.js';

const NOW_S = NOW_MS / 1000;

describe('Kinesis and DynamoDB Streams rules (reference §2.2)', () => {
  it.each([
    ['kinesis', KINESIS],
    ['dynamodb-streams', DYNAMODB],
  ])('%s requires startingPosition', (_type, source) => {
    const text = onePipeline(source);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, 'pipelines[0].startingPosition', 'is required for', 'name: orders');
  });

  it('DynamoDB Streams refuses AT_TIMESTAMP', () => {
    const text = onePipeline(DYNAMODB, ['startingPosition: AT_TIMESTAMP', `startingPositionTimestamp: ${NOW_S - 60}`]);
    expectIssue(text, issuesOf(text), 'pipelines[0].startingPosition', 'AT_TIMESTAMP is not supported for DynamoDB Streams', 'startingPosition:');
  });

  it('AT_TIMESTAMP requires startingPositionTimestamp', () => {
    const text = onePipeline(KINESIS, ['startingPosition: AT_TIMESTAMP']);
    expectIssue(text, issuesOf(text), 'pipelines[0].startingPositionTimestamp', 'is required with startingPosition AT_TIMESTAMP', 'name: orders');
  });

  it('startingPositionTimestamp is refused without AT_TIMESTAMP', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', `startingPositionTimestamp: ${NOW_S - 60}`]);
    expectIssue(text, issuesOf(text), 'pipelines[0].startingPositionTimestamp', 'only allowed with startingPosition AT_TIMESTAMP', 'startingPositionTimestamp:');
  });

  it('startingPositionTimestamp must not be in the future of the injected clock', () => {
    const future = onePipeline(KINESIS, ['startingPosition: AT_TIMESTAMP', `startingPositionTimestamp: ${NOW_S + 1}`]);
    expectIssue(future, issuesOf(future), 'pipelines[0].startingPositionTimestamp', `must not be in the future (got ${NOW_S + 1}, now ${NOW_S})`, 'startingPositionTimestamp:');
    const now = parse(onePipeline(KINESIS, ['startingPosition: AT_TIMESTAMP', `startingPositionTimestamp: ${NOW_S}`]));
    expect(now.pipelines[0]?.startingPositionTimestampMs).toBe(NOW_MS);
  });

  it.each([
    ['parallelizationFactor: 11', 'parallelizationFactor', 'must be between 1 and 10 (got 11)'],
    ['parallelizationFactor: 0', 'parallelizationFactor', 'must be between 1 and 10 (got 0)'],
    ['maximumRetryAttempts: -2', 'maximumRetryAttempts', 'must be -1 or between 0 and 10000 (got -2)'],
    ['maximumRetryAttempts: 10001', 'maximumRetryAttempts', 'must be -1 or between 0 and 10000 (got 10001)'],
    ['maximumRecordAgeInSeconds: 59', 'maximumRecordAgeInSeconds', 'must be -1 or between 60 and 604800 (got 59)'],
    ['maximumRecordAgeInSeconds: 604801', 'maximumRecordAgeInSeconds', 'must be -1 or between 60 and 604800 (got 604801)'],
    ['maximumBatchingWindowInSeconds: 301', 'maximumBatchingWindowInSeconds', 'must be between 0 and 300 (got 301)'],
    ['tumblingWindowInSeconds: 901', 'tumblingWindowInSeconds', 'must be between 0 and 900 (got 901)'],
    ['batchSize: 0', 'batchSize', 'must be between 1 and 10000 (got 0)'],
    ['batchSize: 1.5', 'batchSize', 'expected an integer (got 1.5)'],
    ['functionResponseTypes: [ReportItemFailures]', 'functionResponseTypes[0]', 'must be one of ReportBatchItemFailures (got "ReportItemFailures")'],
    ['bisectBatchOnFunctionError: yes', 'bisectBatchOnFunctionError', 'expected true or false (got "yes")'],
  ])('range: %s', (line, path, message) => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', line]);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, `pipelines[0].${path}`, message, path.startsWith('functionResponseTypes') ? 'ReportItemFailures' : `${path}:`);
  });

  it('accepts -1 and the range ends, and batch 10000 without a window (streams)', () => {
    const config = parse(onePipeline(KINESIS, [
      'startingPosition: LATEST',
      'batchSize: 10000',
      'maximumRetryAttempts: -1',
      'maximumRecordAgeInSeconds: 604800',
      'parallelizationFactor: 10',
      'tumblingWindowInSeconds: 900',
    ]));
    expect(config.pipelines[0]).toMatchObject({
      batchSize: 10_000,
      maximumBatchingWindowMs: 0,
      maximumRetryAttempts: -1,
      maximumRecordAgeMs: 604_800_000,
      parallelizationFactor: 10,
      tumblingWindowMs: 900_000,
    });
  });

  it('needs a stream name or ARN, consistent with each other', () => {
    const missing = onePipeline(['type: kinesis'], ['startingPosition: LATEST']);
    expectIssue(missing, issuesOf(missing), 'pipelines[0].source.streamName', 'is required (or give streamArn)', 'source:');
    const clash = onePipeline([...KINESIS, 'streamArn: arn:aws:kinesis:us-east-1:123456789012:stream/other'], ['startingPosition: LATEST']);
    expectIssue(clash, issuesOf(clash), 'pipelines[0].source.streamArn', 'names "other" but streamName is "orders"', 'streamArn:');
  });

  it('destinations: no FIFO queue or topic, no kafka://, no malformed ARN', () => {
    const cases = [
      ['https://sqs.us-east-1.amazonaws.com/123456789012/dlq.fifo', 'FIFO queues are not supported as on-failure destinations'],
      ['kafka://dlq', 'kafka:// destinations are only for Kafka sources'],
      ['arn:aws:sns:us-east-1:123456789012:topic.fifo', 'SNS FIFO topics are not supported as on-failure destinations'],
      ['arn:aws:sns:us-east-1:topic', 'must be an SNS topic ARN arn:aws:sns:<region>:<account>:<topic>'],
      ['arn:aws:s3:::Bad_Bucket', 'must be an S3 bucket ARN arn:aws:s3:::<bucket>'],
      ['s3://bucket', 'an S3 bucket ARN (arn:aws:s3:::<bucket>), kafka://<topic> or file://<path> (got "s3://bucket")'],
      ['file://', 'file:// needs a path'],
    ] as const;
    for (const [destination, message] of cases) {
      const text = onePipeline(KINESIS, ['startingPosition: LATEST', `destinationConfig: { onFailure: { destination: '${destination}' } }`]);
      expectIssue(text, issuesOf(text), 'pipelines[0].destinationConfig.onFailure.destination', message, 'destination:');
    }
  });

  it('filters: the filter compiler checks the pattern language, even next to a malformed pattern', () => {
    const text = onePipeline(KINESIS, [
      'startingPosition: LATEST',
      'filterCriteria:',
      '  filters:',
      "    - pattern: 'nope'",
      `    - pattern: '{"data": {"price": [{"numeric": [">", "10"]}]}}'`,
      `    - pattern: '{"data": {"type": ["order"]}}'`,
    ]);
    const issues = issuesOf(text);
    expect(issues.map((issue) => issue.path)).toEqual(['pipelines[0].filterCriteria.filters[0].pattern', 'pipelines[0].filterCriteria.filters[1].pattern']);
    expect(issues[1]).toMatchObject({ line: positionOf(text, `pattern: '{"data": {"price"`).line, message: expect.stringContaining('numeric') });
  });

  it('filters: JSON object strings, at most 10', () => {
    const bad = onePipeline(KINESIS, ['startingPosition: LATEST', 'filterCriteria:', '  filters:', "    - pattern: '[1]'", "    - pattern: '{oops'"]);
    const issues = issuesOf(bad);
    expect(issues).toHaveLength(2);
    expectIssue(bad, issues, 'pipelines[0].filterCriteria.filters[0].pattern', 'must be a JSON object string', "pattern: '[1]'");
    expectIssue(bad, issues, 'pipelines[0].filterCriteria.filters[1].pattern', 'must be a JSON object string (', "pattern: '{oops'");
    const pattern = `    - pattern: '{"a": [1]}'`;
    const ten = onePipeline(KINESIS, ['startingPosition: LATEST', 'filterCriteria:', '  filters:', ...Array<string>(10).fill(pattern)]);
    expect(parse(ten).pipelines[0]?.filterPatterns).toHaveLength(10);
    const eleven = onePipeline(KINESIS, ['startingPosition: LATEST', 'filterCriteria:', '  filters:', ...Array<string>(11).fill(pattern)]);
    expectIssue(eleven, issuesOf(eleven), 'pipelines[0].filterCriteria.filters', 'must have at most 10 filters (got 11; AWS allows 5 by default', 'filters:');
  });
});
