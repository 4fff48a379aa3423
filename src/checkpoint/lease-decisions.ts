/**
 * Which leases this worker should take or steal: a pure function of the lease table (no I/O, no clock; randomness
 * injected). It follows the lease-count balancing of the Kinesis Client Library 2.x (`DynamoDBLeaseTaker`, still
 * KCL 3.x's `LEASE_COUNT_BASED` strategy):
 *
 * - live workers are this worker plus the owners of leases that are not expired;
 * - target = ceil(active leases / live workers), capped by `maxLeasesForWorker`;
 * - below target, take free, expired and orphaned leases (shuffled, so workers started together contend less);
 * - only when none are available, steal from the most loaded worker: when it is above target, or at target while
 *   we need more than one (KCL's rule, so 3 workers over 7 shards settle at 3/2/2 instead of thrashing).
 *
 * Resharding (KCL's lease lifecycle, https://github.com/awslabs/amazon-kinesis-client/blob/master/docs/lease-lifecycle.md):
 * a lease at SHARD_END is done and never taken; a child becomes eligible only once every parent is at SHARD_END.
 * A parent without a lease counts as done (KCL treats it as trimmed).
 */
import { chooseLoadMove, hasLoad } from './lease-balance.js';
import { SHARD_END, type ShardLease } from './types.js';

export interface LeaseDecisionInput {
  /** This worker's id (the `owner` it writes). */
  readonly workerId: string;
  /** Every lease of the pipeline, as just listed. */
  readonly leases: readonly ShardLease[];
  /**
   * Shards this worker holds right now (renews, runs lanes for). A lease the table says is ours but that is not held
   * here (a restart with the same worker id, or a renewal that gave up) is an orphan: taken back like a free one.
   */
  readonly held: ReadonlySet<string>;
  /** Shards whose owner has not renewed for at least the lease duration, by this worker's clock (LeaseExpiryTracker). */
  readonly expired: ReadonlySet<string>;
  /** Cap on takes of free, expired or orphaned leases per cycle. */
  readonly maxLeasesToTake: number;
  /** Cap on steals per cycle (KCL's `maxLeasesToStealAtOneTime`, default 1). */
  readonly maxLeasesToSteal: number;
  /** Cap on the leases one worker holds (KCL's `maxLeasesForWorker`). */
  readonly maxLeasesForWorker: number;
  /** Uniform in [0, 1); used for shuffles and tie-breaks only. */
  readonly random: () => number;
  /**
   * Steal by measured load (lease-balance.ts, KCL 3.x) rather than by lease count, when the leases report their
   * throughput. Default false (KCL 2.x's count).
   */
  readonly balanceByLoad?: boolean;
}

/** Why a lease nobody else is actively holding is taken. */
export type TakeReason = 'free' | 'expired' | 'orphan';

export type LeaseAction =
  | {
      readonly kind: 'take';
      readonly shardId: string;
      /** The counter the conditional take expects (as listed). */
      readonly expectedCounter: number;
      readonly reason: TakeReason;
      readonly previousOwner: string | null;
    }
  | { readonly kind: 'steal'; readonly shardId: string; readonly expectedCounter: number; readonly from: string };

export interface LeaseDecision {
  readonly actions: readonly LeaseAction[];
  /** How many leases each worker should hold. */
  readonly target: number;
  /** Live workers, this one included, sorted. */
  readonly workers: readonly string[];
  /** Leases counted as this worker's (held and owned in the table). */
  readonly owned: number;
  /** Leases that can be worked on: not at SHARD_END, and eligible or already owned. */
  readonly active: number;
}

type Status = 'free' | 'expired' | 'orphan' | 'mine' | 'other';

/** True when `lease` may start: every parent is at SHARD_END or has no lease any more. */
export function parentsDone(lease: ShardLease, byId: ReadonlyMap<string, ShardLease>): boolean {
  return lease.parentShardIds.every((parent) => {
    const row = byId.get(parent);
    return row === undefined || row.checkpoint === SHARD_END;
  });
}

