/**
 * The payload-format tables of https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 * ("Properly filtering Amazon SQS messages", "… Kinesis and DynamoDB messages", "… Kafka … messages"),
 * one row per case.
 */
import { describe, expect, it } from 'vitest';
import { filterView, JsonNumber, type FilterSourceType } from '../../../src/filter/index.js';
import { TributaryError } from '../../../src/errors.js';
import { compile } from './support.js';

const PLAIN = 'hello world';
const JSON_BODY = '{"RequestCode": "BBBB", "n": 1}';

function sqs(pattern: object, body: string, metadata: Record<string, unknown> = { messageId: 'm1' }): boolean {
  return compile([pattern], 'sqs').matches(filterView({ ...metadata, body: 'raw, replaced by the view' }, 'body', body));
}

describe('Amazon SQS body', () => {
  it.each<[string, object, string, boolean]>([
    // Plain string | Plain string | Lambda filters based on your filter criteria.
    ['plain body, plain pattern, equal', { body: [PLAIN] }, PLAIN, true],
    ['plain body, plain pattern, different', { body: ['bye'] }, PLAIN, false],
    ['plain body, plain operator', { body: [{ prefix: 'hello' }] }, PLAIN, true],
    // Plain string | No filter pattern for data properties | filters on the other metadata properties only.
    ['plain body, metadata pattern', { messageId: ['m1'] }, PLAIN, true],
    ['plain body, metadata pattern, different', { messageId: ['m2'] }, PLAIN, false],
    // Plain string | Valid JSON | Lambda drops the message.
    ['plain body, JSON pattern', { body: { RequestCode: ['BBBB'] } }, PLAIN, false],
    ['plain body, JSON pattern that would match absence', { body: { RequestCode: [{ exists: false }] } }, PLAIN, false],
    // Valid JSON | Plain string | Lambda drops the message.
    ['JSON body, plain pattern', { body: [{ exists: true }] }, JSON_BODY, false],
    ['JSON body, plain anything-but', { body: [{ 'anything-but': 'x' }] }, JSON_BODY, false],
    // Valid JSON | No filter pattern for data properties | metadata only.
    ['JSON body, metadata pattern', { messageId: ['m1'] }, JSON_BODY, true],
    // Valid JSON | Valid JSON | Lambda filters based on your filter criteria.
    ['JSON body, JSON pattern, equal', { body: { RequestCode: ['BBBB'] } }, JSON_BODY, true],
    ['JSON body, JSON pattern, different', { body: { RequestCode: ['AAAA'] } }, JSON_BODY, false],
    ['JSON body and metadata together', { messageId: ['m1'], body: { n: [1] } }, JSON_BODY, true],
  ])('%s', (_name, pattern, body, expected) => {
    expect(sqs(pattern, body)).toBe(expected);
  });

  it('mixes formats per $or branch: the plain-body record fails the JSON branch but can match the other', () => {
    const pattern = { $or: [{ body: { RequestCode: ['BBBB'] } }, { messageId: ['m1'] }] };
    expect(sqs(pattern, PLAIN)).toBe(true);
    expect(sqs(pattern, PLAIN, { messageId: 'm2' })).toBe(false);
    expect(sqs(pattern, JSON_BODY, { messageId: 'm2' })).toBe(true);
  });
});

describe('which payloads count as JSON (our reading: objects and arrays)', () => {
  it.each<[string, string, 'json' | 'plain-string']>([
    ['object', '{"a": 1}', 'json'],
    ['object with surrounding whitespace', ' \n{"a": 1}\t', 'json'],
    ['array', '[{"a": 1}]', 'json'],
    ['number', '42', 'plain-string'],
    ['quoted string', '"hello"', 'plain-string'],
    ['true', 'true', 'plain-string'],
    ['null', 'null', 'plain-string'],
    ['broken object', '{"a": 1', 'plain-string'],
    ['empty body', '', 'plain-string'],
  ])('%s', (_name, body, format) => {
    expect(filterView({}, 'body', body).payloadFormat).toBe(format);
  });

  it('a JSON scalar body is matched as its text', () => {
    expect(sqs({ body: ['42'] }, '42')).toBe(true);
    expect(sqs({ body: [42] }, '42')).toBe(false);
  });

  it('an array body is matched element by element by a JSON pattern', () => {
    expect(sqs({ body: { a: ['x'] } }, '[{"a": "y"}, {"a": "x"}]')).toBe(true);
    expect(sqs({ body: { a: ['x'] } }, '[{"a": "y"}]')).toBe(false);
  });
});

