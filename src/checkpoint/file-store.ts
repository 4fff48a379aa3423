/**
 * The embedded default CheckpointStore (`checkpoints: { type: file, path }`) for ONE process: one JSON file per
 * pipeline under a folder, replaced atomically (temp file → fsync → rename → fsync folder) on every write.
 *
 * - The leases live in memory; the file is their durable copy. Writes of one pipeline are queued and applied by one
 *   writer in call order (group commit: what queued up during a write goes into the next one), so concurrent
 *   checkpoints of different shards never overwrite each other; memory changes only after the file was written, so
 *   a failed write changes nothing.
 * - Owner, counter and fencing behave exactly as in the `dynamodb` store (lease-transitions.ts), so several lease
 *   managers of the same process can share one store object. Renewals change memory only (no fsync per heartbeat);
 *   every other write is durable before it resolves.
 * - Two processes sharing one file are NOT supported: a lock file with the pid (file-lock.ts) refuses the second one.
 *   Because the lock proves that no other process uses the file, owners found in it on load are from a previous run
 *   that is gone: their leases are loaded as free, so a restart resumes at once instead of waiting for expiry.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { writeFileAtomic } from './atomic-write.js';
import { checkpointFileName, decodeCheckpointFile, encodeCheckpointFile } from './file-format.js';
import { FileLock } from './file-lock.js';
import { compareIds } from './lease-decisions.js';
import { checkpointLease, newLease, releaseLease, renewLease, requestHandoff, stealLease, takeLease, transferLease } from './lease-transitions.js';
import type { CheckpointStore, CheckpointUpdate, NewShard, ShardLease } from './types.js';

export interface FileCheckpointStoreOptions {
  /** Folder holding one `<pipeline>.json` (and its `.lock`) per pipeline; created when missing. */
  readonly directory: string;
  readonly logger?: Logger;
}

interface PipelineFile {
  readonly path: string;
  readonly lock: FileLock;
  /** Committed state: what the file holds. */
  leases: ReadonlyMap<string, ShardLease>;
  /** Changes waiting for the next write, in call order. */
  pending: Pending[];
  /** The running flush loop, if any: the one writer of this file. */
  flushing: Promise<void> | null;
  /** Set by close() once the queue drained: later writes are refused. */
  closed: boolean;
}

type Decide = (leases: ReadonlyMap<string, ShardLease>) => Change<unknown>;

interface Pending {
  readonly decide: Decide;
  readonly signal: AbortSignal;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Change<T> {
  readonly upserts?: readonly ShardLease[];
  readonly deletes?: readonly string[];
  /** false: change memory only (renewals). */
  readonly durable?: boolean;
  readonly result: T;
}

export class FileCheckpointStore implements CheckpointStore {
  readonly #directory: string;
  readonly #logger: Logger;
  readonly #files = new Map<string, Promise<PipelineFile>>();
  #opened: Promise<void> | null = null;
  #closed = false;

  constructor(options: FileCheckpointStoreOptions) {
    this.#directory = options.directory;
    this.#logger = options.logger ?? silentLogger();
  }

