import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../src/policy/backoff.js';

describe('backoffDelayMs', () => {
  const options = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt within [cap/2, cap]', () => {
    expect(backoffDelayMs(1, options, () => 0)).toBe(500);
    expect(backoffDelayMs(1, options, () => 0.999999)).toBe(1000);
    expect(backoffDelayMs(3, options, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(3000);
  });
  it('is capped at maxMs', () => {
    expect(backoffDelayMs(40, options, () => 0.999999)).toBe(60_000);
    expect(backoffDelayMs(40, options, () => 0)).toBe(30_000);
  });
});
