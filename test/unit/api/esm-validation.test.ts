import { describe, expect, it } from 'vitest';
import { refusal as refusalOf, type Refusal } from './refusal.js';
import { mappingDocument } from '../../../src/api/esm-document.js';
import { awsParameterName } from '../../../src/api/esm-issue-messages.js';
import { resolveMappingPipeline } from '../../../src/api/esm-validation.js';
import type { MappingRecord, PipelineInput } from '../../../src/api/ports.js';

const context = { baseDir: '/srv/tributary', nowMs: Date.UTC(2026, 0, 1) };
const uuid = '6f1f8a4e-0000-4000-8000-000000000000';
const identity = { region: 'us-east-1', accountId: '123456789012' };
const sqs = (extra: Record<string, unknown> = {}): PipelineInput => ({ name: uuid, source: { type: 'sqs', queueArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, ...extra });
const stream = (extra: Record<string, unknown> = {}): PipelineInput => ({
  name: uuid,
  source: { type: 'kinesis', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' },
  startingPosition: 'LATEST',
  ...extra,
});

const refusal = (pipeline: PipelineInput, timeout = 3): Refusal => refusalOf(() => resolveMappingPipeline(pipeline, timeout, context));

describe('resolveMappingPipeline (the config resolver, with AWS messages)', () => {
  it.each([
    [sqs({ startingPosition: 'LATEST' }), 'StartingPosition is not valid for SQS event sources.'],
    [sqs({ startingPositionTimestamp: 5 }), 'StartingPosition is not valid for SQS event sources.'],
    [stream({ startingPositionTimestamp: 5 }), 'Timestamp only valid with StartingPosition AT_TIMESTAMP'],
    [stream({ startingPosition: undefined }), "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."],
    [
      { name: uuid, source: { type: 'dynamodb-streams', streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026' }, startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1 },
      'Unsupported starting position for arn type: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026',
    ],
    [sqs({ batchSize: 11 }), 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'],
    [sqs({ filterCriteria: { filters: [{ pattern: 'not json' }] } }), 'Invalid filter pattern definition.'],
    [sqs({ batchSize: 0 }), 'BatchSize: must be between 1 and 10000 (got 0)'],
    [stream({ destinationConfig: { onFailure: { destination: 'arn:aws:sns:us-east-1:123456789012:t.fifo' } } }), expect.stringMatching(/^DestinationConfig\.OnFailure\.Destination: SNS FIFO topics are not supported/)],
  ])('%j', (pipeline, message) => {
    expect(refusal(pipeline)).toEqual({ type: 'InvalidParameterValueException', message });
  });

  it('reports every problem at once, and an unknown enum value as a ValidationException', () => {
    const several = refusal(stream({ parallelizationFactor: 0, tumblingWindowInSeconds: 9999 }));
    expect(several.message.split('; ')).toHaveLength(2);
    expect(refusal(stream({ startingPosition: 'NOW' }))).toEqual({
      type: 'ValidationException',
      message: "1 validation error detected: Value 'NOW' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
    });
  });

  it("applies the Kafka 14-minute function timeout rule to the declared function's timeout, and ignores the stand-in otherwise", () => {
    const kafka = { name: uuid, source: { type: 'kafka', bootstrapServers: ['b:9092'], topics: ['t'] }, startingPosition: 'LATEST' };
    expect(refusal(kafka, 900).message).toMatch(/^the function's Timeout: must be at most 840 seconds/);
    expect(() => resolveMappingPipeline(kafka, 840, context)).not.toThrow();
    expect(() => resolveMappingPipeline(stream(), 3600, context)).not.toThrow();
  });

  it('names MSK brokers that are not configured', () => {
    const msk = { name: uuid, source: { type: 'kafka', clusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1', topics: ['t'] }, startingPosition: 'LATEST' };
    expect(refusal(msk).message).toMatch(/^The bootstrap servers of MSK cluster arn:aws:kafka:us-east-1:123456789012:cluster\/c\/1 are not configured/);
  });

  it('maps configuration paths to AWS parameter names', () => {
    expect(awsParameterName('pipelines[0].filterCriteria.filters[1].pattern')).toBe('FilterCriteria.Filters[1].Pattern');
    expect(awsParameterName('pipelines[0].source.streamArn')).toBe('EventSourceArn');
    expect(awsParameterName('pipelines[0].source.scalingConfig.maximumConcurrency')).toBe('ScalingConfig.MaximumConcurrency');
    expect(awsParameterName('pipelines[0].maximumRecordAgeInSeconds')).toBe('MaximumRecordAgeInSeconds');
  });
});

describe('mappingDocument', () => {
  const record = (pipeline: PipelineInput): MappingRecord => ({
    uuid,
    functionName: 'orders',
    qualifier: null,
    pipeline,
    state: 'Enabled',
    stateTransitionReason: 'User action',
    lastModifiedMs: 1_767_225_600_123,
    lastProcessingResult: 'OK',
    writable: true,
    awsOnly: { KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', Tags: { a: 'b' } },
  });

  it("shows an SQS mapping with SQS members only, Lambda's defaults and the AWS-only members but Tags", () => {
    const pipeline = sqs({ source: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/q' } });
    const document = mappingDocument(record(pipeline), resolveMappingPipeline(pipeline, 3, context), identity);
    expect(document).toEqual({
      UUID: uuid,
      EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:123456789012:event-source-mapping:${uuid}`,
      State: 'Enabled',
      StateTransitionReason: 'User action',
      LastModified: 1_767_225_600.123,
      LastProcessingResult: 'OK',
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: [],
      KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
    });
  });

  it('shows MetricsConfig and ProvisionedPollerConfig from the pipeline, never a stale AWS-only copy of them', () => {
    const pipeline = sqs({ source: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/q' }, provisionedPollerConfig: { maximumPollers: 7 } });
    // A mapping stored while MetricsConfig was still AWS-only: its pipeline has none, so the document shows none.
    const stored = { ...record(pipeline), awsOnly: { ...record(pipeline).awsOnly, MetricsConfig: { Metrics: ['EventCount'] } } };
    const document = mappingDocument(stored, resolveMappingPipeline(pipeline, 3, context), identity);
    expect(document['ProvisionedPollerConfig']).toEqual({ MinimumPollers: 2, MaximumPollers: 7 });
    expect(document).not.toHaveProperty('MetricsConfig');
    const withMetrics = { ...pipeline, metricsConfig: { metrics: ['EventCount'] } };
    expect(mappingDocument(record(withMetrics), resolveMappingPipeline(withMetrics, 3, context), identity)['MetricsConfig']).toEqual({ Metrics: ['EventCount'] });
  });

  it('shows a stream mapping with its error handling, the destination as written and the timestamp in seconds', () => {
    const pipeline = stream({
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 1_700_000_000.5,
      maximumRecordAgeInSeconds: 120,
      destinationConfig: { onFailure: { destination: 'file://./failed.jsonl' } },
      filterCriteria: { filters: [{ pattern: '{"data": {"a": [1]}}' }] },
    });
    const document = mappingDocument(record(pipeline), resolveMappingPipeline(pipeline, 3, context), identity);
    expect(document).toMatchObject({
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1_700_000_000.5,
      ParallelizationFactor: 1,
      MaximumRecordAgeInSeconds: 120,
      MaximumRetryAttempts: -1,
      DestinationConfig: { OnFailure: { Destination: 'file://./failed.jsonl' } },
      FilterCriteria: { Filters: [{ Pattern: '{"data": {"a": [1]}}' }] },
    });
    expect(document).not.toHaveProperty('ScalingConfig');
  });

  it('never shows Kafka SASL credentials', () => {
    const pipeline = {
      name: uuid,
      source: { type: 'kafka', bootstrapServers: ['b:9092'], topics: ['t'], sasl: { mechanism: 'plain', username: 'u', password: 'hunter2' } },
      startingPosition: 'LATEST',
    };
    expect(JSON.stringify(mappingDocument(record(pipeline), resolveMappingPipeline(pipeline, 3, context), identity))).not.toContain('hunter2');
  });
});
