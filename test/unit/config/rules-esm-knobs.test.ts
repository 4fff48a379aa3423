import { describe, expect, it } from 'vitest';
import { DYNAMODB, expectIssue, issuesOf, KAFKA, KINESIS, onePipeline, parse, SQS, SQS_FIFO } from './helpers.js';

const KAFKA_PIPELINE = ['startingPosition: TRIM_HORIZON'];

describe('metricsConfig (EventSourceMappingMetricsConfig)', () => {
  it('absent: null (every series exported); given: the list as written and the groups it leaves out', () => {
    expect(parse(onePipeline(SQS)).pipelines[0]?.metricsConfig).toBeNull();
    expect(parse(onePipeline(SQS, ['metricsConfig: { metrics: [EventCount] }'])).pipelines[0]?.metricsConfig).toEqual({ metrics: ['EventCount'], hiddenGroups: [] });
    expect(parse(onePipeline(KINESIS, ['startingPosition: LATEST', 'metricsConfig: { metrics: [] }'])).pipelines[0]?.metricsConfig).toEqual({
      metrics: [],
      hiddenGroups: ['EventCount'],
    });
    // An empty mapping selects nothing, as AWS's MetricsConfig without Metrics.
    expect(parse(onePipeline(DYNAMODB, ['startingPosition: LATEST', 'metricsConfig: {}'])).pipelines[0]?.metricsConfig).toEqual({ metrics: [], hiddenGroups: ['EventCount'] });
    expect(parse(onePipeline(KAFKA, [...KAFKA_PIPELINE, 'metricsConfig: { metrics: [KafkaMetrics, EventCount] }'])).pipelines[0]?.metricsConfig).toEqual({
      metrics: ['KafkaMetrics', 'EventCount'],
      hiddenGroups: ['ErrorCount'],
    });
    expect(parse(onePipeline(KAFKA, [...KAFKA_PIPELINE, 'metricsConfig: { metrics: [EventCount, ErrorCount, KafkaMetrics] }'])).pipelines[0]?.metricsConfig?.hiddenGroups).toEqual([]);
  });

  it.each([
    [SQS, [], 'ErrorCount', 'SQS pipelines have EventCount'],
    [KINESIS, ['startingPosition: LATEST'], 'KafkaMetrics', 'Kinesis pipelines have EventCount'],
    [DYNAMODB, ['startingPosition: LATEST'], 'ErrorCount', 'DynamoDB Streams pipelines have EventCount'],
  ])('ErrorCount and KafkaMetrics are Kafka only (%#)', (source, extra, group, tail) => {
    const text = onePipeline(source, [...extra, 'metricsConfig:', `  metrics: [EventCount, ${group}]`]);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, 'pipelines[0].metricsConfig.metrics[1]', `${group} is only for Kafka sources (Amazon MSK and self-managed Apache Kafka), as on AWS; ${tail}`, `${group}]`);
  });

  it('refuses unknown groups, duplicates and anything but a mapping with a list', () => {
    const unknown = onePipeline(SQS, ['metricsConfig:', '  metrics: [EventCounts]']);
    expectIssue(unknown, issuesOf(unknown), 'pipelines[0].metricsConfig.metrics[0]', 'must be one of EventCount, ErrorCount, KafkaMetrics (got "EventCounts")', 'EventCounts');
    const twice = onePipeline(KAFKA, [...KAFKA_PIPELINE, 'metricsConfig:', '  metrics: [ErrorCount, ErrorCount]']);
    expectIssue(twice, issuesOf(twice), 'pipelines[0].metricsConfig.metrics[1]', 'lists ErrorCount twice', 'ErrorCount]');
    const scalar = onePipeline(SQS, ['metricsConfig:', '  metrics: EventCount']);
    expectIssue(scalar, issuesOf(scalar), 'pipelines[0].metricsConfig.metrics', 'expected a list of EventCount, ErrorCount, KafkaMetrics (got "EventCount")', 'metrics:');
    const misspelt = onePipeline(SQS, ['metricsConfig: { metric: [EventCount] }']);
    expect(issuesOf(misspelt).map((issue) => issue.path)).toEqual(['pipelines[0].metricsConfig.metric']);
  });
});

