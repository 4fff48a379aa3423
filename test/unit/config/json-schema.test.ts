import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../src/config/index.js';

type Json = Record<string, unknown>;

function pipelineProperties(): Json {
  const pipelines = (configJsonSchema()['properties'] as Json)['pipelines'] as Json;
  return (pipelines['items'] as Json)['properties'] as Json;
}

describe('configJsonSchema', () => {
  it('returns a fresh copy each call', () => {
    const a = configJsonSchema();
    a['type'] = 'changed';
    expect(configJsonSchema()['type']).toBe('object');
  });

  it('numeric fields allow ${VAR} strings, keep AWS ranges and defaults', () => {
    const props = pipelineProperties();
    expect(props['batchSize']).toMatchObject({
      anyOf: [{ type: 'integer', minimum: 1, maximum: 10_000 }, { type: 'string', pattern: expect.any(String) }],
    });
    expect(props['maximumRetryAttempts']).toMatchObject({
      default: -1,
      anyOf: [{ type: 'integer', anyOf: [{ const: -1 }, { minimum: 0, maximum: 10_000 }] }, { type: 'string' }],
    });
    const pattern = new RegExp(((props['batchSize'] as Json)['anyOf'] as Json[])[1]?.['pattern'] as string);
    expect(pattern.test('${BATCH:-100}')).toBe(true);
    expect(pattern.test('100')).toBe(false);
  });

  it('lists the pipeline fields with AWS names and the source types', () => {
    const props = pipelineProperties();
    expect(Object.keys(props)).toEqual(expect.arrayContaining([
      'name', 'enabled', 'source', 'function', 'batchSize', 'maximumBatchingWindowInSeconds', 'startingPosition',
      'startingPositionTimestamp', 'parallelizationFactor', 'bisectBatchOnFunctionError', 'maximumRetryAttempts',
      'maximumRecordAgeInSeconds', 'functionResponseTypes', 'filterCriteria', 'destinationConfig', 'tumblingWindowInSeconds',
    ]));
    const types = ((props['source'] as Json)['oneOf'] as Json[]).map((variant) => ((variant['properties'] as Json)['type'] as Json)['const']);
    expect(types).toEqual(['sqs', 'kinesis', 'dynamodb-streams', 'kafka']);
  });
});
