// Balancing by measured load (KCL 3.x): which lease moves, and when nothing should.
import { describe, expect, it } from 'vitest';
import { chooseLoadMove, hasLoad } from '../../../src/checkpoint/lease-balance.js';
import { newLease } from '../../../src/checkpoint/lease-transitions.js';
import type { ShardLease } from '../../../src/checkpoint/types.js';

const lease = (shardId: string, owner: string, throughput: number): ShardLease => ({ ...newLease('p', { shardId, parentShardIds: [] }), owner, counter: 3, throughput });

function workers(spec: Record<string, number[]>): Map<string, ShardLease[]> {
  return new Map(Object.entries(spec).map(([worker, loads]) => [worker, loads.map((load, i) => lease(`${worker}-${i}`, worker, load))]));
}

describe('chooseLoadMove', () => {
  it('moves the lease that evens out the busiest worker and this one', () => {
    // A: 900 + 100 + 100 (1100), B: 100. Moving 900 or 100 both leave the busier at 1000: the smaller one moves.
    const move = chooseLoadMove('B', workers({ A: [900, 100, 100], B: [100] }));
    expect(move?.from).toBe('A');
    expect(move?.lease.throughput).toBe(100);
  });

  it('picks the lease that leaves the busier of the two lightest', () => {
    // A: 500 + 300 + 100 + 50 = 950, B: 50. Moving 500 leaves 450 / 550, 300 leaves 650 / 350, 100 leaves 850 / 150.
    expect(chooseLoadMove('B', workers({ A: [500, 300, 100, 50], B: [50] }))?.lease.throughput).toBe(500);
  });

  it('does nothing within the threshold, or when this worker is not below the average', () => {
    expect(chooseLoadMove('B', workers({ A: [105], B: [100] }))).toBeNull();
    expect(chooseLoadMove('A', workers({ A: [900], B: [100] }))).toBeNull();
  });

  it('counts an idle lease as a little load, so idle shards still spread', () => {
    const move = chooseLoadMove('B', workers({ A: [0, 0, 0, 0], B: [] }));
    expect(move?.from).toBe('A');
  });

  it('hasLoad: only leases above the floor count as measured', () => {
    expect(hasLoad([lease('s', 'A', 0), lease('t', 'A', 1)])).toBe(false);
    expect(hasLoad([lease('s', 'A', 0), lease('t', 'A', 30)])).toBe(true);
  });
});
