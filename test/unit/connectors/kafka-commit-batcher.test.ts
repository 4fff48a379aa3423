/**
 * Offset commits coalesced across partitions (connectors/kafka/commit-batcher.ts): one request per round trip,
 * whatever the number of partitions; a lost generation never commits; failures retried, then reported.
 */
import { describe, expect, it } from 'vitest';
import { CommitBatcher, type OffsetToCommit } from '../../../connectors/kafka/commit-batcher.js';

const generationLost = Object.assign(new Error('ILLEGAL_GENERATION'), { lost: true });

function harness(options: { fail?: (call: number) => unknown } = {}) {
  const requests: OffsetToCommit[][] = [];
  const failures: unknown[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const batcher = new CommitBatcher({
    send: async (offsets) => {
      requests.push([...offsets]);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      const error = options.fail?.(requests.length);
      if (error !== undefined) throw error;
    },
    isGenerationLost: (error) => (error as { lost?: boolean }).lost === true,
    onFailed: (_offsets, error) => failures.push(error),
    sleep: async () => undefined,
  });
  const at = (partition: number, offset: number): OffsetToCommit => ({ topic: 't', partition, offset: String(offset), metadata: null });
  return {
    batcher,
    requests,
    failures,
    at,
    holdRequests: () => {
      hold = true;
    },
    releaseRequest: () => {
      hold = false;
      release?.();
    },
  };
}

describe('CommitBatcher', () => {
  it('sends the commits of every partition made in one turn as one request', async () => {
    const { batcher, requests, at } = harness();
    const outcomes = await Promise.all([0, 1, 2, 3, 4, 5].map((p) => batcher.commit(at(p, 100 + p), () => true)));
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.map((o) => [o.partition, o.offset])).toEqual([0, 1, 2, 3, 4, 5].map((p) => [p, String(100 + p)]));
  });

  it('collects commits made while a request is in flight into the next one; a newer offset of a partition replaces the older', async () => {
    const { batcher, requests, at, holdRequests, releaseRequest } = harness();
    holdRequests();
    const first = batcher.commit(at(0, 10), () => true);
    while (requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const waiting = [batcher.commit(at(1, 20), () => true), batcher.commit(at(2, 30), () => true), batcher.commit(at(1, 25), () => true)];
    releaseRequest();
    expect(await first).toBe('ok');
    expect(await Promise.all(waiting)).toEqual(['ok', 'ok', 'ok']);
    expect(requests.map((r) => r.map((o) => `${o.partition}:${o.offset}`))).toEqual([['0:10'], ['1:25', '2:30']]);
  });

  it('never sends a commit whose generation is over: it is lost without reaching the broker', async () => {
    const { batcher, requests, at } = harness();
    const outcomes = await Promise.all([batcher.commit(at(0, 1), () => false), batcher.commit(at(1, 1), () => true)]);
    expect(outcomes).toEqual(['lost', 'ok']);
    expect(requests.map((r) => r.map((o) => o.partition))).toEqual([[1]]);
    expect(await batcher.commit(at(2, 1), () => false)).toBe('lost');
    expect(requests).toHaveLength(1);
  });

  it('a request refused for a lost generation loses every commit in it and is not retried', async () => {
    const { batcher, requests, at, failures } = harness({ fail: () => generationLost });
    expect(await Promise.all([batcher.commit(at(0, 5), () => true), batcher.commit(at(1, 5), () => true)])).toEqual(['lost', 'lost']);
    expect(requests).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  it('retries a failed request, re-checking each commit first, then reports it failed', async () => {
    let allowed = true;
    const { batcher, requests, at, failures } = harness({
      fail: (call) => {
        if (call === 1) allowed = false; // partition 1's generation ends while the first attempt fails
        return new Error('coordinator moved');
      },
    });
    const outcomes = await Promise.all([batcher.commit(at(0, 7), () => true), batcher.commit(at(1, 7), () => allowed)]);
    expect(outcomes).toEqual(['failed', 'lost']);
    expect(requests.map((r) => r.map((o) => o.partition))).toEqual([[0, 1], [0], [0]]);
    expect(failures).toHaveLength(1);
  });
});
