// When a fan-out reader may call SubscribeToShard again (AWS's one call per second per consumer and shard, and the
// 5-second window in which a new call is refused with ResourceInUseException).
import { describe, expect, it } from 'vitest';
import { RESUBSCRIBE_BACKOFF, resubscribeDelayMs } from '../../../connectors/kinesis/resubscribe.js';

const NOW = 100_000;

describe('resubscribeDelayMs', () => {
  it('subscribes at once the first time', () => {
    expect(resubscribeDelayMs({ now: NOW, lastAttemptAt: null, lastSuccessAt: null, failures: 0 }, () => 0.5)).toBe(0);
  });

  it('renews a subscription that ended normally at once, but never twice in one second', () => {
    expect(resubscribeDelayMs({ now: NOW, lastAttemptAt: NOW - 300_000, lastSuccessAt: NOW - 300_000, failures: 0 }, () => 0.5)).toBe(0);
    expect(resubscribeDelayMs({ now: NOW, lastAttemptAt: NOW - 200, lastSuccessAt: NOW - 200, failures: 0 }, () => 0.5)).toBe(800);
  });

  it('after a failure waits until 5 s after the last successful call', () => {
    expect(resubscribeDelayMs({ now: NOW, lastAttemptAt: NOW - 1_000, lastSuccessAt: NOW - 2_000, failures: 1 }, () => 0)).toBe(3_000);
    expect(resubscribeDelayMs({ now: NOW, lastAttemptAt: NOW - 1_000, lastSuccessAt: NOW - 60_000, failures: 1 }, () => 0)).toBe(RESUBSCRIBE_BACKOFF.baseMs / 2);
  });

  it('backs off exponentially with failures, capped', () => {
    const delay = (failures: number): number => resubscribeDelayMs({ now: NOW, lastAttemptAt: NOW - 60_000, lastSuccessAt: null, failures }, () => 1);
    expect([1, 2, 3, 4].map(delay)).toEqual([500, 1_000, 2_000, 4_000]);
    expect(delay(30)).toBe(RESUBSCRIBE_BACKOFF.maxMs);
  });
});
