import { describe, expect, it } from 'vitest';
import { parseBatchItemFailures } from '../../../src/policy/partial-failures.js';
import { normalizeKafkaItemId } from '../../../connectors/kafka/item-id.js';

const ids = new Set(['a', 'b', 'c']);
const rbif = { reportBatchItemFailures: true, batchIds: ids };

describe('parseBatchItemFailures (AWS success and failure conditions)', () => {
  it.each([
    ['null response', null],
    ['undefined response', undefined],
    ['empty EventResponse', {}],
    ['null list', { batchItemFailures: null }],
    ['empty list', { batchItemFailures: [] }],
  ])('%s → complete success', (_name, payload) => {
    expect(parseBatchItemFailures(payload, rbif)).toEqual({ kind: 'success' });
  });

  it.each([
    ['empty-string identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['bad key name', { batchItemFailures: [{ itemIdentifer: 'a' }] }],
    ['unknown identifier', { batchItemFailures: [{ itemIdentifier: 'zzz' }] }],
    ['numeric identifier', { batchItemFailures: [{ itemIdentifier: 7 }] }],
    ['list is not a list', { batchItemFailures: 'a' }],
    ['item is not an object', { batchItemFailures: ['a'] }],
    ['response is a string', 'ok'],
    ['response is an array', [{ itemIdentifier: 'a' }]],
  ])('%s → complete failure', (_name, payload) => {
    expect(parseBatchItemFailures(payload, rbif).kind).toBe('invalid');
  });

  it('names the failed records once each, in response order', () => {
    const verdict = parseBatchItemFailures({ batchItemFailures: [{ itemIdentifier: 'c' }, { itemIdentifier: 'a' }, { itemIdentifier: 'c' }] }, rbif);
    expect(verdict).toEqual({ kind: 'partial', failedIds: ['c', 'a'] });
  });

  it('ignores the response when ReportBatchItemFailures is not enabled', () => {
    const payload = { batchItemFailures: [{ itemIdentifier: 'a' }] };
    expect(parseBatchItemFailures(payload, { reportBatchItemFailures: false, batchIds: ids })).toEqual({ kind: 'success' });
    expect(parseBatchItemFailures({ batchItemFailures: [{ itemIdentifier: '' }] }, { reportBatchItemFailures: false, batchIds: ids })).toEqual({ kind: 'success' });
  });
});

describe('Kafka item identifiers', () => {
  const kafka = { reportBatchItemFailures: true, batchIds: new Set(['orders-0:15', 'orders-1:3']), normalizeId: normalizeKafkaItemId };
  it.each([
    ['the record id string', 'orders-0:15'],
    ['{partition, offset}', { partition: 'orders-0', offset: 15 }],
    ['{topic-partition, offset}', { 'topic-partition': 'orders-0', offset: 15 }],
    ['a string offset', { partition: 'orders-0', offset: '15' }],
  ])('accepts %s', (_name, itemIdentifier) => {
    expect(parseBatchItemFailures({ batchItemFailures: [{ itemIdentifier }] }, kafka)).toEqual({ kind: 'partial', failedIds: ['orders-0:15'] });
  });
  it.each([
    ['an offset not in the batch', { partition: 'orders-0', offset: 16 }],
    ['a negative offset', { partition: 'orders-0', offset: -1 }],
    ['no partition', { offset: 15 }],
    ['an object for another source', { partition: 'orders-0', offset: 15 }],
  ])('fails the whole batch for %s', (name, itemIdentifier) => {
    const options = name === 'an object for another source' ? { reportBatchItemFailures: true, batchIds: kafka.batchIds } : kafka;
    expect(parseBatchItemFailures({ batchItemFailures: [{ itemIdentifier }] }, options).kind).toBe('invalid');
  });
});
