import { describe, expect, it } from 'vitest';
import { offsetLag } from '../../../src/pipeline/offset-lag.js';

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