/** Decides this cycle's takes and steals. Deterministic for the same input and `random` sequence. */
export function decideLeases(input: LeaseDecisionInput): LeaseDecision {
  const sorted = [...input.leases].sort((a, b) => compareIds(a.shardId, b.shardId));
  const byId = new Map(sorted.map((lease) => [lease.shardId, lease]));
  const active = sorted.filter((lease) => lease.checkpoint !== SHARD_END && (lease.owner !== null || parentsDone(lease, byId)));

  const status = (lease: ShardLease): Status => {
    if (lease.owner === null) return 'free';
    if (lease.owner === input.workerId) return input.held.has(lease.shardId) ? 'mine' : 'orphan';
    return input.expired.has(lease.shardId) ? 'expired' : 'other';
  };

  const load = new Map<string, ShardLease[]>();
  let owned = 0;
  const available: Record<TakeReason, ShardLease[]> = { orphan: [], expired: [], free: [] };
  for (const lease of active) {
    const s = status(lease);
    if (s === 'mine') owned += 1;
    else if (s === 'other' && lease.owner !== null) load.set(lease.owner, [...(load.get(lease.owner) ?? []), lease]);
    else if (s !== 'other' && parentsDone(lease, byId)) available[s].push(lease);
  }

  const workers = [input.workerId, ...load.keys()].sort(compareIds);
  const summaryOnly = { target: 0, workers, owned, active: active.length };
  if (input.balanceByLoad === true && hasLoad(active) && available.free.length + available.expired.length + available.orphan.length === 0) {
    // Balance by load: at most one lease moves per cycle, from the busiest worker to this one when that evens them out.
    const mine = active.filter((lease) => status(lease) === 'mine');
    const move = chooseLoadMove(input.workerId, new Map([...load, [input.workerId, mine]]));
    const actions: LeaseAction[] =
      move === null || owned >= input.maxLeasesForWorker || input.maxLeasesToSteal < 1
        ? []
        : [{ kind: 'steal', shardId: move.lease.shardId, expectedCounter: move.lease.counter, from: move.from }];
    return { ...summaryOnly, target: Math.min(Math.ceil(active.length / workers.length), input.maxLeasesForWorker), actions };
  }
  const target = active.length === 0 ? 0 : Math.min(Math.ceil(active.length / workers.length), input.maxLeasesForWorker);
  const need = target - owned;
  const summary = { target, workers, owned, active: active.length };
  if (need <= 0) return { ...summary, actions: [] };

  // Orphans first (they are ours already), then expired leases (their shard is stalled), then free ones.
  const candidates = (['orphan', 'expired', 'free'] as const).flatMap((reason) =>
    shuffle(available[reason], input.random).map((lease) => ({ lease, reason })),
  );
  if (candidates.length > 0) {
    const actions = candidates.slice(0, Math.max(0, Math.min(need, input.maxLeasesToTake))).map(({ lease, reason }): LeaseAction => ({
      kind: 'take',
      shardId: lease.shardId,
      expectedCounter: lease.counter,
      reason,
      previousOwner: lease.owner,
    }));
    return { ...summary, actions };
  }
  return { ...summary, actions: steal(load, target, need, input) };
}

/** KCL's `chooseLeasesToSteal`: from the most loaded worker, only when that helps the balance. */
function steal(load: ReadonlyMap<string, readonly ShardLease[]>, target: number, need: number, input: LeaseDecisionInput): LeaseAction[] {
  let maxLoad = 0;
  let busiest: string[] = [];
  for (const [worker, leases] of load) {
    if (leases.length > maxLoad) {
      maxLoad = leases.length;
      busiest = [worker];
    } else if (leases.length === maxLoad) {
      busiest.push(worker);
    }
  }
  const victim = pick(busiest, input.random);
  if (victim === undefined) return [];
  let count: number;
  if (maxLoad > target) count = Math.min(maxLoad - target, need, input.maxLeasesToSteal);
  else if (maxLoad === target && need > 1) count = Math.min(1, input.maxLeasesToSteal);
  else count = 0;
  const leases = shuffle(load.get(victim) ?? [], input.random).slice(0, Math.max(0, count));
  return leases.map((lease) => ({ kind: 'steal', shardId: lease.shardId, expectedCounter: lease.counter, from: victim }));
}

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))];
}

/** Fisher–Yates on a copy. */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    const a = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = a;
  }
  return copy;
}

/** UTF-8 byte order, the order DynamoDB sorts string keys in. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
