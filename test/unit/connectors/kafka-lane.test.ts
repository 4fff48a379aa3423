// PartitionLane with a fake host: batch size, window, payload cap, prefix-only commits, retry state in the commit
// metadata, revocation, and recovery (seek back to the commit) — no broker.

import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { toSourceRecord, type KafkaRecordData } from '../../../connectors/kafka/event.js';
import { PartitionLane, decodeAttempt, encodeAttempt, settledPrefixLength, type CommitOutcome, type LaneHost } from '../../../connectors/kafka/lane.js';
import type { PartitionBatch, PartitionBatchResult, SourceRecord } from '../../../src/connector/index.js';

const data = (offset: number, value = `v${offset}`): KafkaRecordData => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  timestampMs: 1_000 + offset,
  timestampType: 'CREATE_TIME',
  key: null,
  value: Buffer.from(value),
  headers: [],
});
const range = (from: number, to: number): KafkaRecordData[] => Array.from({ length: to - from }, (_, i) => data(from + i));
const offsets = (records: readonly SourceRecord[]): number[] => records.map((r) => Number(r.position));
const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Harness {
  readonly lane: PartitionLane;
  readonly batches: PartitionBatch[];
  readonly commits: { offset: string; metadata: string | null }[];
  readonly calls: string[];
  readonly stop: AbortController;
  exited: boolean;
}

function harness(
  handler: (batch: PartitionBatch, h: Harness) => Promise<PartitionBatchResult> | PartitionBatchResult,
  overrides: Partial<LaneHost> & { commitOutcome?: () => CommitOutcome } = {},
): Harness {
  const stop = new AbortController();
  const h = { batches: [], commits: [], calls: [], stop, exited: false } as unknown as Harness & { lane: PartitionLane };
  const host: LaneHost = {
    handler: async (batch) => {
      h.batches.push(batch);
      return handler(batch, h);
    },
    logger: pino({ level: 'silent' }),
    now: Date.now,
    batchSize: 10,
    windowMs: 0,
    maxPayloadBytes: 1_000_000,
    toRecord: toSourceRecord,
    restoreRetries: async () => 0,
    commit: async (offset, metadata) => {
      h.commits.push({ offset, metadata });
      return overrides.commitOutcome?.() ?? 'ok';
    },
    pause: () => h.calls.push('pause'),
    resume: () => h.calls.push('resume'),
    seek: (offset) => h.calls.push(`seek:${offset}`),
    stopping: stop.signal,
    recoveryDelayMs: 10,
    ...overrides,
  };
  const lane = new PartitionLane('t', 0, 't-0', host);
  Object.assign(h, { lane });
  lane.start(() => {
    h.exited = true;
  });
  return h;
}

const settleAll = (batch: PartitionBatch): PartitionBatchResult => ({ settled: batch.records });

