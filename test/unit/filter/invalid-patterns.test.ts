import { describe, expect, it } from 'vitest';
import { compileFilters, FILTER_PATTERN_MAX_LENGTH } from '../../../src/filter/index.js';
import { errorsOf } from './support.js';

const P = 'filterCriteria.filters[0].pattern: ';

describe('invalid patterns: structure', () => {
  it.each<[string, string | object, string]>([
    ['not JSON', '{"a": [}', 'is not valid JSON: unexpected character "}" at position 7'],
    ['empty string', '', 'is not valid JSON: unexpected end of input'],
    ['not an object', '["a"]', 'must be a JSON object such as {"dynamodb": {"field": ["value"]}} (got an array)'],
    ['empty object', {}, 'empty objects are not allowed'],
    ['nested empty object', { a: {} }, 'a: empty objects are not allowed'],
    ['scalar string field', { a: 'x' }, 'a: must be an object or an array (got the string "x"); to match this value write ["x"]'],
    ['scalar number field', '{"a": 5.0}', 'a: must be an object or an array (got 5.0); to match this value write [5.0]'],
    ['null field', { a: null }, 'a: must be an object or an array (got null); to match this value write [null]'],
    ['empty array', { a: { b: [] } }, 'a.b: empty arrays are not allowed; to match null write [null], an empty string [""]'],
    ['nested array value', { a: [['x']] }, 'a: values must be strings, numbers, true, false, null or operator objects such as {"prefix": "…"} (got an array)'],
    ['odd key is quoted in the path', { 'a.b': { 'c d': [] } }, '["a.b"]["c d"]: empty arrays are not allowed; to match null write [null], an empty string [""]'],
  ])('%s', (_name, pattern, reason) => {
    expect(errorsOf([pattern])).toEqual([P + reason]);
  });
});