  /** Creates the folder. Pipelines' lock files are taken on their first use. */
  async open(signal: AbortSignal): Promise<void> {
    this.#assertUsable(signal);
    this.#opened ??= mkdir(this.#directory, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.#opened = null;
        throw new TributaryError('CHECKPOINT_FAILED', `cannot create checkpoint folder ${this.#directory}: ${errorMessage(error)}`, { cause: error });
      },
    );
    await this.#opened;
  }

  async ensureShards(pipeline: string, shards: readonly NewShard[], signal: AbortSignal): Promise<void> {
    await this.#change(pipeline, signal, (leases) => {
      const added = new Map<string, ShardLease>();
      for (const shard of shards) {
        if (!leases.has(shard.shardId) && !added.has(shard.shardId)) added.set(shard.shardId, newLease(pipeline, shard));
      }
      return { upserts: [...added.values()], result: undefined };
    });
  }

  async list(pipeline: string, signal: AbortSignal): Promise<readonly ShardLease[]> {
    const file = await this.#file(pipeline, signal);
    return [...file.leases.values()].sort((a, b) => compareIds(a.shardId, b.shardId));
  }

  async take(pipeline: string, shardId: string, owner: string, expectedCounter: number, signal: AbortSignal): Promise<ShardLease | null> {
    return this.#change(pipeline, signal, (leases) => {
      const next = takeLease(leases.get(shardId), owner, expectedCounter);
      return next.kind === 'ok' ? { upserts: [next.lease], result: next.lease } : { result: null };
    });
  }

  async steal(pipeline: string, shardId: string, thief: string, from: string, signal: AbortSignal): Promise<ShardLease | null> {
    return this.#change(pipeline, signal, (leases) => {
      const next = stealLease(leases.get(shardId), thief, from);
      return next.kind === 'ok' ? { upserts: [next.lease], result: next.lease } : { result: null };
    });
  }

  async renew(pipeline: string, shardId: string, owner: string, signal: AbortSignal, throughput?: number): Promise<boolean> {
    return this.#change(pipeline, signal, (leases) => {
      const next = renewLease(leases.get(shardId), owner, throughput);
      // Memory only: the counter is a heartbeat between processes, and this store serves one process whose leases
      // are freed on the next load anyway. Saves an fsync per lease every leaseDuration / 3.
      return next.kind === 'ok' ? { upserts: [next.lease], durable: false, result: true } : { result: false };
    });
  }

  async requestHandoff(pipeline: string, shardId: string, requester: string, from: string, signal: AbortSignal): Promise<boolean> {
    return this.#change(pipeline, signal, (leases) => {
      const next = requestHandoff(leases.get(shardId), requester, from);
      return next.kind === 'ok' ? { upserts: [next.lease], result: true } : { result: false };
    });
  }

  async transfer(pipeline: string, shardId: string, owner: string, signal: AbortSignal): Promise<ShardLease | null> {
    return this.#change(pipeline, signal, (leases) => {
      const lease = leases.get(shardId);
      if (lease?.owner !== owner) throw leaseLost(pipeline, shardId, owner, 'transfer', lease === undefined ? 'no such lease' : `owned by ${lease.owner ?? 'nobody'}`);
      const next = transferLease(lease, owner);
      return next.kind === 'ok' ? { upserts: [next.lease], result: next.lease } : { result: null };
    });
  }

  async checkpoint(pipeline: string, shardId: string, owner: string, update: CheckpointUpdate, signal: AbortSignal): Promise<void> {
    await this.#change(pipeline, signal, (leases) => {
      const next = checkpointLease(leases.get(shardId), owner, update);
      if (next.kind === 'refused') throw leaseLost(pipeline, shardId, owner, 'checkpoint', next.why);
      return { upserts: [next.lease], result: undefined };
    });
  }

  async release(pipeline: string, shardId: string, owner: string, signal: AbortSignal): Promise<void> {
    await this.#change(pipeline, signal, (leases) => {
      const next = releaseLease(leases.get(shardId), owner);
      if (next.kind === 'refused') throw leaseLost(pipeline, shardId, owner, 'release', next.why);
      return { upserts: [next.lease], result: undefined };
    });
  }

  async remove(pipeline: string, shardIds: readonly string[], signal: AbortSignal): Promise<void> {
    await this.#change(pipeline, signal, (leases) => ({ deletes: shardIds.filter((id) => leases.has(id)), result: undefined }));
  }

  /** Waits for queued writes, then removes the lock files. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const files = await Promise.allSettled(this.#files.values());
    for (const file of files) {
      if (file.status !== 'fulfilled') continue;
      while (file.value.flushing !== null) await file.value.flushing;
      file.value.closed = true;
      await file.value.lock.release();
    }
    this.#files.clear();
  }

  /**
   * Queues a change of the pipeline's leases. `decide` sees the leases with every earlier queued change applied;
   * it may throw (LEASE_LOST) to refuse, which affects no other change.
   */
  async #change<T>(pipeline: string, signal: AbortSignal, decide: (leases: ReadonlyMap<string, ShardLease>) => Change<T>): Promise<T> {
    const file = await this.#file(pipeline, signal);
    return new Promise<T>((resolve, reject) => {
      file.pending.push({ decide, signal, resolve: resolve as (result: unknown) => void, reject });
      file.flushing ??= this.#flush(pipeline, file);
    });
  }

  /**
   * Group commit: applies every queued change in order to a copy of the leases, writes the file ONCE if any change
   * must be durable, then makes the copy current and answers every caller. Changes that queue up during a write go
   * into the next one, so concurrent checkpoints of many shards cost one fsync per round, not one each.
   */
  async #flush(pipeline: string, file: PipelineFile): Promise<void> {
    try {
      // Let callers of the same tick join the first batch.
      await Promise.resolve();
      while (file.pending.length > 0) await this.#commit(pipeline, file, file.pending.splice(0));
    } finally {
      // In the same synchronous step as the loop's last look at `pending`: a change queued after it starts a new flush.
      file.flushing = null;
    }
  }

  /** One round: apply `batch` in order, write once if needed, then answer every caller. Never rejects. */
  async #commit(pipeline: string, file: PipelineFile, batch: readonly Pending[]): Promise<void> {
    const next = new Map(file.leases);
    const accepted: { readonly pending: Pending; readonly result: unknown }[] = [];
    let durable = false;
    for (const pending of batch) {
      try {
        if (file.closed) throw new TributaryError('STOPPED', 'the checkpoint store is closed');
        this.#assertUsable(pending.signal, true);
        const change = pending.decide(next);
        for (const id of change.deletes ?? []) next.delete(id);
        for (const lease of change.upserts ?? []) next.set(lease.shardId, lease);
        const changed = (change.deletes?.length ?? 0) + (change.upserts?.length ?? 0) > 0;
        durable ||= changed && change.durable !== false;
        accepted.push({ pending, result: change.result });
      } catch (error) {
        pending.reject(error);
      }
    }
    if (durable) {
      try {
        const sorted = [...next.values()].sort((a, b) => compareIds(a.shardId, b.shardId));
        await writeFileAtomic(file.path, encodeCheckpointFile(pipeline, sorted));
      } catch (error) {
        // Nothing of this batch happened: memory stays as the file is.
        const failed = new TributaryError('CHECKPOINT_FAILED', `cannot write checkpoint file ${file.path}: ${errorMessage(error)}`, { cause: error, retryable: true });
        for (const { pending } of accepted) pending.reject(failed);
        return;
      }
    }
    file.leases = next;
    for (const { pending, result } of accepted) pending.resolve(result);
  }

  /** The pipeline's file, loaded (and locked) on first use. */
  async #file(pipeline: string, signal: AbortSignal): Promise<PipelineFile> {
    this.#assertUsable(signal);
    let loading = this.#files.get(pipeline);
    if (loading === undefined) {
      loading = this.#load(pipeline, signal);
      this.#files.set(pipeline, loading);
      // A failed load (lock held, damaged file) is not cached: the next call tries again.
      loading.catch(() => {
        if (this.#files.get(pipeline) === loading) this.#files.delete(pipeline);
      });
    }
    return loading;
  }

  async #load(pipeline: string, signal: AbortSignal): Promise<PipelineFile> {
    await this.open(signal);
    const path = join(this.#directory, checkpointFileName(pipeline));
    const lock = await FileLock.acquire(`${path}.lock`);
    try {
      let text: string | null = null;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw new TributaryError('CHECKPOINT_FAILED', `cannot read checkpoint file ${path}: ${errorMessage(error)}`, { cause: error, retryable: true });
      }
      const stored = text === null ? [] : decodeCheckpointFile(text, pipeline, path);
      const stale = stored.filter((lease) => lease.owner !== null).length;
      if (stale > 0) this.#logger.info({ pipeline, leases: stale }, 'freed leases of a previous run (the lock file proves it is gone)');
      const leases = new Map(stored.map((lease) => [lease.shardId, lease.owner === null ? lease : { ...lease, owner: null }]));
      return { path, lock, leases, pending: [], flushing: null, closed: false };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  #assertUsable(signal: AbortSignal, queued = false): void {
    if (this.#closed && !queued) throw new TributaryError('STOPPED', 'the checkpoint store is closed');
    if (signal.aborted) throw new TributaryError('STOPPED', 'checkpoint store call aborted', { cause: signal.reason, retryable: true });
  }
}

function leaseLost(pipeline: string, shardId: string, owner: string, what: string, why: string): TributaryError {
  return new TributaryError('LEASE_LOST', `${what} of ${pipeline}/${shardId} refused: ${owner} does not hold the lease (${why})`);
}
