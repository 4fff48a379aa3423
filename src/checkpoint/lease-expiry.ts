/**
 * Expiry as the Kinesis Client Library judges it (`DynamoDBLeaseTaker.updateAllLeases`): a lease is expired when its
 * owner is set and its counter has not moved for the lease duration, measured on *this* worker's clock from the
 * moment it saw the counter change. No clock is shared between workers, so clock skew does not matter.
 *
 * A lease seen for the first time counts as just renewed if it has an owner (so a worker that starts never steals a
 * healthy lease right away), and as long expired if it has none. Pure: no I/O; the time comes in as an argument.
 */
import type { ShardLease } from './types.js';

interface Observation {
  readonly owner: string | null;
  readonly counter: number;
  readonly changedAtMs: number;
}

export class LeaseExpiryTracker {
  readonly #leaseDurationMs: number;
  #seen = new Map<string, Observation>();

  constructor(leaseDurationMs: number) {
    this.#leaseDurationMs = leaseDurationMs;
  }

  /** Records a listing taken at `nowMs` and returns the shards whose lease is expired. Forgets shards not listed. */
  observe(leases: readonly ShardLease[], nowMs: number): ReadonlySet<string> {
    const next = new Map<string, Observation>();
    const expired = new Set<string>();
    for (const lease of leases) {
      const before = this.#seen.get(lease.shardId);
      const changed = before === undefined || before.counter !== lease.counter || before.owner !== lease.owner;
      const changedAtMs = !changed ? before.changedAtMs : before === undefined && lease.owner === null ? Number.NEGATIVE_INFINITY : nowMs;
      next.set(lease.shardId, { owner: lease.owner, counter: lease.counter, changedAtMs });
      if (lease.owner !== null && nowMs - changedAtMs >= this.#leaseDurationMs) expired.add(lease.shardId);
    }
    this.#seen = next;
    return expired;
  }
}
