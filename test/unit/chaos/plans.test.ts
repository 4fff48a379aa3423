import { describe, expect, it } from 'vitest';
import { duplicateBound } from '../../chaos/bound.ts';
import { planFaults, poisonSteps, spacingWaitMs } from '../../chaos/fault-plan.ts';
import { planRecords } from '../../chaos/records.ts';
import { seededRandom } from '../../support/seeded-random.ts';

const faults = { kills: 5, sigterms: 1, brokerRestarts: 1, killsInRetry: 1, takeovers: 1, leaseDownAtStart: 1, maxDelayMs: 1000 };

describe('spacingWaitMs', () => {
  it('waits out what is left of the spacing since the previous fault, and nothing before the first or after it passed', () => {
    expect(spacingWaitMs(null, 10_000, 5_000)).toBe(0);
    expect(spacingWaitMs(1_000, 10_000, 4_000)).toBe(7_000);
    expect(spacingWaitMs(1_000, 10_000, 11_000)).toBe(0);
    expect(spacingWaitMs(1_000, 0, 1_000)).toBe(0);
  });
});

describe('planFaults', () => {
  it('is the same for the same seed, with every planned fault once and the LATEST crash first', () => {
    const a = planFaults({ ...faults, latestGap: true, random: seededRandom(7) });
    const b = planFaults({ ...faults, latestGap: true, random: seededRandom(7) });
    expect(a).toEqual(b);
    expect(a[0]?.kind).toBe('latest-gap');
    const count = (kind: string): number => a.filter((s) => s.kind === kind).length;
    expect([count('kill'), count('sigterm'), count('broker-restart'), count('kill-in-retry'), count('takeover'), count('lease-down-at-start')]).toEqual([5, 1, 1, 1, 1, 1]);
    expect(a.every((s) => s.delayMs >= 0 && s.delayMs <= 1000)).toBe(true);
    expect(planFaults({ ...faults, latestGap: true, random: seededRandom(8) })).not.toEqual(a);
  });

  it('puts the poison record in the chunk of each kill aimed at its retries, else in one random later step', () => {
    const steps = planFaults({ ...faults, latestGap: false, random: seededRandom(3) });
    expect(poisonSteps(steps, seededRandom(1))).toEqual([steps.findIndex((s) => s.kind === 'kill-in-retry')]);
    const queueSteps = planFaults({ ...faults, killsInRetry: 0, latestGap: false, random: seededRandom(3) });
    const [only] = poisonSteps(queueSteps, seededRandom(1));
    expect(only).toBeGreaterThanOrEqual(1);
    expect(only).toBeLessThan(queueSteps.length);
  });
});

describe('planRecords', () => {
  it('numbers each key in production order and puts poison records, then their neighbours on the same key, first in their chunk', () => {
    const plan = planRecords({ count: 100, keys: 5, chunks: 4, poisonChunks: [2], neighbours: 1, transientFraction: 0.1, random: seededRandom(5) });
    expect(plan.records).toHaveLength(100);
    expect(plan.chunks.flat()).toEqual(plan.records);
    const [poison] = plan.poison;
    const chunk = plan.chunks[2] ?? [];
    expect(chunk[0]?.id).toBe(poison);
    expect(plan.neighbours).toEqual([chunk[1]?.id]);
    expect(chunk[1]?.key).toBe(chunk[0]?.key);
    for (const key of new Set(plan.records.map((r) => r.key))) {
      expect(plan.records.filter((r) => r.key === key).map((r) => r.seq)).toEqual([...Array(plan.records.filter((r) => r.key === key).length).keys()]);
    }
    expect(plan.transient.every((id) => !plan.poison.includes(id))).toBe(true);
  });
});

describe('duplicateBound', () => {
  it('allows the in-flight work of every crash and broker restart, and one batch per lease move', () => {
    const bound = duplicateBound({ inFlight: 80, batchSize: 20, kills: 3, unexpectedExits: 1, stallKills: 0, brokerRestarts: 2, leaseMoves: 4 });
    expect(bound.total).toBe((3 + 1 + 2) * 80 + 4 * 20);
    expect(bound.explanation).toContain('= 560');
  });
});