describe('Kinesis data (and DynamoDB)', () => {
  const kinesis = (pattern: object, data: string, partitionKey = '1') =>
    compile([pattern], 'kinesis').matches(filterView({ partitionKey, sequenceNumber: '4959', data: 'eyJ…' }, 'data', data));

  it.each<[string, object, string, boolean]>([
    // Valid JSON | Valid JSON | Lambda filters based on your filter criteria.
    ['JSON data, JSON pattern, equal', { data: { order: { type: ['buy'] } } }, '{"order": {"type": "buy"}}', true],
    ['JSON data, JSON pattern, different', { data: { order: { type: ['buy'] } } }, '{"order": {"type": "sell"}}', false],
    // Valid JSON | No filter pattern for data properties | metadata only.
    ['JSON data, metadata pattern', { partitionKey: ['1'] }, '{"a": 1}', true],
    // Non-JSON | Valid JSON | Lambda drops the record.
    ['plain data, JSON pattern', { data: { a: [{ exists: false }] } }, 'not json', false],
    // Non-JSON | No filter pattern for data properties | metadata only.
    ['plain data, metadata pattern', { partitionKey: ['1'] }, 'not json', true],
    ['plain data, metadata pattern, different', { partitionKey: ['2'] }, 'not json', false],
  ])('%s', (_name, pattern, data, expected) => {
    expect(kinesis(pattern, data)).toBe(expected);
  });

  it('DynamoDB records carry their data as objects: nothing is decoded', () => {
    const record = { eventName: 'INSERT', dynamodb: { Keys: { Id: { N: '101' } } } };
    const view = filterView(record, null, null);
    expect(view).toEqual({ dataKey: null, payloadFormat: 'native', event: record });
    const filter = compile([{ eventName: ['INSERT'], dynamodb: { Keys: { Id: { N: ['101'] } } } }], 'dynamodb-streams');
    expect(filter.matches(view)).toBe(true);
    expect(filter.matches(filterView({ ...record, eventName: 'REMOVE' }, null, null))).toBe(false);
  });
});