describe('PartitionLane', () => {
  it('cuts batches at batchSize, pauses the partition while a batch is read ahead, commits after each batch', async () => {
    const h = harness(settleAll);
    expect(h.lane.offer(range(0, 25))).toBe('24');
    await tick(30);
    expect(h.batches.map((b) => offsets(b.records))).toEqual([range(0, 10), range(10, 20), range(20, 25)].map((r) => r.map((d) => Number(d.offset))));
    expect(h.batches.every((b) => b.partition === 't-0' && b.retries === 0)).toBe(true);
    expect(h.commits).toEqual([
      { offset: '10', metadata: null },
      { offset: '20', metadata: null },
      { offset: '25', metadata: null },
    ]);
    expect(h.calls).toEqual(['pause', 'resume']);
    h.stop.abort();
    await h.lane.done();
    expect(h.exited).toBe(true);
  });

  it('waits for the batching window to fill a batch, then sends what it has', async () => {
    const h = harness(settleAll, { windowMs: 80 });
    h.lane.offer(range(0, 3));
    await tick(20);
    h.lane.offer(range(3, 5));
    await tick(20);
    expect(h.batches).toHaveLength(0);
    await tick(80);
    expect(h.batches.map((b) => offsets(b.records))).toEqual([[0, 1, 2, 3, 4]]);
    h.stop.abort();
    await h.lane.done();
  });

  it('keeps a batch under the payload cap, but always takes at least one record', async () => {
    const big = (offset: number): KafkaRecordData => data(offset, 'x'.repeat(300));
    const size = toSourceRecord(big(0)).sizeBytes;
    const h = harness(settleAll, { maxPayloadBytes: size * 2 + 5 });
    h.lane.offer([big(0), big(1), big(2)]);
    await tick(30);
    expect(h.batches.map((b) => offsets(b.records))).toEqual([[0, 1], [2]]);
    h.stop.abort();
    await h.lane.done();
  });

  it('ignores records it already holds (overlapping refetch)', async () => {
    const h = harness(settleAll, { windowMs: 30 });
    h.lane.offer(range(0, 4));
    expect(h.lane.offer(range(2, 6))).toBe('5');
    await tick(60);
    expect(offsets(h.batches.flatMap((b) => b.records))).toEqual([0, 1, 2, 3, 4, 5]);
    h.stop.abort();
    await h.lane.done();
  });

  it('on a graceful stop commits the settled prefix of the batch in flight and starts no other', async () => {
    const h = harness((batch, self) => {
      self.stop.abort();
      return { settled: batch.records.slice(0, 3) };
    });
    h.lane.offer(range(0, 25));
    await h.lane.done();
    expect(h.batches).toHaveLength(1);
    expect(h.commits).toEqual([{ offset: '3', metadata: null }]);
    expect(h.calls.filter((c) => c.startsWith('seek'))).toEqual([]);
  });

  it('re-reads from the first unsettled record after a short answer without a stop', async () => {
    let first = true;
    const h = harness((batch) => {
      const settled = first ? batch.records.slice(0, 4) : batch.records;
      first = false;
      return { settled };
    });
    h.lane.offer(range(0, 10));
    await tick(5);
    // Read ahead before the recovery's seek is dropped.
    expect(h.lane.offer(range(10, 12))).toBeNull();
    await tick(30);
    // Paused by the full read-ahead, resumed when the batch was taken, paused again to seek back.
    expect(h.calls).toEqual(['pause', 'resume', 'pause', 'seek:4', 'resume']);
    h.lane.offer(range(4, 10));
    await tick(20);
    expect(h.batches.map((b) => offsets(b.records))).toEqual([range(0, 10).map((d) => Number(d.offset)), [4, 5, 6, 7, 8, 9]]);
    expect(h.commits.map((c) => c.offset)).toEqual(['4', '10']);
    h.stop.abort();
    await h.lane.done();
  });

  it('stores the attempt count at the batch head, and restores it for the first batch only', async () => {
    const h = harness(
      async (batch) => {
        if (batch.retries === 3) await batch.persistAttempt(4);
        return { settled: batch.records };
      },
      { restoreRetries: async (head) => (head === '0' ? 3 : 9) },
    );
    h.lane.offer(range(0, 15));
    await tick(30);
    expect(h.batches.map((b) => b.retries)).toEqual([3, 0]);
    expect(h.commits).toEqual([
      { offset: '0', metadata: encodeAttempt(4) },
      { offset: '10', metadata: null },
      { offset: '15', metadata: null },
    ]);
    h.stop.abort();
    await h.lane.done();
  });

  it('once revoked, aborts the batch in flight and commits nothing more', async () => {
    let signal: AbortSignal | null = null;
    const h = harness(async (batch, self) => {
      signal = batch.signal;
      self.lane.revoke();
      await batch.persistAttempt(1);
      return { settled: batch.records };
    });
    h.lane.offer(range(0, 5));
    await h.lane.done();
    expect((signal as AbortSignal | null)?.aborted).toBe(true);
    expect(h.commits).toEqual([]);
    expect(h.lane.revoked).toBe(true);
  });

  it('stops when the commit reports the generation lost, and recovers after a failed commit', async () => {
    const lost = harness(settleAll, { commitOutcome: () => 'lost' });
    lost.lane.offer(range(0, 5));
    await lost.lane.done();
    expect([lost.lane.revoked, lost.batches.length]).toEqual([true, 1]);

    let failures = 1;
    const failed = harness(settleAll, { commitOutcome: () => (failures-- > 0 ? 'failed' : 'ok') });
    failed.lane.offer(range(0, 5));
    await tick(40);
    expect(failed.calls).toEqual(['pause', 'seek:0', 'resume']);
    failed.lane.offer(range(0, 5));
    await tick(20);
    expect(failed.commits.map((c) => c.offset)).toEqual(['5', '5']);
    failed.stop.abort();
    await failed.lane.done();
  });

  it('re-reads the batch when the handler throws', async () => {
    let throws = true;
    const h = harness((batch) => {
      if (throws) {
        throws = false;
        throw new Error('boom');
      }
      return { settled: batch.records };
    });
    h.lane.offer(range(0, 3));
    await tick(40);
    expect(h.calls).toEqual(['pause', 'seek:0', 'resume']);
    h.lane.offer(range(0, 3));
    await tick(20);
    expect(h.commits.map((c) => c.offset)).toEqual(['3']);
    h.stop.abort();
    await h.lane.done();
  });
});

describe('attempt metadata and prefixes', () => {
  it('round-trips the attempt count and treats anything else as 0', () => {
    expect(decodeAttempt(encodeAttempt(7))).toBe(7);
    for (const metadata of [null, '', 'not json', '{"tributaryAttempt":-1}', '{"tributaryAttempt":"3"}', '{"other":1}', '[]']) {
      expect(decodeAttempt(metadata)).toBe(0);
    }
  });

  it('counts only the leading records the handler settled', () => {
    const records = range(0, 4).map(toSourceRecord);
    expect(settledPrefixLength(records, records)).toBe(4);
    expect(settledPrefixLength(records, records.slice(0, 2))).toBe(2);
    expect(settledPrefixLength(records, [records[0], records[2]].filter((r) => r !== undefined))).toBe(1);
    expect(settledPrefixLength(records, [])).toBe(0);
  });
});
