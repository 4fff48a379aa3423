import { describe, expect, it } from 'vitest';
import { collectBatch, type ReadFn } from '../../../src/pipeline/batcher.js';

interface Rec {
  readonly n: number;
  readonly sizeBytes: number;
}

/** A scripted reader on a fake clock: each read advances time by the wait it was given, or returns pages. */
function script(pages: Rec[][], clock: { t: number }): { read: ReadFn<Rec>; calls: { max: number; wait: number }[] } {
  const calls: { max: number; wait: number }[] = [];
  return {
    calls,
    read: async (max, wait) => {
      calls.push({ max, wait });
      const page = pages.shift();
      if (page === undefined || page.length === 0) {
        clock.t += wait;
        return [];
      }
      clock.t += 10;
      return page.slice(0, max);
    },
  };
}

const recs = (from: number, count: number, size = 100): Rec[] => Array.from({ length: count }, (_, i) => ({ n: from + i, sizeBytes: size }));

function options(clock: { t: number }, overrides: Partial<Parameters<typeof collectBatch>[2]> = {}) {
  return {
    batchSize: 10,
    windowMs: 0,
    pageSize: 10,
    maxPayloadBytes: 6 * 1024 * 1024,
    idleWaitMs: 20_000,
    now: () => clock.t,
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('collectBatch', () => {
  it('window 0: one long poll; an empty one ends the attempt (the lane may retire), the next returns records', async () => {
    const clock = { t: 0 };
    const { read, calls } = script([[], recs(0, 3)], clock);
    expect((await collectBatch(read, [], options(clock))).batch).toEqual([]);
    expect(calls).toEqual([{ max: 10, wait: 20_000 }]);
    const result = await collectBatch(read, [], options(clock));
    expect(result.batch.map((r) => r.n)).toEqual([0, 1, 2]);
    expect(result.lastReadCount).toBe(3);
  });

  it('window > 0: keeps reading until the batch size is reached', async () => {
    const clock = { t: 0 };
    const { read } = script([recs(0, 10), recs(10, 10), recs(20, 10)], clock);
    const result = await collectBatch(read, [], options(clock, { batchSize: 25, windowMs: 5000 }));
    expect(result.batch).toHaveLength(25);
    expect(result.batch.at(-1)?.n).toBe(24);
  });

  it('window > 0: invokes with a partial batch when the window ends', async () => {
    const clock = { t: 0 };
    const { read, calls } = script([recs(0, 4), [], []], clock);
    const result = await collectBatch(read, [], options(clock, { batchSize: 100, windowMs: 2000 }));
    expect(result.batch).toHaveLength(4);
    expect(clock.t).toBeGreaterThanOrEqual(2000);
    expect(calls.every((c) => c.wait <= 2000)).toBe(true);
  });

  it('returns an empty batch when nothing arrives in the window', async () => {
    const clock = { t: 0 };
    const { read } = script([], clock);
    const result = await collectBatch(read, [], options(clock, { windowMs: 3000 }));
    expect(result.batch).toEqual([]);
  });

  it('stops at the payload cap and carries the rest over, first in the next batch', async () => {
    const clock = { t: 0 };
    const { read } = script([recs(0, 10, 1000)], clock);
    const first = await collectBatch(read, [], options(clock, { maxPayloadBytes: 4000 }));
    expect(first.batch.map((r) => r.n)).toEqual([0, 1, 2]);
    expect(first.carry.map((r) => r.n)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const second = await collectBatch(script([], clock).read, first.carry, options(clock, { maxPayloadBytes: 4000 }));
    expect(second.batch.map((r) => r.n)).toEqual([3, 4, 5]);
  });

  it('a single record over the cap still goes alone', async () => {
    const clock = { t: 0 };
    const { read } = script([[{ n: 0, sizeBytes: 9000 }, { n: 1, sizeBytes: 10 }]], clock);
    const result = await collectBatch(read, [], options(clock, { maxPayloadBytes: 4000 }));
    expect(result.batch.map((r) => r.n)).toEqual([0]);
    expect(result.carry.map((r) => r.n)).toEqual([1]);
  });

  it('asks for no more than the batch still needs', async () => {
    const clock = { t: 0 };
    const { read, calls } = script([recs(0, 10), recs(10, 10)], clock);
    await collectBatch(read, [], options(clock, { batchSize: 13, windowMs: 1000 }));
    expect(calls.map((c) => c.max)).toEqual([10, 3]);
  });

  it('stops reading when aborted and returns what it has', async () => {
    const clock = { t: 0 };
    const abort = new AbortController();
    const read: ReadFn<Rec> = async () => {
      abort.abort();
      return recs(0, 2);
    };
    const result = await collectBatch(read, [], options(clock, { batchSize: 100, windowMs: 10_000, signal: abort.signal }));
    expect(result.batch).toHaveLength(2);
  });
});