describe('invalid patterns: operators', () => {
  it.each<[string, object, string]>([
    ['two keys in one operator', { a: [{ prefix: 'x', suffix: 'y' }] }, 'a: an operator object has exactly one key (got "prefix", "suffix")'],
    ['empty operator', { a: [{}] }, 'a: empty objects are not allowed in a value list'],
    ['unknown operator', { a: [{ contains: 'x' }] }, 'a: unknown operator "contains"; expected "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric" or "exists"'],
    ['wildcard is not a Lambda operator', { a: [{ wildcard: '*.png' }] }, 'a: "wildcard" is an EventBridge operator that Lambda event filtering does not support; use "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric" or "exists"'],
    ['cidr is not a Lambda operator', { ip: [{ cidr: '10.0.0.0/24' }] }, 'ip: "cidr" is an EventBridge operator that Lambda event filtering does not support; use "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric" or "exists"'],
    ['prefix needs a string', { a: [{ prefix: 1 }] }, 'a: "prefix" expects a string or {"equals-ignore-case": "…"} (got 1)'],
    ['suffix with a bad nested operator', { a: [{ suffix: { prefix: 'x' } }] }, 'a: "suffix" expects a string or {"equals-ignore-case": "…"} (got an object)'],
    ['equals-ignore-case needs a string', { a: [{ 'equals-ignore-case': ['x'] }] }, 'a: "equals-ignore-case" expects a string (got an array)'],
    ['exists needs a boolean', { a: [{ exists: 'yes' }] }, 'a: "exists" expects true or false (got the string "yes")'],
    ['numeric needs an array', { p: [{ numeric: '>5' }] }, 'p: "numeric" expects an array such as [">", 0, "<=", 5] (got the string ">5")'],
    ['numeric operand must be a number', { p: [{ numeric: ['>', '10'] }] }, 'p: "numeric" expects a number after ">" (got the string "10")'],
    ['numeric unknown operator', { p: [{ numeric: ['!=', 5] }] }, 'p: "numeric" expects an operator "=", ">", ">=", "<" or "<=" (got the string "!=")'],
    ['numeric odd length', { p: [{ numeric: ['>', 1, '<'] }] }, 'p: "numeric" expects ["=", n], [">" or ">=", n], ["<" or "<=", n] or [">" or ">=", low, "<" or "<=", high] (got 3 elements)'],
    ['numeric two lower bounds', { p: [{ numeric: ['>', 1, '>', 2] }] }, 'p: "numeric" range must be [">" or ">=", low, "<" or "<=", high] (got ">" then ">")'],
    ['numeric upper bound first', { p: [{ numeric: ['<', 5, '>', 1] }] }, 'p: "numeric" range must be [">" or ">=", low, "<" or "<=", high] (got "<" then ">")'],
    ['numeric = in a range', { p: [{ numeric: ['=', 5, '<', 10] }] }, 'p: "numeric" range must be [">" or ">=", low, "<" or "<=", high] (got "=" then "<")'],
    ['numeric empty range', { p: [{ numeric: ['>', 5, '<', 5] }] }, 'p: "numeric" range lower bound 5 must be less than upper bound 5'],
    ['numeric reversed range', { p: [{ numeric: ['>=', 20, '<=', 10] }] }, 'p: "numeric" range lower bound 20 must be less than upper bound 10'],
    ['numeric out of range', { p: [{ numeric: ['>', 6e9] }] }, 'p: "numeric": 6000000000 is outside the supported range -5000000000 to 5000000000'],
    ['anything-but empty list', { s: [{ 'anything-but': [] }] }, 's: "anything-but" expects a non-empty list'],
    ['anything-but mixed list', { s: [{ 'anything-but': ['a', 1] }] }, 's: "anything-but" lists hold only strings or only numbers, not both'],
    ['anything-but null in list', { s: [{ 'anything-but': [null] }] }, 's: "anything-but" lists hold only strings or only numbers (got null)'],
    ['anything-but boolean', { s: [{ 'anything-but': true }] }, 's: "anything-but" expects a string, a number, a list of only strings or only numbers, or {"prefix" | "suffix" | "equals-ignore-case": …} (got true)'],
    ['anything-but empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, 's: "anything-but": {"prefix": …} expects a non-empty string (got the string "")'],
    ['anything-but wildcard', { s: [{ 'anything-but': { wildcard: '*' } }] }, 's: "anything-but" cannot be combined with "wildcard"; use "prefix", "suffix" or "equals-ignore-case"'],
    ['anything-but ignore-case numbers', { s: [{ 'anything-but': { 'equals-ignore-case': [1] } }] }, 's: "anything-but": {"equals-ignore-case": …} expects a string or a non-empty list of strings (got an array)'],
    ['anything-but number out of range', { s: [{ 'anything-but': [1e10] }] }, 's: "anything-but": 10000000000 is outside the supported range -5000000000 to 5000000000'],
  ])('%s', (_name, pattern, reason) => {
    expect(errorsOf([pattern])).toEqual([P + reason]);
  });
});

describe('invalid patterns: $or', () => {
  it.each<[string, object, string]>([
    ['one branch', { $or: [{ a: ['x'] }] }, '$or: "$or" expects an array of at least 2 objects (got 1 element(s))'],
    ['not an array', { $or: { a: ['x'] } }, '$or: "$or" expects an array of at least 2 objects (got an object)'],
    ['a branch that is not an object', { $or: [{ a: ['x'] }, 'b'] }, '$or[1]: "$or" branches must be objects (got the string "b")'],
    ['operator name as a field inside $or', { $or: [{ prefix: ['x'] }, { a: ['y'] }] }, '$or[0].prefix: "prefix" is an operator name and cannot be a field name inside "$or"'],
    ['error inside a nested branch', { d: { $or: [{ a: [] }, { b: ['y'] }] } }, 'd.$or[0].a: empty arrays are not allowed; to match null write [null], an empty string [""]'],
  ])('%s', (_name, pattern, reason) => {
    expect(errorsOf([pattern])).toEqual([P + reason]);
  });

  it('allows operator names as ordinary field names outside $or', () => {
    expect(compileFilters([JSON.stringify({ prefix: ['x'] })], { source: 'sqs' }).ok).toBe(true);
  });
});

describe('data key must be JSON for stream sources (Lambda rejects it at creation)', () => {
  it.each<[string, 'kinesis' | 'dynamodb-streams', object, string]>([
    ['Kinesis plain data pattern', 'kinesis', { data: ['x'] }, 'data: Kinesis filters on "data" must use a JSON object pattern such as {"data": {"field": ["value"]}}; Lambda rejects a non-JSON pattern for the data properties of stream sources'],
    ['Kinesis data exists', 'kinesis', { data: [{ exists: true }] }, 'data: Kinesis filters on "data" must use a JSON object pattern such as {"data": {"field": ["value"]}}; Lambda rejects a non-JSON pattern for the data properties of stream sources'],
    ['DynamoDB plain dynamodb pattern', 'dynamodb-streams', { dynamodb: [{ prefix: 'x' }] }, 'dynamodb: DynamoDB filters on "dynamodb" must use a JSON object pattern such as {"dynamodb": {"field": ["value"]}}; Lambda rejects a non-JSON pattern for the data properties of stream sources'],
    ['inside a top-level $or', 'kinesis', { $or: [{ data: ['x'] }, { partitionKey: ['1'] }] }, '$or[0].data: Kinesis filters on "data" must use a JSON object pattern such as {"data": {"field": ["value"]}}; Lambda rejects a non-JSON pattern for the data properties of stream sources'],
  ])('%s', (_name, source, pattern, reason) => {
    expect(errorsOf([pattern], source)).toEqual([P + reason]);
  });

  it.each([
    ['sqs', { body: ['plain'] }],
    ['kafka', { value: [{ 'anything-but': ['error'] }] }],
    ['kinesis', { partition: { data: ['nested data key is an ordinary field'] } }],
    ['kinesis', { data: { a: ['x'] } }],
  ] as const)('accepts %s %j', (source, pattern) => {
    expect(compileFilters([JSON.stringify(pattern)], { source }).ok).toBe(true);
  });
});

describe('limits and error reporting', () => {
  it(`accepts a pattern of ${FILTER_PATTERN_MAX_LENGTH} characters and refuses one more`, () => {
    const sized = (length: number) => {
      const head = '{"a": ["';
      const tail = '"]}';
      return head + 'x'.repeat(length - head.length - tail.length) + tail;
    };
    expect(sized(4096)).toHaveLength(4096);
    expect(compileFilters([sized(4096)], { source: 'sqs' }).ok).toBe(true);
    expect(errorsOf([sized(4097)], 'sqs')).toEqual([`${P}is 4097 characters long; Lambda allows at most 4096`]);
  });

  it('allows 5 filters by default and refuses a 6th', () => {
    const five = Array.from({ length: 5 }, (_, i) => JSON.stringify({ a: [String(i)] }));
    expect(compileFilters(five, { source: 'sqs' }).ok).toBe(true);
    const result = compileFilters([...five, '{"b": ["x"]}'], { source: 'sqs' });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          index: 5,
          field: '',
          reason: '6 filters given; Lambda allows 5 per event source mapping (5 by default; set maxFilters for a raised quota, at most 10)',
          message: 'filterCriteria.filters: 6 filters given; Lambda allows 5 per event source mapping (5 by default; set maxFilters for a raised quota, at most 10)',
        },
      ],
    });
  });

  it('allows up to 10 filters with a raised quota', () => {
    const ten = Array.from({ length: 10 }, (_, i) => JSON.stringify({ a: [String(i)] }));
    expect(compileFilters(ten, { source: 'sqs', maxFilters: 10 }).ok).toBe(true);
    const result = compileFilters([...ten, '{"b": ["x"]}'], { source: 'sqs', maxFilters: 10 });
    expect(!result.ok && result.errors.map((e) => e.message)).toEqual(['filterCriteria.filters: 11 filters given; Lambda allows 10 per event source mapping']);
  });

  it('reports every problem of every pattern, with index, field and reason', () => {
    const result = compileFilters(['{"a": ["ok"]}', '{"a": [], "b": "x"}', 'nope'], { source: 'sqs' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        index: 1,
        field: 'a',
        reason: 'empty arrays are not allowed; to match null write [null], an empty string [""]',
        message: 'filterCriteria.filters[1].pattern: a: empty arrays are not allowed; to match null write [null], an empty string [""]',
      },
      {
        index: 1,
        field: 'b',
        reason: 'must be an object or an array (got the string "x"); to match this value write ["x"]',
        message: 'filterCriteria.filters[1].pattern: b: must be an object or an array (got the string "x"); to match this value write ["x"]',
      },
      { index: 2, field: '', reason: 'is not valid JSON: unexpected character "n" at position 0', message: 'filterCriteria.filters[2].pattern: is not valid JSON: unexpected character "n" at position 0' },
    ]);
  });
});
