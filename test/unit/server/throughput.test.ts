import { describe, expect, it } from 'vitest';
import { zeroTotals, type CounterTotals } from '../../../src/server/metric-readings.js';
import { ThroughputSampler } from '../../../src/server/throughput.js';

describe('ThroughputSampler', () => {
  it('computes per-second rates over the window from sampled totals', async () => {
    let now = 0;
    let polled = 0;
    const totals = (): Map<string, CounterTotals> => new Map([['p', { ...zeroTotals(), polled, invoked: polled * 2 }]]);
    const sampler = new ThroughputSampler({ read: async () => totals(), intervalMs: 2000, windowMs: 10_000, now: () => now });
    for (let i = 0; i < 4; i += 1) {
      await sampler.sample();
      now += 2000;
      polled += 20; // 10 events per second
    }
    const rates = sampler.rates('p', totals().get('p') ?? zeroTotals(), now);
    expect(rates.windowSeconds).toBe(8);
    expect(rates.perSecond.polled).toBe(10);
    expect(rates.perSecond.invoked).toBe(20);
    expect(rates.polledSeries).toEqual([10, 10, 10, 10]);
  });

  it('reports nothing before a first sample, and drops samples older than the window', async () => {
    let now = 0;
    const sampler = new ThroughputSampler({ read: async () => new Map([['p', zeroTotals()]]), intervalMs: 1000, windowMs: 2000, now: () => now });
    expect(sampler.rates('p', zeroTotals(), 0)).toEqual({ windowSeconds: 0, perSecond: zeroTotals(), polledSeries: [] });
    await sampler.sample();
    now = 10_000;
    expect(sampler.rates('p', { ...zeroTotals(), polled: 100 }, now).windowSeconds).toBe(0);
  });
});
