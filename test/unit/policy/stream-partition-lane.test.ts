import { describe, expect, it } from 'vitest';
import { hashKey, partitionLane } from '../../../src/policy/stream-partition-lane.js';

describe('hashKey (Kinesis: MD5 of the partition key as a 128-bit integer)', () => {
  it.each([
    ['', 0xd41d8cd98f00b204e9800998ecf8427en],
    ['a', 0x0cc175b9c0f1b6a831c399e269772661n],
    ['é', 0x66ddcd97cfdeabb2f6fb8a999b4bc76fn], // UTF-8 bytes, as Kinesis hashes them
  ])('hashKey(%j)', (key, expected) => {
    expect(hashKey(key)).toBe(expected);
  });
});

describe('partitionLane', () => {
  it.each([
    // MD5 modulo the factor: MD5('') = 0x…427e, MD5('a') = 0x…2661.
    ['', 1, 0],
    ['', 2, 0],
    ['', 4, 2],
    ['a', 2, 1],
    ['a', 10, 7],
  ])('partitionLane(%j, %i) = %i', (key, factor, lane) => {
    expect(partitionLane(key, factor)).toBe(lane);
  });

  it('is deterministic and in range for every factor 1..10', () => {
    for (let factor = 1; factor <= 10; factor++) {
      for (let i = 0; i < 200; i++) {
        const lane = partitionLane(`order-${i}`, factor);
        expect(lane).toBeGreaterThanOrEqual(0);
        expect(lane).toBeLessThan(factor);
        expect(partitionLane(`order-${i}`, factor)).toBe(lane);
      }
    }
  });

  it('spreads keys roughly evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) {
      const lane = partitionLane(`k${i}`, 4);
      counts[lane] = (counts[lane] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(1700);
  });

  it('spreads the keys of ONE shard (a contiguous quarter of the hash range) over all sub-lanes', () => {
    const counts = [0, 0, 0, 0];
    const top = 1n << 126n;
    for (let i = 0; i < 40_000; i++) {
      if (hashKey(`k${i}`) >= top) continue; // keys a 4-shard stream would put on its first shard
      const lane = partitionLane(`k${i}`, 4);
      counts[lane] = (counts[lane] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(2000);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects factor %s', (factor) => {
    expect(() => partitionLane('k', factor)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
