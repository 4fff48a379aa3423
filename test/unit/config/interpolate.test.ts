import { describe, expect, it } from 'vitest';
import { finishMessage } from '../../../src/config/echo.js';
import { interpolate, interpolateString } from '../../../src/config/interpolate.js';
import { expectIssue, issuesOf, KINESIS, onePipeline, parse } from './helpers.js';

describe('interpolateString', () => {
  const env = { HOST: 'db', EMPTY: '', PORT: '5432' };

  it.each([
    ['plain text', 'plain text'],
    ['${HOST}', 'db'],
    ['${HOST}:${PORT}', 'db:5432'],
    ['http://${HOST:-localhost}/x', 'http://db/x'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['${MISSING:-}', ''],
    ['${MISSING:-a b:c}', 'a b:c'],
    ['$${HOST}', '${HOST}'],
    ['cost: $5 and $$', 'cost: $5 and $$'],
    // Left to right: a lone `$`, then the `$${` escape.
    ['$$${HOST}', '$${HOST}'],
  ])('%s → %s', (input, output) => {
    expect(interpolateString(input, env)).toEqual({ ok: true, value: output });
  });

  it('reports every unset variable, not just the first', () => {
    expect(interpolateString('${A}-${B}', {})).toEqual({
      ok: false,
      errors: [
        'environment variable A is not set (use ${A:-default} for a default)',
        'environment variable B is not set (use ${B:-default} for a default)',
      ],
    });
  });

  it('refuses malformed references', () => {
    const malformed = interpolateString('${1X}', {});
    expect(malformed.ok ? [] : malformed.errors.map((message) => finishMessage(message, false))).toEqual([expect.stringContaining('invalid reference "${1X}"')]);
    expect(malformed.ok ? [] : malformed.errors.map((message) => finishMessage(message, true))).toEqual([expect.stringContaining('invalid reference a hidden string')]);
    expect(interpolateString('${HOST-x}', env)).toMatchObject({ ok: false });
    expect(interpolateString('abc ${HOST', env)).toMatchObject({ ok: false, errors: [expect.stringContaining('unterminated')] });
  });
});

describe('interpolate (tree)', () => {
  it('interpolates values, never keys, and reports paths', () => {
    const result = interpolate({ '${K}': '${V}', list: ['${V}', 1, true, null, '${NOPE}'] }, { V: 'v', K: 'k' });
    expect(result.value).toEqual({ '${K}': 'v', list: ['v', 1, true, null, '${NOPE}'] });
    expect(result.issues).toEqual([{ path: ['list', 4], message: expect.stringContaining('NOPE is not set') }]);
  });

  it('leaves functions and class instances alone', () => {
    const handler = (): string => '${X}';
    const date = new Date(0);
    const result = interpolate({ handler, date }, {});
    expect(result.value).toEqual({ handler, date });
  });
});

describe('interpolation in a file', () => {
  it('turns a whole-scalar interpolation into a number for numeric fields', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', 'batchSize: ${BATCH:-100}', 'bisectBatchOnFunctionError: ${BISECT:-false}']);
    expect(parse(text).pipelines[0]).toMatchObject({ batchSize: 100, bisectBatchOnFunctionError: false });
    expect(parse(text, { BATCH: '250', BISECT: 'true' }).pipelines[0]).toMatchObject({ batchSize: 250, bisectBatchOnFunctionError: true });
  });

  it('a number-looking value that is not a number is refused with the value', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', 'batchSize: ${BATCH}']);
    expectIssue(text, issuesOf(text, { BATCH: 'lots' }), 'pipelines[0].batchSize', 'expected an integer (got "lots")', 'batchSize:');
    expectIssue(text, issuesOf(text, { BATCH: '20000' }), 'pipelines[0].batchSize', 'must be between 1 and 10000 (got 20000)', 'batchSize:');
  });

  it('an empty interpolation means the field is absent', () => {
    const text = onePipeline([...KINESIS, 'endpoint: ${KINESIS_ENDPOINT:-}'], ['startingPosition: LATEST', 'batchSize: ${BATCH:-}']);
    expect(parse(text).pipelines[0]).toMatchObject({ batchSize: 100, source: { endpoint: null } });
  });

  it('reports each unset variable at its position, once, with no follow-up schema noise', () => {
    const text = onePipeline([...KINESIS, 'endpoint: ${ENDPOINT}'], ['startingPosition: LATEST', 'batchSize: ${BATCH}']);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(2);
    expectIssue(text, issues, 'pipelines[0].source.endpoint', 'environment variable ENDPOINT is not set', 'endpoint:');
    expectIssue(text, issues, 'pipelines[0].batchSize', 'environment variable BATCH is not set', 'batchSize:');
  });

  it('keeps an escaped ${ literally', () => {
    const text = onePipeline(KINESIS, ['startingPosition: LATEST', 'filterCriteria:', `  filters: [ { pattern: '{"data": {"note": ["$\${x}"]}}' } ]`]);
    expect(parse(text).pipelines[0]?.filterPatterns).toEqual(['{"data": {"note": ["${x}"]}}']);
  });
});
