/**
 * Leased shards of a stream source (Kinesis, DynamoDB Streams). The lease manager decides which shards this
 * instance owns (children only after their parents reached SHARD_END); each owned shard runs one ordered lane:
 * read → batch → split by partition key into `parallelizationFactor` sub-lanes → invoke and retry in place →
 * checkpoint the lowest position below which everything is settled, fenced by the lease.
 */
import type { ShardInfo, SourceRecord, StartPosition, StreamSource } from '../connector/types.js';
import { TributaryError } from '../errors.js';
import { LeaseManager } from '../checkpoint/lease-manager.js';
import { SHARD_END, type CheckpointStore, type ShardLease } from '../checkpoint/types.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../policy/backoff.js';
import { CheckpointTracker, compareSequenceNumbers } from '../policy/checkpoint-tracker.js';
import { partitionLane } from '../policy/stream-partition-lane.js';
import { MAX_PAYLOAD_BYTES, collectBatch } from './batcher.js';
import type { RuntimeContext, SourceRuntime } from './runtime.js';
import { sleep } from './sleep.js';
import { streamFailureBuilder } from './failure-records.js';
import { runStreamBatch, type DiscardTarget, type StreamBatchContext, type StreamBatchResult } from './stream-executor.js';
import { ShardWindows } from './shard-windows.js';

export interface StreamRuntimeOptions {
  readonly store: CheckpointStore;
  readonly workerId: string;
  readonly destination: DiscardTarget | null;
  readonly functionArn: string;
  readonly leaseDurationMs: number;
  /** How often the shard list is refreshed (new shards after a reshard are also found when a shard ends). */
  readonly shardSyncIntervalMs: number;
}

interface ShardLane {
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

export class StreamRuntime implements SourceRuntime {
  readonly #ctx: RuntimeContext;
  readonly #source: StreamSource;
  readonly #options: StreamRuntimeOptions;
  readonly #lanes = new Map<string, ShardLane>();
  readonly #leases: LeaseManager;
  #known = new Map<string, ShardInfo>();
  #syncTimer: NodeJS.Timeout | null = null;
  #sync: Promise<void> | null = null;

