/**
 * The lease table's item layout. One table can hold the leases of many pipelines (and many Tributary deployments
 * if their pipeline names differ):
 *
 * | attribute                      | type | meaning                                                         |
 * |--------------------------------|------|-----------------------------------------------------------------|
 * | `pipeline`                     | S    | partition key: `list` is a Query of one partition, never a Scan |
 * | `shardId`                      | S    | sort key                                                        |
 * | `leaseOwner`                   | S    | worker id; absent when the lease is free                        |
 * | `leaseCounter`                 | N    | heartbeat and fencing version (KCL's leaseCounter)              |
 * | `checkpoint`                   | S    | last settled position or SHARD_END; absent before the first one |
 * | `attempt`                      | N    | retries used by the batch right after the checkpoint            |
 * | `laneState`                    | S    | the lane engine's JSON state (retry marks, pinned start, window)|
 * | `handoffTo`                    | S    | a worker that asked for the lease (graceful hand-over, KCL 3.x) |
 * | `throughput`                   | N    | records/s the owner measured (load-based balancing)             |
 * | `parentShardIds`               | L    | list of S (a list, since a string set cannot be empty)          |
 * | `ownerSwitchesSinceCheckpoint` | N    | KCL's lease-thrash indicator                                    |
 *
 * Names follow KCL's DynamoDBLeaseSerializer where KCL has the concept, so operators recognise them.
 */
import { TributaryError } from '../errors.js';
import type { AttributeValue, Item, TableKeys } from './dynamodb-client.js';
import type { ShardLease } from './types.js';

export const LEASE_TABLE_KEYS: TableKeys = { partitionKey: 'pipeline', sortKey: 'shardId' };

export const ATTR = {
  pipeline: 'pipeline',
  shardId: 'shardId',
  owner: 'leaseOwner',
  counter: 'leaseCounter',
  checkpoint: 'checkpoint',
  attempt: 'attempt',
  laneState: 'laneState',
  handoffTo: 'handoffTo',
  throughput: 'throughput',
  parents: 'parentShardIds',
  switches: 'ownerSwitchesSinceCheckpoint',
} as const;

/** `#owner` → `leaseOwner` etc., for ExpressionAttributeNames (some names, like `checkpoint`, may be reserved). */
export const NAMES: Readonly<Record<string, string>> = {
  '#owner': ATTR.owner,
  '#counter': ATTR.counter,
  '#checkpoint': ATTR.checkpoint,
  '#attempt': ATTR.attempt,
  '#laneState': ATTR.laneState,
  '#handoffTo': ATTR.handoffTo,
  '#throughput': ATTR.throughput,
  '#switches': ATTR.switches,
};

export function leaseKey(pipeline: string, shardId: string): Item {
  return { [ATTR.pipeline]: { S: pipeline }, [ATTR.shardId]: { S: shardId } };
}

export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });

export function encodeLease(lease: ShardLease): Item {
  return {
    ...leaseKey(lease.pipeline, lease.shardId),
    ...(lease.owner === null ? {} : { [ATTR.owner]: str(lease.owner) }),
    [ATTR.counter]: num(lease.counter),
    ...(lease.checkpoint === null ? {} : { [ATTR.checkpoint]: str(lease.checkpoint) }),
    [ATTR.attempt]: num(lease.attempt),
    ...(lease.laneState === null ? {} : { [ATTR.laneState]: str(lease.laneState) }),
    [ATTR.parents]: { L: lease.parentShardIds.map(str) },
    [ATTR.switches]: num(lease.ownerSwitchesSinceCheckpoint),
    ...(lease.handoffTo === null ? {} : { [ATTR.handoffTo]: str(lease.handoffTo) }),
    [ATTR.throughput]: num(lease.throughput),
  };
}

/** Reads an item back; a malformed one (edited by hand?) is a non-retryable CHECKPOINT_FAILED. */
export function decodeLease(item: Item): ShardLease {
  const pipeline = item[ATTR.pipeline]?.S;
  const shardId = item[ATTR.shardId]?.S;
  if (pipeline === undefined || shardId === undefined) throw malformed('no pipeline/shardId key');
  const where = `${pipeline}/${shardId}`;
  const parents = item[ATTR.parents]?.L ?? [];
  const parentShardIds = parents.map((p) => {
    if (p.S === undefined) throw malformed(`${where}: ${ATTR.parents} holds a non-string`);
    return p.S;
  });
  return {
    pipeline,
    shardId,
    parentShardIds,
    checkpoint: item[ATTR.checkpoint]?.S ?? null,
    attempt: count(item, ATTR.attempt, where),
    laneState: item[ATTR.laneState]?.S ?? null,
    owner: item[ATTR.owner]?.S ?? null,
    counter: count(item, ATTR.counter, where),
    ownerSwitchesSinceCheckpoint: count(item, ATTR.switches, where),
    handoffTo: item[ATTR.handoffTo]?.S ?? null,
    throughput: rate(item, ATTR.throughput, where),
  };
}

function count(item: Item, name: string, where: string): number {
  const raw = item[name]?.N;
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw malformed(`${where}: ${name} is ${raw}`);
  return value;
}

function rate(item: Item, name: string, where: string): number {
  const raw = item[name]?.N;
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw malformed(`${where}: ${name} is ${raw}`);
  return value;
}

function malformed(why: string): TributaryError {
  return new TributaryError('CHECKPOINT_FAILED', `malformed lease item: ${why}`);
}
