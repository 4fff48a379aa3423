/**
 * The lease driver of one pipeline on one instance, in the style of the Kinesis Client Library's LeaseCoordinator:
 *
 * - a **renewer** on its own timer every `leaseDurationMs / 3` (KCL: failoverTime / 3) increments the counter of
 *   every held lease. It never waits for delivery, so a slow handler cannot let a lease expire (bento PR #1012:
 *   "lease renewal must not share a code path with delivery"). A lease whose renewals have failed for a whole lease
 *   duration is given up locally, since other instances may take it by then (KCL's LeaseRenewer does the same);
 * - a **taker** every `leaseDurationMs` lists the table, judges expiry by counters that stopped moving
 *   (lease-expiry.ts), and takes free, expired and orphaned leases or steals one to balance (lease-decisions.ts);
 * - **fencing**: `checkpoint` goes through the store's conditional write; LEASE_LOST stops the lane (`onLost`) and
 *   is rethrown, so a zombie never moves a checkpoint;
 * - **graceful hand-over**: the pipeline writes its final checkpoint, then `release`s (or `stop()` releases all
 *   remaining leases), so another instance takes them at its next cycle instead of waiting for expiry;
 * - **no steal from a worker that answers** (KCL 3.x): to balance, a worker asks for a lease (`requestHandoff`); the
 *   owner sees the request at its next listing, lets the shard's lane finish and checkpoint its batch
 *   (`onHandoffRequested`), then transfers the lease — so the batch in flight is not delivered twice. Only an owner
 *   that stopped renewing has its lease taken without asking (expiry). Balancing is by measured load (records per
 *   second of each shard, stored with the renewals), falling back to lease count while shards report none.
 *
 * Lifecycle: idle → running → stopping → stopped; `stop()` is awaitable and idempotent.
 */
