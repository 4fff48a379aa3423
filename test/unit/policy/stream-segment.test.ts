import { describe, expect, it } from 'vitest';
import { expireRecords, initialSegment, isUnlimited } from '../../../src/policy/stream-segment.js';

const rec = (id: string, arrivedAtMs: number) => ({ id, arrivedAtMs });
const ids = (records: readonly { id: string }[]) => records.map((r) => r.id);

describe('expireRecords (MaximumRecordAge before each invocation)', () => {
  const now = 100_000;
  const batch = [rec('1', 10_000), rec('2', 39_999), rec('3', 40_000), rec('4', 90_000)];

  it.each([
    ['infinite (-1) keeps everything', -1, [], ['1', '2', '3', '4']],
    ['strictly older than the limit expires; equal age does not', 60_000, ['1', '2'], ['3', '4']],
    ['nothing old enough', 95_000, [], ['1', '2', '3', '4']],
    ['everything expired', 1_000, ['1', '2', '3', '4'], null],
  ])('%s', (_name, maximumRecordAgeMs, expired, kept) => {
    const result = expireRecords({ records: batch, retries: 2 }, { maximumRecordAgeMs }, now);
    expect(ids(result.expired)).toEqual(expired);
    expect(result.segment === null ? null : ids(result.segment.records)).toEqual(kept);
    if (result.segment !== null) expect(result.segment.retries).toBe(2);
  });

  it('removes exactly the expired records even when they are not a prefix, keeping order', () => {
    const shuffled = [rec('1', 90_000), rec('2', 1_000), rec('3', 95_000), rec('4', 2_000), rec('5', 99_000)];
    const result = expireRecords({ records: shuffled, retries: 0, throttles: 3 }, { maximumRecordAgeMs: 60_000 }, now);
    expect(ids(result.expired)).toEqual(['2', '4']);
    expect(result.segment).toEqual({ records: [shuffled[0], shuffled[2], shuffled[4]], retries: 0, throttles: 3 });
  });

  it('returns the same segment object when nothing expired', () => {
    const segment = initialSegment(batch);
    expect(expireRecords(segment, { maximumRecordAgeMs: 1_000_000 }, now).segment).toBe(segment);
  });
});

describe('initialSegment / isUnlimited', () => {
  it('starts with the retries restored from the checkpoint', () => {
    expect(initialSegment([rec('1', 0)])).toEqual({ records: [rec('1', 0)], retries: 0 });
    expect(initialSegment([rec('1', 0)], 4).retries).toBe(4);
  });
  it.each([[-1, true], [-5, true], [0, false], [10_000, false]])('isUnlimited(%i) = %s', (n, expected) => {
    expect(isUnlimited(n)).toBe(expected);
  });
});