describe('Kafka value', () => {
  const kafka = (pattern: object, value: string | Uint8Array | null, topic = 'orders') =>
    compile([pattern], 'kafka').matches(filterView({ topic, partition: 0, offset: 15 }, 'value', value));
  const JSON_VALUE = '{"device_ID": "AB1234", "session": {"duration": 162}}';

  it.each<[string, object, string | Uint8Array | null, boolean]>([
    // Plain string | Plain string | Lambda filters based on your filter criteria.
    ['plain value, plain pattern, kept', { value: [{ 'anything-but': ['error'] }] }, 'all good', true],
    ['plain value, plain pattern, dropped', { value: [{ 'anything-but': ['error'] }] }, 'error', false],
    // Plain string | No filter pattern for data properties | metadata only.
    ['plain value, metadata pattern', { topic: ['orders'] }, 'all good', true],
    // Plain string | Valid JSON | filters on the other metadata properties only (the value part is skipped).
    ['plain value, JSON pattern: value part skipped', { value: { device_ID: [{ prefix: 'AB' }] } }, 'all good', true],
    ['plain value, JSON pattern: metadata still applies', { topic: ['payments'], value: { device_ID: [{ prefix: 'AB' }] } }, 'all good', false],
    // Valid JSON | Plain string | metadata only.
    ['JSON value, plain pattern: value part skipped', { value: ['error'] }, JSON_VALUE, true],
    ['JSON value, plain pattern: metadata still applies', { topic: ['payments'], value: ['error'] }, JSON_VALUE, false],
    // Valid JSON | Valid JSON | Lambda filters based on your filter criteria.
    ['JSON value, JSON pattern, kept', { value: { device_ID: [{ prefix: 'AB' }] } }, JSON_VALUE, true],
    ['JSON value, JSON pattern, dropped', { value: { device_ID: [{ prefix: 'XY' }] } }, JSON_VALUE, false],
    // Non-UTF-8 encoded string | JSON, plain string, or no pattern | metadata only.
    ['invalid UTF-8, JSON pattern', { value: { device_ID: [{ prefix: 'XY' }] } }, new Uint8Array([0xff, 0xfe, 0x7b]), true],
    ['invalid UTF-8, plain pattern', { value: ['x'] }, new Uint8Array([0xc3, 0x28]), true],
    ['invalid UTF-8, metadata still applies', { topic: ['payments'], value: ['x'] }, new Uint8Array([0xff]), false],
    // The rules also apply inside a top-level $or: the JSON branch is skipped for a plain value.
    ['plain value, JSON pattern in a $or branch: skipped', { $or: [{ value: { a: ['x'] } }, { topic: ['payments'] }] }, 'all good', true],
    ['JSON value, JSON pattern in a $or branch: evaluated', { $or: [{ value: { a: ['x'] } }, { topic: ['payments'] }] }, JSON_VALUE, false],
    // Not in the table: a null value (tombstone) is handled like a mismatch.
    ['null value, JSON pattern', { value: { a: ['x'] } }, null, true],
    ['valid UTF-8 bytes are decoded', { value: { device_ID: ['AB1234'] } }, new TextEncoder().encode(JSON_VALUE), true],
  ])('%s', (_name, pattern, value, expected) => {
    expect(kafka(pattern, value)).toBe(expected);
  });
});

describe('filterView', () => {
  it('replaces the payload field with the parsed JSON and keeps number text', () => {
    const record = { messageId: 'm1', body: '{"price": 300.0}' };
    const view = filterView(record, 'body', record.body);
    expect(view.payloadFormat).toBe('json');
    expect(view.event).toEqual({ messageId: 'm1', body: { price: new JsonNumber('300.0', 300) } });
    expect(record.body).toBe('{"price": 300.0}'); // the record is not modified
  });

  it('puts a plain payload in as the string, and removes an undecodable one', () => {
    expect(filterView({ body: 'x' }, 'body', 'plain').event).toEqual({ body: 'plain' });
    const view = filterView({ topic: 't', value: 'AAAA' }, 'value', new Uint8Array([0xff]));
    expect(view).toEqual({ dataKey: 'value', payloadFormat: 'not-utf8', event: { topic: 't' } });
    expect(filterView({ topic: 't' }, 'value', null).payloadFormat).toBe('absent');
  });
});

describe('RecordFilter', () => {
  it('with zero patterns lets every record through', () => {
    const filter = compile([], 'sqs');
    expect(filter.patternCount).toBe(0);
    expect(filter.matches(filterView({}, 'body', 'anything'))).toBe(true);
    expect(filter.matches(filterView({}, 'body', '{"a": 1}'))).toBe(true);
  });

  it('ORs its patterns', () => {
    const filter = compile([{ body: { a: ['1'] } }, { body: { b: ['2'] } }], 'sqs');
    expect(filter.patternCount).toBe(2);
    expect(filter.matches(filterView({}, 'body', '{"b": "2"}'))).toBe(true);
    expect(filter.matches(filterView({}, 'body', '{"a": "2"}'))).toBe(false);
  });

  it.each<[FilterSourceType, 'body' | 'data' | 'value' | null]>([
    ['sqs', 'data'],
    ['kinesis', 'body'],
    ['kafka', null],
    ['dynamodb-streams', 'value'],
  ])('refuses a %s view built for data key %s', (source, dataKey) => {
    const filter = compile([], source);
    expect(() => filter.matches(filterView({}, dataKey, 'x'))).toThrow(TributaryError);
  });
});