  constructor(ctx: RuntimeContext, source: StreamSource, options: StreamRuntimeOptions) {
    this.#ctx = ctx;
    this.#source = source;
    this.#options = options;
    this.#leases = new LeaseManager({
      store: options.store,
      pipeline: ctx.config.name,
      workerId: options.workerId,
      leaseDurationMs: options.leaseDurationMs,
      logger: ctx.logger,
      now: ctx.now,
      random: ctx.random,
      onAcquired: (lease) => this.#startLane(lease),
      onLost: (shardId, reason) => {
        ctx.logger.warn({ shard: shardId, reason }, 'lease lost: stopping the shard lane without checkpointing');
        this.#lanes.get(shardId)?.abort.abort();
      },
    });
  }

  async start(): Promise<void> {
    await this.#syncShards();
    await this.#leases.start(this.#ctx.stopSignal);
    this.#syncTimer = setInterval(() => void this.#syncShards().catch((error: unknown) => this.#ctx.recordError(error, 'SOURCE_UNAVAILABLE')), this.#options.shardSyncIntervalMs);
    this.#syncTimer.unref();
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

  async close(): Promise<void> {
    await this.#source.close();
  }

  /** Lists shards and creates lease rows (with lineage) for new ones. Serialised. */
  #syncShards(): Promise<void> {
    this.#sync ??= (async () => {
      try {
        const shards = await this.#source.listShards(this.#ctx.stopSignal);
        const fresh = shards.filter((s) => !this.#known.has(s.shardId));
        this.#known = new Map(shards.map((s) => [s.shardId, s]));
        if (fresh.length > 0) {
          await this.#options.store.ensureShards(this.#ctx.config.name, fresh.map((s) => ({ shardId: s.shardId, parentShardIds: s.parentShardIds })), this.#ctx.stopSignal);
          if (this.#leases.state === 'running') await this.#leases.rebalance();
        }
      } finally {
        this.#sync = null;
      }
    })();
    return this.#sync;
  }

  #startLane(lease: ShardLease): void {
    if (this.#ctx.stopSignal.aborted || this.#lanes.has(lease.shardId) || lease.checkpoint === SHARD_END) return;
    const abort = new AbortController();
    const done = this.#runShard(lease, abort.signal)
      .catch(async (error: unknown) => {
        this.#ctx.recordError(error, 'INTERNAL');
        // Never leave a shard owned but unread: hand the lease back, and the next take cycle (this instance or
        // another) restarts the shard from its stored checkpoint.
        if (!this.#ctx.stopSignal.aborted && !abort.signal.aborted) {
          await this.#leases.release(lease.shardId, AbortSignal.timeout(10_000)).catch(() => undefined);
        }
      })
      .finally(() => {
        this.#lanes.delete(lease.shardId);
        this.#ctx.metrics.pollers.set({ pipeline: this.#ctx.config.name }, this.#lanes.size);
      });
    this.#lanes.set(lease.shardId, { abort, done });
    this.#ctx.metrics.pollers.set({ pipeline: this.#ctx.config.name }, this.#lanes.size);
  }

  /** Where a shard starts: after its checkpoint; children of a reshard from their start; else startingPosition. */
  #startPosition(lease: ShardLease): StartPosition {
    if (lease.checkpoint !== null) return { kind: 'AFTER', position: lease.checkpoint };
    if (lease.parentShardIds.some((parent) => this.#known.has(parent))) return { kind: 'TRIM_HORIZON' };
    const { startingPosition, startingPositionTimestampMs } = this.#ctx.config;
    if (startingPosition === 'AT_TIMESTAMP') return { kind: 'AT_TIMESTAMP', timestampMs: startingPositionTimestampMs ?? this.#ctx.now() };
    return { kind: startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
  }

  async #runShard(lease: ShardLease, lost: AbortSignal): Promise<void> {
    const { config, metrics } = this.#ctx;
    const shardId = lease.shardId;
    const logger = this.#ctx.logger.child({ shard: shardId });
    const signal = AbortSignal.any([this.#ctx.stopSignal, lost]);
    const reader = await this.#source.openReader(shardId, this.#startPosition(lease), signal);
    const tracker = new CheckpointTracker(compareSequenceNumbers, lease.checkpoint);
    let stored = lease.checkpoint;
    let attempt = lease.attempt;
    let shardEnd = false;
    let carry: readonly SourceRecord[] = [];
    let failures = 0;
    const write = async (checkpoint: string | null, retries: number): Promise<void> => {
      await this.#leases.checkpoint(shardId, { checkpoint, attempt: retries }, AbortSignal.timeout(30_000));
      stored = checkpoint;
    };
    const ctx: StreamBatchContext = {
      ...this.#ctx,
      pipeline: config,
      logger,
      toEvent: (records) => this.#source.toEvent(records),
      failureRecords: streamFailureBuilder(config.source.type === 'dynamodb-streams' ? 'dynamodb-streams' : 'kinesis', () => this.#source.sourceArn, {
        // A kafka:// topic gets the records too (AWS's S3 form), keyed by shard.
        withPayload: config.onFailure?.type === 'kafka',
        keyByShard: config.onFailure?.type === 'kafka',
        toEvent: (records) => this.#source.toEvent(records),
      }),
      destination: this.#options.destination,
      functionArn: this.#options.functionArn,
      stopSignal: signal,
    };
    const windows = config.tumblingWindowMs > 0 ? new ShardWindows(ctx, shardId, this.#source.sourceArn, signal) : null;
    const read = async (maxRecords: number, waitMs: number): Promise<readonly SourceRecord[]> => {
      if (shardEnd) return [];
      try {
        const result = await reader.read(maxRecords, signal);
        failures = 0;
        if (result.shardEnd) shardEnd = true;
        if (result.millisBehindLatest !== null) metrics.iteratorAge.set({ pipeline: config.name, shard: shardId }, result.millisBehindLatest / 1000);
        if (result.records.length === 0 && !shardEnd) await sleep(Math.min(Math.max(waitMs, 1), this.#source.idlePollIntervalMs), signal);
        return result.records;
      } catch (error) {
        if (signal.aborted) return [];
        failures += 1;
        metrics.pollingErrors.inc({ pipeline: config.name });
        this.#ctx.recordError(error, 'SOURCE_READ_FAILED');
        await sleep(backoffDelayMs(failures, DEFAULT_BACKOFF, this.#ctx.random), signal);
        return [];
      }
    };
    try {
      while (!signal.aborted) {
        const collected = await collectBatch(read, carry, {
          batchSize: config.batchSize,
          windowMs: config.maximumBatchingWindowMs,
          pageSize: this.#source.capabilities.lanes.pageSize,
          maxPayloadBytes: MAX_PAYLOAD_BYTES,
          idleWaitMs: this.#source.idlePollIntervalMs,
          now: this.#ctx.now,
          signal,
        });
        carry = collected.carry;
        const batch = collected.batch;
        if (batch.length === 0) {
          if (windows !== null && !(await windows.closeIfDue())) return;
          if (shardEnd && carry.length === 0) break;
          continue;
        }
        tracker.add(batch.map((r) => r.position));
        const hooks = {
          settle: (records: readonly SourceRecord[]) => tracker.settle(records.map((r) => r.position)),
          persistAttempt: (retries: number) => write(stored, retries),
        };
        let results: StreamBatchResult[];
        if (windows === null) {
          const groups = splitByKey(batch, config.parallelizationFactor);
          results = await Promise.all(groups.map((group) => runStreamBatch(ctx, shardId, group, attempt, hooks)));
        } else {
          results = [await windows.process(batch, (windowCtx, records, onResponse) => runStreamBatch(windowCtx, shardId, records, attempt, { ...hooks, onResponse }))];
        }
        const checkpoint = tracker.checkpoint();
        if (checkpoint !== null && checkpoint !== stored) await write(checkpoint, 0);
        attempt = 0;
        this.#ctx.report('OK');
        if (results.some((r) => r.kind === 'interrupted')) return;
      }
      if (windows !== null && shardEnd && !(await windows.close(false))) return;
      if (shardEnd && !signal.aborted && tracker.pending === 0) {
        // Every record of the closed shard is settled: children may start (KCL's SHARD_END checkpoint).
        await write(SHARD_END, 0);
        logger.info('shard reached SHARD_END');
        await this.#leases.release(shardId, AbortSignal.timeout(30_000)).catch(() => undefined);
        await this.#syncShards().catch((error: unknown) => this.#ctx.recordError(error, 'SOURCE_UNAVAILABLE'));
        await this.#leases.rebalance();
      }
    } catch (error) {
      if (error instanceof TributaryError && error.code === 'LEASE_LOST') return;
      throw error;
    } finally {
      await reader.close();
    }
  }
}

/**
 * parallelizationFactor: records of one partition key always go to the same sub-lane, so per-key order holds
 * while sub-lanes run concurrently. https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
 */
function splitByKey(records: readonly SourceRecord[], factor: number): SourceRecord[][] {
  if (factor <= 1) return [[...records]];
  const lanes: SourceRecord[][] = Array.from({ length: factor }, () => []);
  for (const record of records) lanes[partitionLane(record.partitionKey ?? '', factor)]?.push(record);
  return lanes.filter((lane) => lane.length > 0);
}
