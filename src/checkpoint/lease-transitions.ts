/**
 * The CheckpointStore's write semantics as pure functions on one lease: the `file` store applies them in memory;
 * the `dynamodb` store expresses the same conditions and updates as DynamoDB expressions (dynamodb-store.ts).
 * Each returns the next lease, or a refusal saying why.
 */
import type { CheckpointUpdate, NewShard, ShardLease } from './types.js';

export type Transition = { readonly kind: 'ok'; readonly lease: ShardLease } | { readonly kind: 'refused'; readonly why: string };

/** A lease row for a shard nobody holds yet. */
export function newLease(pipeline: string, shard: NewShard): ShardLease {
  return {
    pipeline,
    shardId: shard.shardId,
    parentShardIds: [...shard.parentShardIds],
    checkpoint: null,
    attempt: 0,
    laneState: null,
    owner: null,
    counter: 0,
    ownerSwitchesSinceCheckpoint: 0,
    handoffTo: null,
    throughput: 0,
  };
}

/** Conditional on the counter. A different previous owner counts as a switch (KCL: a free lease does not). */
export function takeLease(lease: ShardLease | undefined, owner: string, expectedCounter: number): Transition {
  if (lease === undefined) return { kind: 'refused', why: 'no such lease' };
  if (lease.counter !== expectedCounter) return { kind: 'refused', why: `counter is ${lease.counter}, expected ${expectedCounter}` };
  const switched = lease.owner !== null && lease.owner !== owner;
  // A take supersedes a pending hand-over request (the owner stopped answering, or the lease was free).
  return {
    kind: 'ok',
    lease: { ...lease, owner, counter: lease.counter + 1, ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint + (switched ? 1 : 0), handoffTo: null },
  };
}

/**
 * Conditional on the owner only: a steal takes a lease from a worker that is alive and renewing, so its counter moves
 * every third of a lease duration and a condition on the listed counter loses the race whenever a renewal lands between
 * the listing and the write (under load, every time: a worker then never balances). The owner condition is what keeps
 * it safe: the lease moves only from the worker the decision was made against, and that worker's next renewal or
 * checkpoint (conditional on the owner) fails, fencing it.
 */
export function stealLease(lease: ShardLease | undefined, thief: string, from: string): Transition {
  if (lease === undefined) return { kind: 'refused', why: 'no such lease' };
  if (lease.owner !== from) return { kind: 'refused', why: lease.owner === null ? 'the lease is free' : `owned by ${lease.owner}, not ${from}` };
  if (from === thief) return { kind: 'refused', why: 'already the owner' };
  return { kind: 'ok', lease: { ...lease, owner: thief, counter: lease.counter + 1, ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint + 1, handoffTo: null } };
}

/** Conditional on the owner the request was decided against (not the counter: see `stealLease`), and no earlier request. */
export function requestHandoff(lease: ShardLease | undefined, requester: string, from: string): Transition {
  if (lease === undefined) return { kind: 'refused', why: 'no such lease' };
  if (lease.owner !== null && lease.owner !== requester && lease.owner !== from) return { kind: 'refused', why: `owned by ${lease.owner}, not ${from}` };
  if (lease.owner === null || lease.owner === requester) return { kind: 'refused', why: lease.owner === null ? 'the lease is free' : 'already the owner' };
  if (lease.handoffTo !== null) return { kind: 'refused', why: `already asked for by ${lease.handoffTo}` };
  return { kind: 'ok', lease: { ...lease, handoffTo: requester } };
}

/** Conditional on the owner and a pending request: the lease moves to the requester. */
export function transferLease(lease: ShardLease | undefined, owner: string): Transition {
  const held = heldBy(lease, owner);
  if (held.kind === 'refused') return held;
  if (held.lease.handoffTo === null) return { kind: 'refused', why: 'nobody asked for the lease' };
  return {
    kind: 'ok',
    lease: { ...held.lease, owner: held.lease.handoffTo, handoffTo: null, counter: held.lease.counter + 1, ownerSwitchesSinceCheckpoint: held.lease.ownerSwitchesSinceCheckpoint + 1 },
  };
}

/** Conditional on the owner; stores the measured throughput when given. */
export function renewLease(lease: ShardLease | undefined, owner: string, throughput?: number): Transition {
  const held = heldBy(lease, owner);
  return held.kind === 'refused' ? held : { kind: 'ok', lease: { ...held.lease, counter: held.lease.counter + 1, ...(throughput === undefined ? {} : { throughput }) } };
}

/** Conditional on the owner; resets the owner-switch count, leaves the counter alone. */
export function checkpointLease(lease: ShardLease | undefined, owner: string, update: CheckpointUpdate): Transition {
  const held = heldBy(lease, owner);
  if (held.kind === 'refused') return held;
  return { kind: 'ok', lease: { ...held.lease, checkpoint: update.checkpoint, attempt: update.attempt, laneState: update.laneState === undefined ? held.lease.laneState : update.laneState, ownerSwitchesSinceCheckpoint: 0 } };
}

/** Conditional on the owner; frees the lease and moves the counter so a stale listing cannot take it. */
export function releaseLease(lease: ShardLease | undefined, owner: string): Transition {
  const held = heldBy(lease, owner);
  return held.kind === 'refused' ? held : { kind: 'ok', lease: { ...held.lease, owner: null, counter: held.lease.counter + 1, handoffTo: null } };
}

function heldBy(lease: ShardLease | undefined, owner: string): Transition {
  if (lease === undefined) return { kind: 'refused', why: 'no such lease' };
  if (lease.owner !== owner) return { kind: 'refused', why: lease.owner === null ? 'the lease is free' : `owned by ${lease.owner}` };
  return { kind: 'ok', lease };
}
