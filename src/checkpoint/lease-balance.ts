/**
 * Balancing by measured load, as KCL 3.x does (its worker-utilisation-aware assignment; here the load of a lease is
 * the records per second its owner measured on the shard, stored with each renewal). Pure: no I/O, no clock.
 *
 * A lease counts at least `MIN_LEASE_LOAD`, so idle shards still spread (an idle stream balances by count). The
 * busiest worker gives one lease to this worker when it carries more than the average by `threshold` (10 %, KCL 3.x's
 * default variance threshold) and this worker carries less than the average: the lease whose move leaves the busier
 * of the two lightest (the smaller lease on a tie: less to hand over), if that is lighter than the busiest was.
 */
import type { ShardLease } from './types.js';

/** Records per second a lease counts for at least. */
export const MIN_LEASE_LOAD = 1;
/** How far above the average the busiest worker must be before a lease moves (KCL 3.x: 10 %). */
export const LOAD_THRESHOLD = 0.1;

export function leaseLoad(lease: ShardLease): number {
  return Math.max(MIN_LEASE_LOAD, lease.throughput);
}

/** True when any lease reports a measured throughput above the floor (otherwise balance by count). */
export function hasLoad(leases: readonly ShardLease[]): boolean {
  return leases.some((lease) => lease.throughput > MIN_LEASE_LOAD);
}

export interface LoadMove {
  readonly lease: ShardLease;
  readonly from: string;
}

/**
 * The one lease to move to `workerId` this cycle, or null when the load is balanced enough. `byWorker` holds every
 * live worker's active leases (this worker's included, possibly empty).
 */
export function chooseLoadMove(workerId: string, byWorker: ReadonlyMap<string, readonly ShardLease[]>, threshold = LOAD_THRESHOLD): LoadMove | null {
  const loads = new Map<string, number>();
  for (const [worker, leases] of byWorker) loads.set(worker, leases.reduce((sum, lease) => sum + leaseLoad(lease), 0));
  if (!loads.has(workerId)) loads.set(workerId, 0);
  const total = [...loads.values()].reduce((a, b) => a + b, 0);
  const average = total / loads.size;
  const mine = loads.get(workerId) ?? 0;
  let busiest: string | null = null;
  for (const [worker, load] of loads) if (worker !== workerId && (busiest === null || load > (loads.get(busiest) ?? 0))) busiest = worker;
  if (busiest === null) return null;
  const busiestLoad = loads.get(busiest) ?? 0;
  if (busiestLoad <= average * (1 + threshold) || mine >= average) return null;
  let best: { lease: ShardLease; score: number } | null = null;
  for (const lease of byWorker.get(busiest) ?? []) {
    const load = leaseLoad(lease);
    const score = Math.max(busiestLoad - load, mine + load);
    // The move must make the heavier of the two lighter than the busiest was: otherwise it only swaps roles.
    if (score >= busiestLoad) continue;
    if (best === null || score < best.score || (score === best.score && load < leaseLoad(best.lease))) best = { lease, score };
  }
  return best === null ? null : { lease: best.lease, from: busiest };
}

/** Weight of the newest rate in the smoothed throughput (an exponentially weighted moving average). */
const THROUGHPUT_SMOOTHING = 0.3;

/** The smoothed records per second after `settled` records in `elapsedMs` (rounded to hundredths for storage). */
export function smoothedThroughput(previous: number, settled: number, elapsedMs: number): number {
  const rate = settled / Math.max(0.001, elapsedMs / 1000);
  const next = previous === 0 ? rate : previous * (1 - THROUGHPUT_SMOOTHING) + rate * THROUGHPUT_SMOOTHING;
  return Math.round(next * 100) / 100;
}