import { TributaryError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { smoothedThroughput } from './lease-balance.js';
import { askForLease, type HandoffDeps } from './lease-handoff.js';
import { decideLeases, type LeaseDecision } from './lease-decisions.js';
import { LeaseExpiryTracker } from './lease-expiry.js';
import type { CheckpointStore, CheckpointUpdate, NewShard, ShardLease } from './types.js';

/** KCL's default failoverTimeMillis. */
export const DEFAULT_LEASE_DURATION_MS = 10_000;

export type LeaseLostReason =
  /** A renewal found another owner (stolen, or taken after expiry). */
  | 'renewal-refused'
  /** Renewals failed (store unreachable) for a whole lease duration: others may hold it now. */
  | 'renewal-expired'
  /** A listing showed another owner (or none). */
  | 'taken-by-other'
  /** The lease row is gone (`remove`). */
  | 'removed'
  /** A checkpoint write was refused: fenced. */
  | 'checkpoint-refused';

export type LeaseManagerState = 'idle' | 'running' | 'stopping' | 'stopped';

export interface LeaseManagerOptions {
  readonly store: CheckpointStore;
  readonly pipeline: string;
  /** This instance's id, the `owner` written to the table; unique per process (see createWorkerId). */
  readonly workerId: string;
  /** A lease was taken: start the shard's lane from `lease.checkpoint` with `lease.attempt`. Must not throw. */
  readonly onAcquired: (lease: ShardLease) => void;
  /** A lease is no longer ours: stop the lane now, without checkpointing (it would be refused). Must not throw. */
  readonly onLost: (shardId: string, reason: LeaseLostReason) => void;
  /**
   * Another worker asked for this lease: stop the shard's lane gracefully (finish the batch in flight, write the
   * final checkpoint) and resolve; the lease is then transferred. Without it, requests are answered at once (the
   * lane must have nothing in flight) and this worker steals instead of asking.
   */
  readonly onHandoffRequested?: (shardId: string) => Promise<void>;
  /** Balance by measured load (default true) rather than lease count (KCL 2.x). */
  readonly balanceByLoad?: boolean;
  readonly logger?: Logger;
  /** Lease expiry (KCL's failoverTimeMillis); renewals every third of it, take cycles every one. Default 10 s. */
  readonly leaseDurationMs?: number;
  /** Takes of free/expired leases per cycle; default unlimited (KCL 2.x takes up to its target at once). */
  readonly maxLeasesToTakePerCycle?: number;
  /** Steals per cycle; default 1 (KCL's maxLeasesToStealAtOneTime). */
  readonly maxLeasesToStealPerCycle?: number;
  /** Upper bound of leases held at once; default unlimited (KCL's maxLeasesForWorker). */
  readonly maxLeasesForWorker?: number;
  readonly now?: () => number;
  readonly random?: () => number;
}

interface Held {
  lease: ShardLease;
  /** When the last successful renewal (or the take) was *sent*: conservative against other instances' clocks. */
  renewedAtMs: number;
  renewing: boolean;
  /** Records settled since the last renewal, and the smoothed rate (records per second) stored with renewals. */
  settledSinceRenewal: number;
  throughput: number;
  /** A hand-over of this lease is in progress. */
  handingOver: boolean;
}


/** Store calls in parallel per take cycle. */
const TAKE_CONCURRENCY = 10;

export class LeaseManager {
  readonly #o: LeaseManagerOptions;
  readonly #logger: Logger;
  readonly #durationMs: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #expiry: LeaseExpiryTracker;
  readonly #held = new Map<string, Held>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #abort = new AbortController();
  #state: LeaseManagerState = 'idle';
  #starting: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  #renewTimer: ReturnType<typeof setInterval> | null = null;
  #cycleTimer: ReturnType<typeof setInterval> | null = null;
  #cycle: Promise<void> | null = null;
  #cycleAgain = false;

  constructor(options: LeaseManagerOptions) {
    this.#o = options;
    this.#durationMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    if (!(this.#durationMs >= 3)) throw new TributaryError('INTERNAL', `leaseDurationMs must be at least 3 (got ${this.#durationMs})`);
    const base = options.logger ?? silentLogger();
    // A pipeline's logger already names it; pino would write a second "pipeline" key.
    this.#logger = base.child('pipeline' in base.bindings() ? { worker: options.workerId } : { pipeline: options.pipeline, worker: options.workerId });
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#expiry = new LeaseExpiryTracker(this.#durationMs);
  }

  get state(): LeaseManagerState {
    return this.#state;
  }

  /** Opens the store, runs the first take cycle, then keeps renewing and taking on timers. Idempotent. */
  async start(signal: AbortSignal = new AbortController().signal): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') throw new TributaryError('STOPPED', 'the lease manager was stopped');
    this.#starting ??= (async () => {
      await this.#o.store.open?.(signal);
      if (this.#state !== 'idle') return;
      this.#state = 'running';
      this.#renewTimer = setInterval(() => this.#renewAll(), Math.max(1, Math.floor(this.#durationMs / 3)));
      this.#cycleTimer = setInterval(() => void this.#kick(), this.#durationMs);
      // Timers alone never keep a process alive; the pipeline's reads do.
      this.#renewTimer.unref();
      this.#cycleTimer.unref();
      await this.#kick();
    })().catch((error: unknown) => {
      this.#starting = null;
      throw error;
    });
    await this.#starting;
  }

  /**
   * Stops taking and renewing and releases every lease still held, so other instances take them at once. Call it
   * after the lanes stopped and wrote their final checkpoints: it does not call `onLost`. Idempotent.
   */
  async stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#halt('stopping');
      const leases = [...this.#held.keys()];
      await Promise.all(leases.map((shardId) => this.release(shardId, AbortSignal.timeout(this.#durationMs)).catch((error: unknown) => {
        this.#logger.warn({ shard: shardId, err: errorMessage(error) }, 'release failed; the lease will expire instead');
      })));
      this.#state = 'stopped';
    })();
    await this.#stopping;
  }

  /**
   * Stops renewing and taking at once WITHOUT releasing, like a process that froze or crashed: other instances take
   * the leases once they expire. `owned()` still lists them and `checkpoint` still tries the store, which fences it
   * (tests use this to play a zombie). Idempotent; `stop()` afterwards releases nothing.
   */
  async abandon(): Promise<void> {
    this.#stopping ??= this.#halt('stopped');
    await this.#stopping;
  }

  /** Creates leases for newly discovered shards, then runs a take cycle soon. */
  async ensureShards(shards: readonly NewShard[], signal: AbortSignal): Promise<void> {
    await this.#o.store.ensureShards(this.#o.pipeline, shards, signal);
    if (this.#state === 'running') void this.#kick();
  }

  /** Writes a checkpoint through the store's fence; on LEASE_LOST calls `onLost` and rethrows. */
  async checkpoint(shardId: string, update: CheckpointUpdate, signal: AbortSignal): Promise<void> {
    const held = this.#held.get(shardId);
    if (held === undefined) throw new TributaryError('LEASE_LOST', `${this.#o.pipeline}/${shardId} is not held by ${this.#o.workerId}`);
    try {
      await this.#o.store.checkpoint(this.#o.pipeline, shardId, this.#o.workerId, update, signal);
      if (this.#held.get(shardId) === held) held.lease = { ...held.lease, ...update, ownerSwitchesSinceCheckpoint: 0 };
    } catch (error) {
      if (error instanceof TributaryError && error.code === 'LEASE_LOST') this.#lose(shardId, 'checkpoint-refused', held);
      throw error;
    }
  }

  /**
   * Gives one lease up after its final checkpoint (a shard at SHARD_END, a hand-over). Stops renewing it first.
   * A lease that is already gone is fine; other failures are rethrown (the lease then expires on its own).
   */
  async release(shardId: string, signal: AbortSignal): Promise<void> {
    if (!this.#held.delete(shardId)) return;
    try {
      await this.#o.store.release(this.#o.pipeline, shardId, this.#o.workerId, signal);
      this.#logger.info({ shard: shardId }, 'released lease');
    } catch (error) {
      if (!(error instanceof TributaryError && error.code === 'LEASE_LOST')) throw error;
    }
  }

  /** A lane settled `records` on `shardId`: its load, reported with the next renewal. */
  reportThroughput(shardId: string, records: number): void {
    const held = this.#held.get(shardId);
    if (held !== undefined) held.settledSinceRenewal += records;
  }

  /** The leases this instance holds, as last written or taken. */
  owned(): readonly ShardLease[] {
    return [...this.#held.values()].map((h) => h.lease);
  }

  holds(shardId: string): boolean {
    return this.#held.has(shardId);
  }

  /** Runs a take/balance cycle now (or waits for the running one and runs another). Never rejects. */
  async rebalance(): Promise<void> {
    if (this.#state === 'running') await this.#kick();
  }

  async #halt(next: 'stopping' | 'stopped'): Promise<void> {
    this.#state = next;
    if (this.#renewTimer !== null) clearInterval(this.#renewTimer);
    if (this.#cycleTimer !== null) clearInterval(this.#cycleTimer);
    this.#renewTimer = null;
    this.#cycleTimer = null;
    this.#abort.abort(new TributaryError('STOPPED', 'the lease manager is stopping'));
    // Not `#starting`: a start still opening the store sees the state and returns without running.
    await Promise.allSettled([...this.#inFlight, this.#cycle]);
  }

  /** One renewal per held lease, each on its own; a renewal still in flight is not doubled. */
  #renewAll(): void {
    const intervalMs = Math.max(1, Math.floor(this.#durationMs / 3));
    // One signal per tick: a renewal that hangs is abandoned after two intervals, and every one ends on stop.
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(intervalMs * 2)]);
    for (const [shardId, held] of this.#held) {
      if (this.#now() - held.renewedAtMs >= this.#durationMs) {
        this.#lose(shardId, 'renewal-expired', held);
        continue;
      }
      if (held.renewing) continue;
      held.renewing = true;
      const sentAt = this.#now();
      held.throughput = smoothedThroughput(held.throughput, held.settledSinceRenewal, sentAt - held.renewedAtMs);
      held.settledSinceRenewal = 0;
      const throughput = held.throughput;
      this.#track(
        this.#o.store
          .renew(this.#o.pipeline, shardId, this.#o.workerId, signal, throughput)
          .then((renewed) => {
            if (this.#held.get(shardId) !== held) return;
            if (!renewed) {
              this.#lose(shardId, 'renewal-refused', held);
              return;
            }
            held.renewedAtMs = sentAt;
            held.lease = { ...held.lease, counter: held.lease.counter + 1 };
          })
          .catch((error: unknown) => {
            if (this.#abort.signal.aborted) return;
            this.#logger.warn({ shard: shardId, err: errorMessage(error), sinceRenewedMs: this.#now() - held.renewedAtMs }, 'lease renewal failed');
          })
          .finally(() => {
            held.renewing = false;
          }),
      );
    }
  }

  /** Starts a take cycle, or asks the running one to go again. */
  #kick(): Promise<void> {
    if (this.#cycle !== null) {
      this.#cycleAgain = true;
      return this.#cycle;
    }
    this.#cycle = (async () => {
      do {
        this.#cycleAgain = false;
        await this.#takeCycle().catch((error: unknown) => {
          if (!this.#abort.signal.aborted) this.#logger.warn({ err: errorMessage(error) }, 'lease take cycle failed');
        });
      } while (this.#cycleAgain && this.#state === 'running');
    })().finally(() => {
      this.#cycle = null;
    });
    return this.#cycle;
  }

  async #takeCycle(): Promise<LeaseDecision | null> {
    if (this.#state !== 'running') return null;
    const signal = this.#abort.signal;
    const leases = await this.#o.store.list(this.#o.pipeline, signal);
    const now = this.#now();
    const expired = this.#expiry.observe(leases, now);
    const rows = new Map(leases.map((lease) => [lease.shardId, lease]));
    for (const [shardId, held] of this.#held) {
      const row = rows.get(shardId);
      if (row === undefined) this.#lose(shardId, 'removed', held);
      else if (row.owner !== this.#o.workerId) this.#lose(shardId, 'taken-by-other', held);
      else if (row.handoffTo !== null && !held.handingOver) this.#track(this.#handOver(shardId, held, row.handoffTo));
    }
    const decision = decideLeases({
      workerId: this.#o.workerId,
      leases,
      held: new Set(this.#held.keys()),
      expired,
      maxLeasesToTake: this.#o.maxLeasesToTakePerCycle ?? Number.POSITIVE_INFINITY,
      maxLeasesToSteal: this.#o.maxLeasesToStealPerCycle ?? 1,
      maxLeasesForWorker: this.#o.maxLeasesForWorker ?? Number.POSITIVE_INFINITY,
      random: this.#random,
      balanceByLoad: this.#o.balanceByLoad ?? true,
    });
    if (decision.actions.length > 0) {
      this.#logger.debug({ target: decision.target, workers: decision.workers, owned: decision.owned, actions: decision.actions }, 'lease decision');
    }
    for (let i = 0; i < decision.actions.length && !signal.aborted; i += TAKE_CONCURRENCY) {
      await Promise.all(
        decision.actions.slice(i, i + TAKE_CONCURRENCY).map(async (action) => {
          if (action.kind === 'steal' && this.#o.onHandoffRequested !== undefined) {
            // One request at a time: while an owner is finishing a lease for us, ask for nothing more.
            const waiting = leases.some((l) => l.handoffTo === this.#o.workerId && l.owner !== this.#o.workerId);
            const request = { shardId: action.shardId, from: action.from, pending: rows.get(action.shardId)?.handoffTo ?? null };
            if (!waiting) await askForLease(this.#handoffDeps(), request, signal);
            return;
          }
          const sentAt = this.#now();
          const taking =
            action.kind === 'steal'
              ? this.#o.store.steal(this.#o.pipeline, action.shardId, this.#o.workerId, action.from, signal)
              : this.#o.store.take(this.#o.pipeline, action.shardId, this.#o.workerId, action.expectedCounter, signal);
          const lease = await taking.catch((error: unknown) => {
            if (!signal.aborted) this.#logger.warn({ shard: action.shardId, err: errorMessage(error) }, 'lease take failed');
            return null;
          });
          if (lease === null) return;
          const how = action.kind === 'steal' ? { stolenFrom: action.from } : { reason: action.reason, previousOwner: action.previousOwner };
          this.#logger.info({ shard: action.shardId, ...how }, 'took lease');
          this.#acquire(lease, sentAt);
        }),
      );
    }
    return decision;
  }

  #handoffDeps(): HandoffDeps {
    return { store: this.#o.store, pipeline: this.#o.pipeline, workerId: this.#o.workerId, logger: this.#logger, recheckAfterMs: Math.max(1, Math.floor(this.#durationMs / 4)), rebalance: () => this.rebalance() };
  }

  /** The owner's side of a hand-over: the lane stops after its batch and checkpoint, then the lease moves. */
  async #handOver(shardId: string, held: Held, to: string): Promise<void> {
    held.handingOver = true;
    try {
      this.#logger.info({ shard: shardId, to }, 'handing a lease over: finishing the batch in flight');
      await this.#o.onHandoffRequested?.(shardId);
      if (this.#held.get(shardId) !== held) return;
      const moved = await this.#o.store.transfer(this.#o.pipeline, shardId, this.#o.workerId, this.#abort.signal);
      if (this.#held.get(shardId) === held) this.#held.delete(shardId);
      this.#logger.info({ shard: shardId, to: moved?.owner ?? to }, 'handed the lease over');
    } catch (error) {
      if (error instanceof TributaryError && error.code === 'LEASE_LOST') this.#lose(shardId, 'taken-by-other', held);
      else if (!this.#abort.signal.aborted) this.#logger.warn({ shard: shardId, err: errorMessage(error) }, 'hand-over failed; it is retried at the next cycle');
    } finally {
      held.handingOver = false;
    }
  }

  #acquire(lease: ShardLease, sentAt: number): void {
    this.#held.set(lease.shardId, { lease, renewedAtMs: sentAt, renewing: false, settledSinceRenewal: 0, throughput: lease.throughput, handingOver: false });
    // Taken while stopping: held (so stop() releases it) but no lane is started.
    if (this.#state !== 'running') return;
    try {
      this.#o.onAcquired(lease);
    } catch (error) {
      this.#logger.error({ shard: lease.shardId, err: errorMessage(error) }, 'onAcquired threw');
    }
  }

  #lose(shardId: string, reason: LeaseLostReason, held: Held): void {
    if (this.#held.get(shardId) !== held) return;
    this.#held.delete(shardId);
    this.#logger.info({ shard: shardId, reason }, 'lost lease');
    try {
      this.#o.onLost(shardId, reason);
    } catch (error) {
      this.#logger.error({ shard: shardId, err: errorMessage(error) }, 'onLost threw');
    }
  }

  #track(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }
}
