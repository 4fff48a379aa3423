/**
 * The lane assigner of stream sources (Kinesis, DynamoDB Streams): the lease manager decides which shards this
 * instance owns (children only after their parents reached SHARD_END); each owned shard runs one ordered lane
 * (ordered/ordered-lanes.ts) whose progress is a checkpoint fenced by the lease. A shard whose lane crashed is handed
 * back (its lease released), so the next take cycle — here or on another instance — restarts it from its
 * checkpoint; a shard read to its end is checkpointed SHARD_END and its children become available.
 */
import { LeaseManager } from '../../checkpoint/lease-manager.js';
import { SHARD_END, type CheckpointStore, type ShardLease } from '../../checkpoint/types.js';
import type { ShardInfo, StartPosition, StreamSource } from '../../connector/types.js';
import { errorMessage, isTributaryError } from '../../errors.js';
import { MAX_PAYLOAD_BYTES } from '../batcher.js';
import { pollingShardReader, skipBefore } from '../lane/shard-polling.js';
import { decodeLaneState, encodeLaneState, type LaneState, type PinnedStart } from '../ordered/lane-state.js';
import { runOrderedLanes, type OrderedExit, type OrderedProgress } from '../ordered/ordered-lanes.js';
import { executorFor, laneLogger, type RunContext } from '../run-context.js';
import type { Assigner } from './assigner.js';

export interface LeasedShardsOptions {
  readonly store: CheckpointStore;
  readonly workerId: string;
  readonly leaseDurationMs: number;
  /** How often the shard list is refreshed (new shards after a reshard are also found when a shard ends). */
  readonly shardSyncIntervalMs: number;
}

/**
 * A LATEST start is pinned at the shard's first open as "records that arrived from a little before now", so a restart
 * before the first checkpoint resumes there instead of at a later LATEST (which would skip what arrived meanwhile).
 * The margin covers clock differences between this host and the stream's servers.
 */
export const LATEST_PIN_MARGIN_MS = 5_000;

/**
 * Records read ahead per shard across its key lanes, at most: this many batches (and at least READ_AHEAD_MIN_RECORDS,
 * so small batches do not cost one GetRecords each — Kinesis allows 5 GetRecords per shard per second), and bytes.
 */
const READ_AHEAD_BATCHES = 2;
const READ_AHEAD_MIN_RECORDS = 1_000;
const READ_AHEAD_BYTES = 2 * MAX_PAYLOAD_BYTES;

interface ShardLane {
  readonly lost: AbortController;
  /** Aborted when another worker asked for the lease: finish the batch in flight, checkpoint, stop. */
  readonly handoff: AbortController;
  readonly done: Promise<void>;
}

export class LeasedShards implements Assigner {
  readonly #run: RunContext;
  readonly #source: StreamSource;
  readonly #options: LeasedShardsOptions;
  readonly #lanes = new Map<string, ShardLane>();
  readonly #leases: LeaseManager;
  #known = new Map<string, ShardInfo>();
  #syncTimer: NodeJS.Timeout | null = null;
  #sync: Promise<void> | null = null;

