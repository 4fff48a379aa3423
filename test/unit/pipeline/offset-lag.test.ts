import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/connector/types.js';
import { offsetLag, offsetLagAfterBatch } from '../../../src/pipeline/offset-lag.js';

const record = (position: string): SourceRecord => ({
  id: `t-0:${position}`,
  shard: 't-0',
  position,
  partitionKey: null,
  arrivedAtMs: 0,
  receiveCount: 1,
  sizeBytes: 10,
  eventRecord: {},
  filterPayload: null,
});

describe('offsetLag', () => {
  it('is the high watermark minus the next offset', () => {
    expect(offsetLag('10', '7')).toBe(3);
    expect(offsetLag('10', '10')).toBe(0);
  });

  it('clamps at 0 (a watermark fetched before the records now settled)', () => {
    expect(offsetLag('5', '8')).toBe(0);
  });

  it('is exact beyond 2^53 (64-bit offsets)', () => {
    expect(offsetLag('9223372036854775807', '9223372036854775800')).toBe(7);
  });

  it('is null without a watermark or with a non-integer offset', () => {
    expect(offsetLag(undefined, '1')).toBeNull();
    expect(offsetLag('10', undefined)).toBeNull();
    expect(offsetLag('1e3', '1')).toBeNull();
    expect(offsetLag('10', 'AQID')).toBeNull();
  });
});

describe('offsetLagAfterBatch', () => {
  const records = ['4', '5', '6', '7'].map(record);

  it('counts from the record after the last settled one', () => {
    expect(offsetLagAfterBatch({ highWatermark: '20', records }, records)).toBe(12);
    expect(offsetLagAfterBatch({ highWatermark: '20', records }, records.slice(0, 2))).toBe(14);
  });

  it('counts from the first record when nothing settled (the commit did not move)', () => {
    expect(offsetLagAfterBatch({ highWatermark: '20', records }, [])).toBe(16);
  });

  it('is 0 once the partition is drained', () => {
    expect(offsetLagAfterBatch({ highWatermark: '8', records }, records)).toBe(0);
  });

  it('is null when the source reports no watermark', () => {
    expect(offsetLagAfterBatch({ records }, records)).toBeNull();
  });

  it('is null for an empty batch with nothing settled', () => {
    expect(offsetLagAfterBatch({ highWatermark: '8', records: [] }, [])).toBeNull();
  });
});
