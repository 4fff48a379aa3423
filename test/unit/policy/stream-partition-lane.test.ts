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
    // The hash key space is cut into equal ranges: MD5('') = 0xd41d… is in the top quarter.
    ['', 1, 0],
    ['', 2, 1],
    ['', 4, 3],
    ['a', 2, 0], // 0x0cc1… is in the bottom half
    ['a', 10, 0],
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

  it.each([0, -1, 1.5, Number.NaN])('rejects factor %s', (factor) => {
    expect(() => partitionLane('k', factor)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
