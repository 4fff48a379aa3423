// Pure lease decisions (KCL 2.x lease-count balancing) and expiry tracking: table-driven cases, then whole
// clusters simulated cycle by cycle on an in-memory table with a fake clock.

import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../support/seeded-random.ts';
import { decideLeases, type LeaseDecisionInput } from '../../../src/checkpoint/lease-decisions.ts';
import { LeaseExpiryTracker } from '../../../src/checkpoint/lease-expiry.ts';
import { newLease, renewLease, takeLease } from '../../../src/checkpoint/lease-transitions.ts';
import { SHARD_END, type ShardLease } from '../../../src/checkpoint/types.ts';


const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);

function lease(shardId: string, fields: Partial<ShardLease> = {}): ShardLease {
  return { ...newLease('p', { shardId, parentShardIds: [] }), ...fields };
}

/** `owners` like 'AAB-' : shard i owned by A, A, B, free. */
function table(owners: string): ShardLease[] {
  return [...owners].map((o, i) => lease(`s${String(i).padStart(2, '0')}`, o === '-' ? {} : { owner: o, counter: 5 }));
}

function decide(input: Partial<LeaseDecisionInput> & Pick<LeaseDecisionInput, 'leases'>) {
  const workerId = input.workerId ?? 'A';
  const held = input.held ?? new Set(input.leases.filter((l) => l.owner === workerId).map((l) => l.shardId));
  return decideLeases({
    workerId,
    held,
    expired: new Set(),
    maxLeasesToTake: Number.POSITIVE_INFINITY,
    maxLeasesToSteal: 1,
    maxLeasesForWorker: Number.POSITIVE_INFINITY,
    random: seeded(1),
    ...input,
  });
}

const summary = (d: ReturnType<typeof decide>) => d.actions.map((a) => (a.kind === 'steal' ? `steal ${a.shardId} from ${a.from}` : `take ${a.shardId} (${a.reason})`)).sort();

