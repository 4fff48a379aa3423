import { describe, expect, it } from 'vitest';
import { decideAck } from '../../../src/policy/ack-settlement.js';

const r = (id: string, partitionKey: string | null = null) => ({ id, partitionKey });
const ids = (records: readonly { id: string }[]) => records.map((x) => x.id);

describe('decideAck (SQS settlement)', () => {
  const batch = [r('1'), r('2'), r('3')];

  it('deletes everything on success', () => {
    const d = decideAck(batch, { kind: 'success' }, false);
    expect(ids(d.done)).toEqual(['1', '2', '3']);
    expect(d.redeliver).toEqual([]);
  });

  it('returns the whole batch on a function error or an invalid response', () => {
    for (const verdict of [{ kind: 'function-error' } as const, { kind: 'invalid', reason: 'x' } as const]) {
      const d = decideAck(batch, verdict, false);
      expect(d.done).toEqual([]);
      expect(ids(d.redeliver)).toEqual(['1', '2', '3']);
    }
  });

  it('standard queue: only the named messages return', () => {
    const d = decideAck(batch, { kind: 'partial', failedIds: ['2'] }, false);
    expect(ids(d.done)).toEqual(['1', '3']);
    expect(ids(d.redeliver)).toEqual(['2']);
  });

  it('FIFO: the failed message and everything after it in its group return; other groups are deleted', () => {
    const fifo = [r('a1', 'A'), r('b1', 'B'), r('a2', 'A'), r('a3', 'A'), r('b2', 'B'), r('c1', 'C')];
    const d = decideAck(fifo, { kind: 'partial', failedIds: ['a2'] }, true);
    expect(ids(d.done)).toEqual(['a1', 'b1', 'b2', 'c1']);
    expect(ids(d.redeliver)).toEqual(['a2', 'a3']);
  });

  it('FIFO: failures in two groups block both from their first failure on', () => {
    const fifo = [r('a1', 'A'), r('b1', 'B'), r('a2', 'A'), r('b2', 'B')];
    const d = decideAck(fifo, { kind: 'partial', failedIds: ['b1', 'a2'] }, true);
    expect(ids(d.done)).toEqual(['a1']);
    expect(ids(d.redeliver)).toEqual(['b1', 'a2', 'b2']);
  });
});
