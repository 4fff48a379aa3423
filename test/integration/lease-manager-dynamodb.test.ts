// Lease managers of several "instances" sharing one real DynamoDB Local lease table, with a short lease duration:
// balance, failover after a crash (and the zombie's checkpoint fenced), and the graceful hand-over of a stop.

import { afterAll, describe, expect, it } from 'vitest';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from '../../src/checkpoint/dynamodb-store.ts';
import { LeaseManager, type LeaseLostReason } from '../../src/checkpoint/lease-manager.ts';
import type { ShardLease } from '../../src/checkpoint/types.ts';
import { TributaryError } from '../../src/errors.ts';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';
import { waitFor } from './helpers/wait.ts';

const LEASE_MS = 1000;
const endpoints = readEndpoints();
const tableName = `tributary_lease_manager_${Date.now()}_${process.pid}`;
const signal = (): AbortSignal => AbortSignal.timeout(30_000);
const shards = Array.from({ length: 8 }, (_, i) => ({ shardId: `shardId-00000000000${i}`, parentShardIds: [] }));

const stores: DynamoDbCheckpointStore[] = [];
const managers: LeaseManager[] = [];

/** One "instance": its own store client, its own lease manager, and a log of what the pipeline was told. */
function instance(workerId: string, pipeline: string, maxLeasesToStealPerCycle = 1) {
  const store = new DynamoDbCheckpointStore({ tableName, region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
  const acquired: ShardLease[] = [];
  const lost: { shardId: string; reason: LeaseLostReason }[] = [];
  const manager = new LeaseManager({
    store,
    pipeline,
    workerId,
    leaseDurationMs: LEASE_MS,
    maxLeasesToStealPerCycle,
    onAcquired: (lease) => acquired.push(lease),
    onLost: (shardId, reason) => lost.push({ shardId, reason }),
  });
  stores.push(store);
  managers.push(manager);
  return { workerId, store, manager, acquired, lost, count: () => manager.owned().length };
}

async function owners(store: DynamoDbCheckpointStore, pipeline: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const lease of await store.list(pipeline, signal())) counts[lease.owner ?? 'free'] = (counts[lease.owner ?? 'free'] ?? 0) + 1;
  return counts;
}

afterAll(async () => {
  await Promise.all(managers.map((m) => m.abandon()));
  await Promise.all(stores.map((s) => s.close()));
  const ddb = new DynamoDBClient({ region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
  await ddb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  ddb.destroy();
});

describe('LeaseManager on DynamoDB Local (lease duration 1 s)', () => {
  const pipeline = 'orders';
  const a = instance('worker-a', pipeline);
  const b = instance('worker-b', pipeline);

  it('two instances starting together over 8 shards reach 4/4 within a few seconds, and stay there', async () => {
    await a.manager.ensureShards(shards, signal());
    const t0 = Date.now();
    await Promise.all([a.manager.start(), b.manager.start()]);
    // One steal per cycle (KCL's default) from 8/0: at least 4 cycles.
    await waitFor(() => a.count() === 4 && b.count() === 4, 12 * LEASE_MS, '4/4');
    const balancedMs = Date.now() - t0;
    expect(await owners(a.store, pipeline)).toEqual({ 'worker-a': 4, 'worker-b': 4 });
    expect(new Set([...a.manager.owned(), ...b.manager.owned()].map((l) => l.shardId)).size).toBe(8);

    // Stable: renewals keep every lease, with no handler activity at all, for several lease durations.
    const lostBefore = a.lost.length + b.lost.length;
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_MS));
    expect([a.count(), b.count()]).toEqual([4, 4]);
    // Steals during balancing are the only losses; none after.
    expect(a.lost.length + b.lost.length).toBe(lostBefore);
    expect(a.lost.every((l) => l.reason === 'renewal-refused' || l.reason === 'taken-by-other')).toBe(true);
    process.stderr.write(`[lease-manager] 4/4 after ${balancedMs} ms\n`);
  });

  it("a crashed instance's leases move to the survivor within ~3 lease durations, and the zombie is fenced", async () => {
    const crashedShards = a.manager.owned().map((l) => l.shardId);
    expect(crashedShards).toHaveLength(4);
    const lostBefore = b.lost.length;
    const t0 = Date.now();
    await a.manager.abandon();
    await waitFor(() => b.count() === 8, 6 * LEASE_MS, 'survivor owns all 8');
    const failoverMs = Date.now() - t0;
    // Expiry runs from the last renewal the survivor saw, which precedes the crash by up to one renewal interval
    // (LEASE_MS / 3); the exact rule is asserted with one clock in test/unit/checkpoint/lease-manager.test.ts.
    expect(failoverMs).toBeGreaterThanOrEqual(LEASE_MS - LEASE_MS / 3);
    expect(b.lost.length).toBe(lostBefore);
    expect(await owners(b.store, pipeline)).toEqual({ 'worker-b': 8 });
    const retaken = b.acquired.filter((l) => crashedShards.includes(l.shardId)).slice(-4);
    expect(retaken.every((l) => l.ownerSwitchesSinceCheckpoint >= 1)).toBe(true);

    // The zombie wakes up and tries to checkpoint: the conditional write refuses it.
    const shardId = crashedShards[0] ?? '';
    const error = await a.manager.checkpoint(shardId, { checkpoint: '999', attempt: 0 }, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe('LEASE_LOST');
    expect(a.lost.at(-1)).toEqual({ shardId, reason: 'checkpoint-refused' });
    await expect(a.store.checkpoint(pipeline, shardId, 'worker-a', { checkpoint: '999', attempt: 0 }, signal())).rejects.toMatchObject({ code: 'LEASE_LOST' });
    // The survivor's checkpoint goes through.
    await b.manager.checkpoint(shardId, { checkpoint: '1000', attempt: 1 }, signal());
    expect((await b.store.list(pipeline, signal())).find((l) => l.shardId === shardId)).toMatchObject({ owner: 'worker-b', checkpoint: '1000', attempt: 1 });
    process.stderr.write(`[lease-manager] failover after ${failoverMs} ms\n`);
  });

  it('a graceful stop releases every lease, so the other instance takes them at its next cycle', async () => {
    // Allowed to steal up to 4 per cycle, so it balances in one cycle instead of four (keeps this test short).
    const c = instance('worker-c', pipeline, 4);
    await c.manager.start();
    await waitFor(() => b.count() === 4 && c.count() === 4, 6 * LEASE_MS, '4/4 with the new instance');
    // Final checkpoints, then stop: released, not left to expire.
    for (const lease of c.manager.owned()) await c.manager.checkpoint(lease.shardId, { checkpoint: `final-${lease.shardId}`, attempt: 0 }, signal());
    const handedOver = c.manager.owned().map((l) => l.shardId);
    const t0 = Date.now();
    await c.manager.stop();
    await c.manager.stop();
    expect(c.manager.state).toBe('stopped');
    expect(c.count()).toBe(0);
    const free = (await c.store.list(pipeline, signal())).filter((l) => l.owner === null).map((l) => l.shardId);
    expect(free.sort()).toEqual([...handedOver].sort());

    await waitFor(() => b.count() === 8, 2 * LEASE_MS, 'b takes the released leases');
    const handoverMs = Date.now() - t0;
    // Taken as free leases (no owner switch counted), within one take cycle: no waiting for counters to stand still.
    expect(handoverMs).toBeLessThan(2 * LEASE_MS);
    const taken = b.acquired.filter((l) => handedOver.includes(l.shardId)).slice(-4);
    expect(taken.map((l) => l.checkpoint).sort()).toEqual(handedOver.map((id) => `final-${id}`).sort());
    expect(taken.every((l) => l.ownerSwitchesSinceCheckpoint === 0)).toBe(true);
    await expect(c.manager.start()).rejects.toMatchObject({ code: 'STOPPED' });
    process.stderr.write(`[lease-manager] hand-over after ${handoverMs} ms\n`);
  });
});