describe('decideLeases', () => {
  it.each([
    { name: 'fresh start: one worker takes every free lease', owners: '--------', me: 'A', takes: 8, steals: 0, target: 8 },
    { name: 'fresh start with a take cap', owners: '--------', me: 'A', cap: 3, takes: 3, steals: 0, target: 8 },
    { name: 'a joining worker steals one from the worker above target', owners: 'AAAAAAAA', me: 'B', takes: 0, steals: 1, target: 4 },
    { name: 'balanced 4/4: nothing to do', owners: 'AAAABBBB', me: 'B', takes: 0, steals: 0, target: 4 },
    { name: '9 over 2 at 5/4: nothing (the busiest is at target, we need one)', owners: 'AAAAABBBB', me: 'B', takes: 0, steals: 0, target: 5 },
    { name: '7 over 3 at 3/3/1: steal one (busiest at target, we need two)', owners: 'AAABBBC', me: 'C', takes: 0, steals: 1, target: 3 },
    { name: '7 over 3 at 3/2/2: stable', owners: 'AAABBCC', me: 'C', takes: 0, steals: 0, target: 3 },
    { name: 'free leases first, no steal while any is available', owners: 'AAAAAA--', me: 'B', takes: 2, steals: 0, target: 4 },
    { name: 'a worker above target takes nothing more', owners: 'AAAAAB--', me: 'A', takes: 0, steals: 0, target: 4 },
    { name: 'maxLeasesForWorker caps the target', owners: '--------', me: 'A', max: 2, takes: 2, steals: 0, target: 2 },
  ])('$name', ({ owners, me, cap, max, takes, steals, target }) => {
    const d = decide({
      workerId: me,
      leases: table(owners),
      ...(cap === undefined ? {} : { maxLeasesToTake: cap }),
      ...(max === undefined ? {} : { maxLeasesForWorker: max }),
    });
    expect(d.target).toBe(target);
    expect(d.actions.filter((a) => a.kind === 'take')).toHaveLength(takes);
    expect(d.actions.filter((a) => a.kind === 'steal')).toHaveLength(steals);
  });

  it('takes with the listed counter and says why', () => {
    const leases = [lease('s0', { counter: 7 }), lease('s1', { owner: 'B', counter: 3 })];
    const d = decide({ leases, expired: new Set(['s1']) });
    expect(d.workers).toEqual(['A']);
    expect(d.actions).toEqual(expect.arrayContaining([
      { kind: 'take', shardId: 's0', expectedCounter: 7, reason: 'free', previousOwner: null },
      { kind: 'take', shardId: 's1', expectedCounter: 3, reason: 'expired', previousOwner: 'B' },
    ]));
  });

  it("an expired worker's leases are taken, and it no longer counts as a live worker", () => {
    const d = decide({ leases: table('AAAABBBB'), expired: new Set(['s04', 's05', 's06', 's07']) });
    expect(d.workers).toEqual(['A']);
    expect(d.target).toBe(8);
    expect(summary(d)).toEqual(['take s04 (expired)', 'take s05 (expired)', 'take s06 (expired)', 'take s07 (expired)']);
  });

  it('leases the table says are ours but that we do not hold (restart with the same id) are reclaimed first', () => {
    const d = decide({ leases: table('AA--'), held: new Set(), maxLeasesToTake: 2 });
    expect(summary(d)).toEqual(['take s00 (orphan)', 'take s01 (orphan)']);
  });

  it('a steal names the most loaded worker and its counter', () => {
    const leases = table('AAAAAABB').map((l) => (l.owner === 'A' ? { ...l, counter: 40 } : l));
    const d = decide({ workerId: 'C', leases });
    expect(d.target).toBe(3);
    expect(d.actions).toHaveLength(1);
    expect(d.actions[0]).toMatchObject({ kind: 'steal', from: 'A', expectedCounter: 40 });
  });

  describe('resharding: parents before children', () => {
    const parent = (checkpoint: string | null, owner: string | null = null): ShardLease => lease('parent', { checkpoint, owner });
    const child = lease('child', { parentShardIds: ['parent'] });
    const merged = lease('merged', { parentShardIds: ['parent', 'other'] });

    it.each([
      { name: 'parent still open: only the parent is taken', leases: [parent(null), child], taken: ['parent'] },
      { name: 'parent being read by another worker: nothing for the child', leases: [parent('10', 'B'), child], taken: [] },
      { name: 'parent at SHARD_END: the child is taken, the parent is not', leases: [parent(SHARD_END), child], taken: ['child'] },
      { name: 'parent without a lease (trimmed): the child is taken', leases: [child], taken: ['child'] },
      {
        name: 'merge: one parent done, the other not',
        leases: [parent(SHARD_END), lease('other', { checkpoint: '5', owner: 'B' }), merged],
        taken: [],
      },
      { name: 'merge: both parents done', leases: [parent(SHARD_END), lease('other', { checkpoint: SHARD_END }), merged], taken: ['merged'] },
    ])('$name', ({ leases, taken }) => {
      const d = decide({ leases });
      expect(d.actions.map((a) => a.shardId).sort()).toEqual(taken);
    });

    it('SHARD_END leases are never taken, even expired, and do not count toward the target', () => {
      const leases = [
        lease('done-free', { checkpoint: SHARD_END }),
        lease('done-expired', { checkpoint: SHARD_END, owner: 'B', counter: 9 }),
        lease('open-1', { owner: 'B' }),
        lease('open-2'),
      ];
      const d = decide({ leases, expired: new Set(['done-expired']) });
      expect(d.active).toBe(2);
      expect(d.target).toBe(1);
      expect(summary(d)).toEqual(['take open-2 (free)']);
    });
  });

  it('is deterministic for the same input and seed, whatever the listing order', () => {
    const leases = table('--------AAAA');
    const a = decide({ workerId: 'B', leases, maxLeasesToTake: 3, random: seeded(42) });
    const b = decide({ workerId: 'B', leases: [...leases].reverse(), maxLeasesToTake: 3, random: seeded(42) });
    expect(a).toEqual(b);
  });
});