  constructor(run: RunContext, source: StreamSource, options: LeasedShardsOptions) {
    this.#run = run;
    this.#source = source;
    this.#options = options;
    this.#leases = new LeaseManager({
      store: options.store,
      pipeline: run.config.name,
      workerId: options.workerId,
      leaseDurationMs: options.leaseDurationMs,
      logger: run.logger,
      now: run.now,
      random: run.random,
      onAcquired: (lease) => this.#startLane(lease),
      onLost: (shardId, reason) => {
        run.logger.warn({ shard: shardId, reason }, 'lease lost: stopping the shard lane without checkpointing');
        this.#lanes.get(shardId)?.lost.abort();
      },
      onHandoffRequested: async (shardId) => {
        const lane = this.#lanes.get(shardId);
        if (lane === undefined) return;
        lane.handoff.abort();
        await lane.done;
      },
    });
  }

  async start(): Promise<void> {
    await this.#syncShards();
    await this.#leases.start(this.#run.stopSignal);
    this.#run.health.ok('leases');
    this.#syncTimer = setInterval(() => void this.#syncShards().catch((error: unknown) => this.#syncFailed(error)), this.#options.shardSyncIntervalMs);
  }

  lanes(): number {
    return this.#lanes.size;
  }

  async drained(): Promise<void> {
    if (this.#syncTimer !== null) clearInterval(this.#syncTimer);
    while (this.#lanes.size > 0) await Promise.all([...this.#lanes.values()].map((lane) => lane.done));
    await this.#sync?.catch(() => undefined);
    // Graceful hand-over: every lane wrote its final checkpoint; now the leases go back for others to take.
    await this.#leases.stop();
  }

  #syncFailed(error: unknown): void {
    this.#run.health.failed('shard-discovery', error);
    this.#run.recordError(error, 'SOURCE_UNAVAILABLE');
  }

  /** Lists shards and creates lease rows (with lineage) for new ones. Serialised. */
  #syncShards(): Promise<void> {
    this.#sync ??= (async () => {
      try {
        const shards = await this.#source.listShards(this.#run.stopSignal);
        const fresh = shards.filter((s) => !this.#known.has(s.shardId));
        this.#known = new Map(shards.map((s) => [s.shardId, s]));
        if (fresh.length > 0) {
          await this.#options.store.ensureShards(this.#run.config.name, fresh.map((s) => ({ shardId: s.shardId, parentShardIds: s.parentShardIds })), this.#run.stopSignal);
          if (this.#leases.state === 'running') await this.#leases.rebalance();
        }
        this.#run.health.ok('shard-discovery');
      } finally {
        this.#sync = null;
      }
    })();
    return this.#sync;
  }

  #startLane(lease: ShardLease): void {
    const run = this.#run;
    if (run.stopSignal.aborted || this.#lanes.has(lease.shardId) || lease.checkpoint === SHARD_END) return;
    const lost = new AbortController();
    const handoff = new AbortController();
    const done = this.#runShard(lease, lost.signal, handoff.signal)
      .then((exit) => this.#afterShard(lease.shardId, exit, lost.signal))
      .catch((error: unknown) => this.#afterShard(lease.shardId, { kind: 'crashed', error }, lost.signal))
      .finally(() => {
        this.#lanes.delete(lease.shardId);
        run.health.forget(`shard ${lease.shardId}`);
        run.metrics.pollers.set({ pipeline: run.config.name }, this.#lanes.size);
        // The shard is no longer read here (ended, lease moved or lost, stopped): its last age must not stay exported,
        // frozen, where an alert on IteratorAge would never clear (issue 18 item 9). Its next owner sets its own.
        run.metrics.iteratorAge.remove({ pipeline: run.config.name, shard: lease.shardId });
      });
    this.#lanes.set(lease.shardId, { lost, handoff, done });
    run.metrics.pollers.set({ pipeline: run.config.name }, this.#lanes.size);
  }

  async #afterShard(shardId: string, exit: OrderedExit, lost: AbortSignal): Promise<void> {
    const run = this.#run;
    switch (exit.kind) {
      case 'ended':
        // Every record of the closed shard is settled: children may start (KCL's SHARD_END checkpoint).
        await this.#leases.checkpoint(shardId, { checkpoint: SHARD_END, attempt: 0, laneState: null }, AbortSignal.timeout(30_000));
        run.logger.info({ shard: shardId }, 'shard reached SHARD_END');
        await this.#leases.release(shardId, AbortSignal.timeout(30_000)).catch(() => undefined);
        await this.#syncShards().catch((error: unknown) => this.#syncFailed(error));
        await this.#leases.rebalance();
        return;
      case 'crashed':
        run.recordError(exit.error, 'INTERNAL');
        // Never leave a shard owned but unread: hand the lease back, and the next take cycle (this instance or
        // another) restarts the shard from its stored checkpoint.
        if (!run.stopSignal.aborted && !lost.aborted) await this.#leases.release(shardId, AbortSignal.timeout(10_000)).catch(() => undefined);
        return;
      case 'lost':
      case 'stopped':
        return;
    }
  }

  /** Where a shard starts: after its checkpoint; children of a reshard from their start; else the pinned start. */
  #startPosition(lease: ShardLease, state: LaneState): StartPosition {
    if (lease.checkpoint !== null) return { kind: 'AFTER', position: lease.checkpoint };
    if (lease.parentShardIds.some((parent) => this.#known.has(parent))) return { kind: 'TRIM_HORIZON' };
    if (state.pinnedStart !== null) return state.pinnedStart.kind === 'AT_TIMESTAMP' ? state.pinnedStart : { kind: 'TRIM_HORIZON' };
    const { startingPosition, startingPositionTimestampMs } = this.#run.config;
    if (startingPosition === 'AT_TIMESTAMP') return { kind: 'AT_TIMESTAMP', timestampMs: startingPositionTimestampMs ?? this.#run.now() };
    return { kind: startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
  }

  /** Stores a LATEST start as a timestamp before the first read (issue 19: no gap after a crash before the first checkpoint). */
  async #pin(shardId: string, start: StartPosition, state: LaneState): Promise<LaneState> {
    if (start.kind !== 'LATEST') return state;
    const since = this.#run.now() - LATEST_PIN_MARGIN_MS;
    const pinnedStart: PinnedStart = this.#source.atTimestamp ? { kind: 'AT_TIMESTAMP', timestampMs: since } : { kind: 'TRIM_HORIZON', notBeforeMs: since };
    const pinned = { ...state, pinnedStart };
    try {
      await this.#leases.checkpoint(shardId, { checkpoint: null, attempt: 0, laneState: encodeLaneState(pinned) }, AbortSignal.timeout(30_000));
      return pinned;
    } catch (error) {
      if (isTributaryError(error, 'LEASE_LOST')) throw error;
      this.#run.logger.warn({ shard: shardId, err: errorMessage(error) }, 'could not pin the LATEST starting position; a restart before the first checkpoint starts at LATEST again');
      return state;
    }
  }

  async #runShard(lease: ShardLease, lost: AbortSignal, handoff: AbortSignal): Promise<OrderedExit> {
    const run = this.#run;
    const { config } = run;
    const shardId = lease.shardId;
    const logger = laneLogger(run, shardId);
    let state = decodeLaneState(lease.laneState, lease.attempt);
    const start = this.#startPosition(lease, state);
    state = await this.#pin(shardId, start, state);
    const signal = AbortSignal.any([run.stopSignal, lost]);
    const opened = await this.#source.openReader(shardId, start, signal);
    const notBefore = state.pinnedStart?.kind === 'TRIM_HORIZON' && lease.checkpoint === null ? state.pinnedStart.notBeforeMs : null;
    const reader = pollingShardReader(notBefore === null ? opened : skipBefore(opened, notBefore), this.#source.idlePollIntervalMs);
    const pinnedStart = state.pinnedStart;
    const component = `shard ${shardId}`;
    const persist = async (progress: OrderedProgress): Promise<'ok' | 'lost' | 'failed'> => {
      const laneState = encodeLaneState({ retries: progress.retries, pinnedStart: progress.checkpoint === null ? pinnedStart : null, window: progress.window });
      const attempt = progress.retries.find((m) => m.position === null)?.retries ?? progress.retries[0]?.retries ?? 0;
      try {
        await this.#leases.checkpoint(shardId, { checkpoint: progress.checkpoint, attempt, laneState }, AbortSignal.timeout(30_000));
        run.health.ok(`checkpoint ${shardId}`);
        return 'ok';
      } catch (error) {
        if (isTributaryError(error, 'LEASE_LOST')) return 'lost';
        run.metrics.commitErrors.inc({ pipeline: config.name });
        run.health.failed(`checkpoint ${shardId}`, error);
        logger.warn({ err: errorMessage(error) }, 'checkpoint write failed; it is retried with the next one');
        return 'failed';
      }
    };
    return runOrderedLanes({
      id: shardId,
      keyLanes: config.parallelizationFactor,
      restored: { checkpoint: lease.checkpoint, retries: state.retries, window: state.window },
      reader,
      persist,
      lost,
      stopSignal: AbortSignal.any([run.stopSignal, handoff]),
      invokeSignal: run.invokeSignal,
      executor: executorFor(run, this.#source, shardId, logger),
      onSettled: (count) => this.#leases.reportThroughput(shardId, count),
      batching: {
        batchSize: config.batchSize,
        windowMs: config.maximumBatchingWindowMs,
        pageSize: this.#source.capabilities.pageSize,
        idleWaitMs: this.#source.idlePollIntervalMs,
      },
      fanoutBudget: { records: Math.max(config.batchSize * READ_AHEAD_BATCHES * config.parallelizationFactor, READ_AHEAD_MIN_RECORDS), bytes: READ_AHEAD_BYTES },
      readAhead: true,
      reporting: {
        failed: (error, consecutive) => {
          run.metrics.pollingErrors.inc({ pipeline: config.name });
          if (!isTributaryError(error, 'SOURCE_THROTTLED')) run.health.failed(component, error);
          if (consecutive === 1 || consecutive % 10 === 0) run.recordError(error, 'SOURCE_READ_FAILED');
        },
        recovered: () => run.health.ok(component),
      },
      onIdleAtHead: () => run.metrics.iteratorAge.set({ pipeline: config.name, shard: shardId }, 0),
      windows:
        config.tumblingWindowMs > 0
          ? {
              windowMs: config.tumblingWindowMs,
              shardId,
              eventSourceARN: this.#source.sourceArn,
              toEvent: (records) => this.#source.toEvent(records),
              runner: run.runner,
              timeoutMs: config.function.timeoutMs,
              now: run.now,
              random: run.random,
            }
          : null,
    });
  }
}