describe('provisionedPollerConfig (Lambda provisioned mode)', () => {
  it('absent: null; given: AWS defaults per source (SQS 2 / 200, Kafka 1 / 200), in the source config', () => {
    expect(parse(onePipeline(SQS)).pipelines[0]?.source).toMatchObject({ provisionedPollerConfig: null });
    expect(parse(onePipeline(SQS, ['provisionedPollerConfig: {}'])).pipelines[0]?.source).toMatchObject({
      provisionedPollerConfig: { minimumPollers: 2, maximumPollers: 200, pollerGroupName: null },
    });
    expect(parse(onePipeline(SQS_FIFO, ['provisionedPollerConfig: { minimumPollers: 5, maximumPollers: "2000" }'])).pipelines[0]?.source).toMatchObject({
      provisionedPollerConfig: { minimumPollers: 5, maximumPollers: 2000 },
    });
    expect(parse(onePipeline(KAFKA, [...KAFKA_PIPELINE, 'provisionedPollerConfig: { maximumPollers: 1 }'])).pipelines[0]?.source).toMatchObject({
      provisionedPollerConfig: { minimumPollers: 1, maximumPollers: 1, pollerGroupName: null },
    });
  });

  it.each([
    ['minimumPollers: 1', 'minimumPollers', 'must be between 2 and 200 for an SQS source (got 1)'],
    ['maximumPollers: 1', 'maximumPollers', 'must be between 2 and 2000 for an SQS source (got 1)'],
    ['minimumPollers: 201', 'minimumPollers', 'must be between 1 and 200 (got 201)'],
    ['maximumPollers: 2001', 'maximumPollers', 'must be between 1 and 2000 (got 2001)'],
    ['minimumPollers: 0', 'minimumPollers', 'must be between 1 and 200 (got 0)'],
    ['maximumPollers: 2.5', 'maximumPollers', 'expected an integer (got 2.5)'],
  ])('SQS ranges: %s', (line, field, message) => {
    const text = onePipeline(SQS, ['provisionedPollerConfig:', `  ${line}`]);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, `pipelines[0].provisionedPollerConfig.${field}`, message, `${field}:`);
  });

  it('Kafka allows 1 poller; minimumPollers may not exceed maximumPollers', () => {
    expect(parse(onePipeline(KAFKA, [...KAFKA_PIPELINE, 'provisionedPollerConfig: { minimumPollers: 1, maximumPollers: 1 }'])).pipelines).toHaveLength(1);
    const text = onePipeline(KAFKA, [...KAFKA_PIPELINE, 'provisionedPollerConfig:', '  minimumPollers: 10', '  maximumPollers: 3']);
    expectIssue(text, issuesOf(text), 'pipelines[0].provisionedPollerConfig.minimumPollers', 'minimumPollers (10) must not be more than maximumPollers (3)', 'minimumPollers:');
  });

  it('is refused with scalingConfig.maximumConcurrency (mutually exclusive on AWS)', () => {
    const text = onePipeline([...SQS, 'scalingConfig: { maximumConcurrency: 5 }'], ['provisionedPollerConfig: { minimumPollers: 2 }']);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expectIssue(text, issues, 'pipelines[0].provisionedPollerConfig', 'cannot be combined with source.scalingConfig.maximumConcurrency', 'provisionedPollerConfig:');
  });

  it.each([
    [KINESIS, 'Kinesis'],
    [DYNAMODB, 'DynamoDB Streams'],
  ])('is refused for streams (%#)', (source, name) => {
    const text = onePipeline(source, ['startingPosition: LATEST', 'provisionedPollerConfig: { minimumPollers: 2 }']);
    expectIssue(text, issuesOf(text), 'pipelines[0].provisionedPollerConfig', `is not supported for ${name} sources (SQS and Kafka only), as on AWS`, 'provisionedPollerConfig:');
  });

  it('pollerGroupName: Kafka only, accepted with a warning (no effect)', () => {
    const sqs = onePipeline(SQS, ['provisionedPollerConfig: { pollerGroupName: shared }']);
    expectIssue(sqs, issuesOf(sqs), 'pipelines[0].provisionedPollerConfig.pollerGroupName', 'is only for Kafka sources', 'pollerGroupName');
    const kafka = parse(onePipeline(KAFKA, [...KAFKA_PIPELINE, 'provisionedPollerConfig:', '  pollerGroupName: shared']));
    expect(kafka.pipelines[0]?.source).toMatchObject({ provisionedPollerConfig: { pollerGroupName: 'shared' } });
    expect(kafka.warnings.map((warning) => [warning.path, warning.message])).toEqual([
      [
        'pipelines[0].provisionedPollerConfig.pollerGroupName',
        "accepted and ignored: AWS shares provisioned pollers' capacity between the mappings of a poller group; Tributary's pollers are this process's own (AWS ProvisionedPollerConfig.PollerGroupName)",
      ],
    ]);
  });
});