describe('LeaseExpiryTracker', () => {
  it('a lease is expired once its counter has not moved for the lease duration, by our clock', () => {
    const tracker = new LeaseExpiryTracker(1000);
    const owned = lease('s', { owner: 'B', counter: 1 });
    expect(tracker.observe([owned, lease('free')], 0)).toEqual(new Set());
    expect(tracker.observe([owned], 999)).toEqual(new Set());
    expect(tracker.observe([{ ...owned, counter: 2 }], 1500)).toEqual(new Set());
    expect(tracker.observe([{ ...owned, counter: 2 }], 2499)).toEqual(new Set());
    expect(tracker.observe([{ ...owned, counter: 2 }], 2500)).toEqual(new Set(['s']));
    // A new owner restarts the clock even at the same counter value.
    expect(tracker.observe([{ ...owned, counter: 2, owner: 'C' }], 2600)).toEqual(new Set());
  });
});

/** A whole cluster on an in-memory table: every worker lists, decides and takes, then renews, once per cycle. */
function simulate(shards: number, workers: string[], options: { cycles: number; crashAt?: { worker: string; cycle: number }; startWith?: string }) {
  const durationMs = 1000;
  let rows = options.startWith === undefined ? ids(shards).map((id) => lease(id)) : table(options.startWith);
  const random = seeded(7);
  const state = new Map(workers.map((w) => [w, { held: new Set(rows.filter((r) => r.owner === w).map((r) => r.shardId)), expiry: new LeaseExpiryTracker(durationMs) }]));
  const history: Record<string, number>[] = [];
  for (let cycle = 0; cycle < options.cycles; cycle += 1) {
    const now = cycle * durationMs;
    for (const [worker, s] of state) {
      if (options.crashAt?.worker === worker && cycle >= options.crashAt.cycle) continue;
      const expired = s.expiry.observe(rows, now);
      for (const id of s.held) if (rows.find((r) => r.shardId === id)?.owner !== worker) s.held.delete(id);
      const d = decideLeases({ workerId: worker, leases: rows, held: s.held, expired, maxLeasesToTake: 100, maxLeasesToSteal: 1, maxLeasesForWorker: 100, random });
      for (const action of d.actions) {
        const next = takeLease(rows.find((r) => r.shardId === action.shardId), worker, action.expectedCounter);
        if (next.kind === 'ok') {
          rows = rows.map((r) => (r.shardId === action.shardId ? next.lease : r));
          s.held.add(action.shardId);
        }
      }
      // Renewals (three per cycle in the real manager; one is enough to keep the counter moving here).
      rows = rows.map((r) => {
        const renewed = r.owner === worker ? renewLease(r, worker) : null;
        return renewed?.kind === 'ok' ? renewed.lease : r;
      });
    }
    const counts: Record<string, number> = {};
    for (const r of rows) if (r.owner !== null) counts[r.owner] = (counts[r.owner] ?? 0) + 1;
    history.push(counts);
  }
  return history;
}

describe('cluster simulation', () => {
  it('two workers starting together over 8 shards converge to 4/4 and stay there', () => {
    const history = simulate(8, ['A', 'B'], { cycles: 12 });
    expect(history.at(-1)).toEqual({ A: 4, B: 4 });
    expect(history.slice(-4)).toEqual(Array.from({ length: 4 }, () => ({ A: 4, B: 4 })));
  });

  it('a worker joining one that holds all 8 reaches 4/4 in four cycles, one steal per cycle', () => {
    const history = simulate(8, ['A', 'B'], { cycles: 6, startWith: 'AAAAAAAA' });
    expect(history.map((h) => h['B'] ?? 0)).toEqual([1, 2, 3, 4, 4, 4]);
  });

  it("after a crash, the survivor takes the dead worker's leases once they expire", () => {
    const history = simulate(8, ['A', 'B'], { cycles: 12, crashAt: { worker: 'A', cycle: 6 } });
    expect(history[5]).toEqual({ A: 4, B: 4 });
    // B last saw A's counters move at cycle 5; at cycle 6 they have stood still for one lease duration.
    expect(history[6]).toEqual({ B: 8 });
    expect(history.at(-1)).toEqual({ B: 8 });
  });

  it('three workers over 10 shards settle at 4/3/3', () => {
    const history = simulate(10, ['A', 'B', 'C'], { cycles: 15 });
    expect(Object.values(history.at(-1) ?? {}).sort()).toEqual([3, 3, 4]);
    expect(history.at(-1)).toEqual(history.at(-2));
  });
});
