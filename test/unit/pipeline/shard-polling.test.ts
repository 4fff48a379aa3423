// The stream lane reader adapter (src/pipeline/lane/shard-polling.ts): a polling shard reader is paused between empty
// reads; a push reader (enhanced fan-out) gets the lane's wait and is not paused again. Fake timers: no real waiting.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ShardReader, ShardReadResult } from '../../../src/connector/types.js';
import { pollingShardReader } from '../../../src/pipeline/lane/shard-polling.js';

const EMPTY: ShardReadResult = { records: [], shardEnd: false, millisBehindLatest: 0 };

function shard(waitsForRecords: boolean): { reader: ShardReader; waits: (number | undefined)[] } {
  const waits: (number | undefined)[] = [];
  return {
    waits,
    reader: {
      ...(waitsForRecords ? { waitsForRecords: true } : {}),
      read: (_max, _signal, waitMs) => {
        waits.push(waitMs);
        return Promise.resolve(EMPTY);
      },
      close: () => Promise.resolve(),
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('pollingShardReader', () => {
  it('pauses a polling reader after an empty read, up to the idle poll interval', async () => {
    vi.useFakeTimers();
    const { reader } = shard(false);
    let done = false;
    const reading = pollingShardReader(reader, 1_000).read({ maxRecords: 10, waitMs: 5_000, signal: new AbortController().signal }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await reading;
    expect(done).toBe(true);
  });

  it('passes the lane wait to a push reader and does not pause it again', async () => {
    vi.useFakeTimers();
    const { reader, waits } = shard(true);
    const result = await pollingShardReader(reader, 1_000).read({ maxRecords: 10, waitMs: 5_000, signal: new AbortController().signal });
    expect(result).toEqual({ records: [], end: false, caughtUp: true });
    expect(waits).toEqual([5_000]);
  });
});
