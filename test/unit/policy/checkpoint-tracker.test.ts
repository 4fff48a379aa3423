import { describe, expect, it } from 'vitest';
import { CheckpointTracker, compareSequenceNumbers } from '../../../src/policy/checkpoint-tracker.js';
import { partitionLane } from '../../../src/policy/stream-partition-lane.js';

const BIG = '49590338271490256608559692538361571095921575989136588898'; // a real-looking Kinesis sequence number

describe('compareSequenceNumbers (numeric, no precision loss)', () => {
  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['9', '10', -1],
    ['100', '99', 1],
    ['007', '7', 0],
    ['0', '000', 0],
    [BIG, BIG, 0],
    [BIG, `${BIG.slice(0, -1)}9`, -1],
    // 2^128 - 1 vs 2^128 - 2: indistinguishable as Number.
    ['340282366920938463463374607431768211455', '340282366920938463463374607431768211454', 1],
    ['9007199254740993', '9007199254740992', 1],
  ])('compare(%s, %s) = %i', (a, b, expected) => {
    expect(compareSequenceNumbers(a, b)).toBe(expected);
  });

  it('sorts like BigInt', () => {
    const values = ['12', '3', BIG, '0', `${BIG}0`, '340282366920938463463374607431768211455', '00012', '9007199254740993'];
    const expected = [...values].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    expect([...values].sort(compareSequenceNumbers)).toEqual(expected);
  });

  it.each(['', '-1', '1.5', 'abc', ' 1', '1e5'])('rejects %j', (bad) => {
    expect(() => compareSequenceNumbers(bad, '1')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('CheckpointTracker', () => {
  const tracker = (start: string | null = null) => new CheckpointTracker(compareSequenceNumbers, start);

  it('moves only to the lowest position below which everything is settled', () => {
    const t = tracker();
    t.add(['1', '2', '3', '4', '5', '6']);
    const steps: [string[], string | null, number][] = [
      // [settle, checkpoint after, pending after]
      [['3', '4'], null, 4],
      [['1'], '1', 3],
      [['2'], '4', 2],
      [['6'], '4', 1],
      [['5'], '6', 0],
    ];
    for (const [settle, checkpoint, pending] of steps) {
      t.settle(settle);
      expect(t.checkpoint()).toBe(checkpoint);
      expect(t.pending).toBe(pending);
    }
    expect(t.lowestUnsettled()).toBeNull();
    expect(t.blocked).toBe(0);
  });

  it('reports the blocked count and the lowest unsettled position', () => {
    const t = tracker();
    t.add(['10', '20', '30']);
    t.settle(['20', '30']);
    expect(t.blocked).toBe(2);
    expect(t.lowestUnsettled()).toBe('10');
    expect(t.checkpoint()).toBeNull();
  });

  it('resumes from a stored checkpoint', () => {
    const t = tracker('100');
    expect(t.checkpoint()).toBe('100');
    expect(() => t.add(['100'])).toThrow(/out of shard order/);
    t.add(['101', '102']);
    t.settle(['102']);
    expect(t.checkpoint()).toBe('100');
    t.settle(['101']);
    expect(t.checkpoint()).toBe('102');
  });

  it('settling twice, or below the checkpoint, is a no-op; settling an unknown position throws', () => {
    const t = tracker();
    t.add(['1', '2', '3']);
    t.settle(['2']);
    t.settle(['2']);
    t.settle(['1']);
    t.settle(['1', '2']);
    expect(t.checkpoint()).toBe('2');
    expect(() => t.settle(['4'])).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('rejects positions added out of order or twice', () => {
    const t = tracker();
    t.add(['5']);
    expect(() => t.add(['5'])).toThrow(/out of shard order/);
    expect(() => t.add(['4'])).toThrow(/out of shard order/);
    expect(() => t.add(['7', '6'])).toThrow(/out of shard order/);
  });

  it('keeps 128-bit positions exact', () => {
    const t = tracker();
    const a = '340282366920938463463374607431768211453';
    const b = '340282366920938463463374607431768211454';
    const c = '340282366920938463463374607431768211455';
    t.add([a, b, c]);
    t.settle([c, a]);
    expect(t.checkpoint()).toBe(a);
    t.settle([b]);
    expect(t.checkpoint()).toBe(c);
  });

  it('stays correct across many positions settled in order (queue compaction)', () => {
    const t = tracker();
    const positions = Array.from({ length: 5000 }, (_, i) => String(1000 + i));
    t.add(positions);
    for (const p of positions) t.settle([p]);
    expect(t.checkpoint()).toBe('5999');
    expect(t.pending).toBe(0);
    t.add(['6000', '6001']);
    t.settle(['6001']);
    expect(t.checkpoint()).toBe('5999');
    t.settle(['6000']);
    expect(t.checkpoint()).toBe('6001');
  });

  it('with parallelization sub-lanes completing out of order, never passes an unsettled record', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const factor = 4;
    const records = Array.from({ length: 400 }, (_, i) => ({ position: String(10n ** 30n + BigInt(i) * 7n), key: `key-${Math.floor(random() * 25)}` }));
    const t = tracker();
    t.add(records.map((r) => r.position));
    // Per-lane queues in shard order; lanes advance by random batch sizes in random interleavings.
    const lanes = Array.from({ length: factor }, () => [] as { position: string; key: string }[]);
    for (const r of records) lanes[partitionLane(r.key, factor)]?.push(r);
    const settled = new Set<string>();
    while (lanes.some((lane) => lane.length > 0)) {
      const lane = lanes[Math.floor(random() * factor)];
      if (lane === undefined || lane.length === 0) continue;
      const batch = lane.splice(0, 1 + Math.floor(random() * 10));
      t.settle(batch.map((r) => r.position));
      for (const r of batch) settled.add(r.position);
      const checkpoint = t.checkpoint();
      // Every record at or below the checkpoint is settled; the next record after it is not.
      const upTo = checkpoint === null ? -1 : records.findIndex((r) => r.position === checkpoint);
      for (const r of records.slice(0, upTo + 1)) expect(settled.has(r.position)).toBe(true);
      const next = records[upTo + 1];
      if (next !== undefined) expect(settled.has(next.position)).toBe(false);
      expect(t.pending).toBe(records.length - settled.size);
      expect(t.blocked).toBe(settled.size - (upTo + 1));
      // A redelivered settlement of a batch (some now below the checkpoint, some held above it) changes nothing.
      t.settle(batch.map((r) => r.position));
      expect(t.checkpoint()).toBe(checkpoint);
    }
    expect(t.checkpoint()).toBe(records[records.length - 1]?.position);
  });
});
