/**
 * Checkpoints and shard leases (DESIGN §3.2), in the style of the Kinesis Client Library's lease table:
 * one lease per (pipeline, shard) with owner, counter, checkpoint and lineage. Every checkpoint write is
 * conditional on still owning the lease (fencing): an instance that lost a lease can never move its checkpoint.
 */

/** The checkpoint value of a shard that was read to its end and fully settled. */
export const SHARD_END = 'SHARD_END';

export interface ShardLease {
  readonly pipeline: string;
  readonly shardId: string;
  /** Parents in the stream's lineage; the shard starts only after each parent's checkpoint is SHARD_END. */
  readonly parentShardIds: readonly string[];
  /** Last settled position (sequence number / offset), SHARD_END, or null when nothing was settled yet. */
  readonly checkpoint: string | null;
  /**
   * Retries already used by the batch that starts right after the checkpoint, so a restart or a lease move
   * does not reset `maximumRetryAttempts` (peer pitfalls: Knative #3746, Dapr #3849).
   */
  readonly attempt: number;
  /**
   * The lane engine's state stored with the checkpoint, opaque to the store (JSON: retry marks by position, the
   * pinned starting position, tumbling-window state); null when none. See src/pipeline/ordered/lane-state.ts.
   */
  readonly laneState: string | null;
  /** Instance id holding the lease, or null when free. */
  readonly owner: string | null;
  /** Incremented on every renewal and take: other instances see a lease as expired when it stops moving. */
  readonly counter: number;
  /** How many times the lease changed owner since the last checkpoint (KCL's ownerSwitchesSinceCheckpoint). */
  readonly ownerSwitchesSinceCheckpoint: number;
  /**
   * A worker that asked for this lease (KCL 3.x's graceful hand-over): the owner finishes and checkpoints its batch,
   * then transfers the lease to it. Null when nobody asked.
   */
  readonly handoffTo: string | null;
  /** Records per second the owner measured on this shard (its load, for balancing by load, as KCL 3.x does). */
  readonly throughput: number;
}

export interface NewShard {
  readonly shardId: string;
  readonly parentShardIds: readonly string[];
}

export interface CheckpointUpdate {
  /** The new position; null = nothing settled yet (only the retry count is stored, e.g. a poison first record). */
  readonly checkpoint: string | null;
  /** Retries of the first record after the checkpoint (kept for readers of the older layout). */
  readonly attempt: number;
  /** Replaces the lease's `laneState` (null removes it); absent leaves it as it is. */
  readonly laneState?: string | null;
}

/**
 * Storage of leases. Implementations: `file` (one instance, atomic write-rename + fsync) and `dynamodb`
 * (a shared lease table, conditional writes). All methods take an AbortSignal; failures are TributaryErrors:
 * `LEASE_LOST` when a conditional write finds another owner or counter, `CHECKPOINT_FAILED` otherwise.
 */
export interface CheckpointStore {
  /**
   * Optional: prepares the store and fails fast if it cannot be used (the `dynamodb` store creates its table and
   * waits until it is ACTIVE; the `file` store creates its folder). Idempotent. Every other method opens the store
   * on first use anyway, so calling it is never required.
   */
  open?(signal: AbortSignal): Promise<void>;
  /** Creates lease rows for shards not yet known (existing rows are left untouched). */
  ensureShards(pipeline: string, shards: readonly NewShard[], signal: AbortSignal): Promise<void>;
  /** Every lease of the pipeline, in `shardId` order (UTF-8 byte order, as a DynamoDB sort key). */
  list(pipeline: string, signal: AbortSignal): Promise<readonly ShardLease[]>;
  /**
   * Takes a lease if its counter is still `expectedCounter` (i.e. nobody renewed it meanwhile): sets owner,
   * increments counter. Returns the new lease, or null if someone else got there first (or the shard has no lease).
   * A take from a different previous owner increments `ownerSwitchesSinceCheckpoint` (KCL's DynamoDBLeaseRefresher).
   */
  take(pipeline: string, shardId: string, owner: string, expectedCounter: number, signal: AbortSignal): Promise<ShardLease | null>;
  /**
   * Takes a lease from a live worker: only if `from` still owns it (whatever its counter; see `stealLease` in
   * lease-transitions.ts for why not the counter). Sets owner, increments counter and `ownerSwitchesSinceCheckpoint`,
   * clears a pending hand-over request. Returns the new lease, or null if `from` no longer owns it.
   */
  steal(pipeline: string, shardId: string, thief: string, from: string, signal: AbortSignal): Promise<ShardLease | null>;
  /**
   * Increments the counter of a lease we own, storing the shard's measured `throughput` when given. Returns false if we
   * no longer own it.
   */
  renew(pipeline: string, shardId: string, owner: string, signal: AbortSignal, throughput?: number): Promise<boolean>;
  /**
   * Asks the owner to hand the lease over to `requester` (KCL 3.x's graceful hand-over): sets `handoffTo` if the
   * lease is still owned by `from` (another worker) and nobody asked yet. Returns whether it did.
   */
  requestHandoff(pipeline: string, shardId: string, requester: string, from: string, signal: AbortSignal): Promise<boolean>;
  /**
   * The owner hands the lease to the worker that asked (after its final checkpoint): owner := handoffTo, handoffTo
   * cleared, counter incremented. Returns the new lease; null when nobody asked. Throws LEASE_LOST if `owner` does not
   * hold it.
   */
  transfer(pipeline: string, shardId: string, owner: string, signal: AbortSignal): Promise<ShardLease | null>;
  /**
   * Writes a checkpoint, only if `owner` still holds the lease; otherwise throws LEASE_LOST. Resets
   * `ownerSwitchesSinceCheckpoint` to 0 and leaves the counter alone (renewals are the heartbeat).
   */
  checkpoint(pipeline: string, shardId: string, owner: string, update: CheckpointUpdate, signal: AbortSignal): Promise<void>;
  /**
   * Gives a lease up (owner → null, counter incremented) after the final checkpoint, so another instance takes it
   * at once. Throws LEASE_LOST if `owner` no longer holds it.
   */
  release(pipeline: string, shardId: string, owner: string, signal: AbortSignal): Promise<void>;
  /** Deletes leases of shards that no longer exist in the stream (trimmed after SHARD_END). */
  remove(pipeline: string, shardIds: readonly string[], signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
