// LeaseManager driving the file store in a temp folder (no network): two managers of one process share one store
// object, which behaves like the DynamoDB one (same conditional semantics). Short lease durations, real timers.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.ts';
import { LeaseManager, type LeaseLostReason, type LeaseManagerOptions } from '../../../src/checkpoint/lease-manager.ts';
import { SHARD_END, type CheckpointStore, type ShardLease } from '../../../src/checkpoint/types.ts';

const LEASE_MS = 300;
const signal = (): AbortSignal => AbortSignal.timeout(5_000);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

describe('LeaseManager (file store)', () => {
  let dir: string;
  let store: FileCheckpointStore;
  const managers: LeaseManager[] = [];

  function manager(workerId: string, overrides: Partial<LeaseManagerOptions> = {}, on: CheckpointStore = store) {
    const acquired: ShardLease[] = [];
    const lost: { shardId: string; reason: LeaseLostReason }[] = [];
    const m = new LeaseManager({
      store: on,
      pipeline: 'p',
      workerId,
      leaseDurationMs: LEASE_MS,
      onAcquired: (lease) => acquired.push(lease),
      onLost: (shardId, reason) => lost.push({ shardId, reason }),
      ...overrides,
    });
    managers.push(m);
    return { m, acquired, lost, ids: () => m.owned().map((l) => l.shardId).sort() };
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-lease-manager-'));
    store = new FileCheckpointStore({ directory: dir });
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.abandon()));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names the pipeline once in its log lines when the given logger already names it', async () => {
    await store.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }], signal());
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) }).child({ pipeline: 'p' });
    await manager('w1', { logger }).m.start();
    const took = lines.find((line) => line.includes('took lease'));
    expect(took?.match(/"pipeline":/g)).toHaveLength(1);
    expect(JSON.parse(took ?? '{}')).toMatchObject({ pipeline: 'p', worker: 'w1', shard: 'a' });
  });

  it('start takes every free lease before it resolves and reports each once', async () => {
    await store.ensureShards('p', ['a', 'b', 'c'].map((shardId) => ({ shardId, parentShardIds: [] })), signal());
    const one = manager('w1');
    await one.m.start();
    expect(one.m.state).toBe('running');
    expect(one.ids()).toEqual(['a', 'b', 'c']);
    expect(one.acquired.map((l) => [l.shardId, l.owner, l.counter])).toEqual(expect.arrayContaining([['a', 'w1', 1], ['b', 'w1', 1], ['c', 'w1', 1]]));
    await one.m.start();
    expect(one.acquired).toHaveLength(3);
  });

  it('keeps renewing on its own timer: nothing is lost over many lease durations without any checkpoint', async () => {
    await store.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }], signal());
    const one = manager('w1');
    await one.m.start();
    const before = (await store.list('p', signal()))[0]?.counter ?? 0;
    // A rival that would take the lease the moment it expired.
    const rival = manager('w2');
    await rival.m.start();
    await sleep(5 * LEASE_MS);
    const after = (await store.list('p', signal()))[0]?.counter ?? 0;
    expect(after - before).toBeGreaterThanOrEqual(10);
    expect(one.lost).toEqual([]);
    expect(rival.ids()).toEqual([]);
  });

  it('ensureShards on a running manager takes the new shards right away', async () => {
    const one = manager('w1');
    await one.m.start();
    expect(one.ids()).toEqual([]);
    await one.m.ensureShards([{ shardId: 'new', parentShardIds: [] }], signal());
    await waitFor(() => one.ids().length === 1, LEASE_MS / 2, 'the new shard');
  });

  it('a stolen lease is reported lost (renewal refused) and its checkpoint is fenced', async () => {
    await store.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }], signal());
    const one = manager('w1');
    await one.m.start();
    const listed = (await store.list('p', signal()))[0];
    expect(await store.take('p', 'a', 'intruder', listed?.counter ?? -1, signal())).not.toBeNull();
    await waitFor(() => one.lost.length === 1, LEASE_MS, 'the loss');
    expect(one.lost[0]).toEqual({ shardId: 'a', reason: 'renewal-refused' });
    await expect(one.m.checkpoint('a', { checkpoint: '1', attempt: 0 }, signal())).rejects.toMatchObject({ code: 'LEASE_LOST' });
  });

  it('a checkpoint refused by the store calls onLost before rethrowing', async () => {
    await store.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }], signal());
    const one = manager('w1', { leaseDurationMs: 60_000 });
    await one.m.start();
    await store.take('p', 'a', 'intruder', 1, signal());
    await expect(one.m.checkpoint('a', { checkpoint: '1', attempt: 0 }, signal())).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(one.lost).toEqual([{ shardId: 'a', reason: 'checkpoint-refused' }]);
    expect(one.m.holds('a')).toBe(false);
  });

  it('a removed lease is reported lost at the next cycle', async () => {
    await store.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }], signal());
    const one = manager('w1');
    await one.m.start();
    await store.remove('p', ['a'], signal());
    await waitFor(() => one.lost.length === 1, 3 * LEASE_MS, 'the loss');
    expect(one.lost[0]?.shardId).toBe('a');
    expect(['removed', 'renewal-refused']).toContain(one.lost[0]?.reason);
  });

  it('children start only after their parent is checkpointed at SHARD_END and released', async () => {
    await store.ensureShards('p', [{ shardId: 'parent', parentShardIds: [] }, { shardId: 'child', parentShardIds: ['parent'] }], signal());
    const one = manager('w1');
    await one.m.start();
    expect(one.ids()).toEqual(['parent']);
    await one.m.checkpoint('parent', { checkpoint: SHARD_END, attempt: 0 }, signal());
    await one.m.release('parent', signal());
    await one.m.rebalance();
    expect(one.ids()).toEqual(['child']);
    await sleep(2 * LEASE_MS);
    expect(one.ids()).toEqual(['child']);
  });

  it('stop() releases with the final checkpoints kept; it is idempotent and final', async () => {
    await store.ensureShards('p', ['a', 'b'].map((shardId) => ({ shardId, parentShardIds: [] })), signal());
    const one = manager('w1');
    await one.m.start();
    await one.m.checkpoint('a', { checkpoint: '77', attempt: 2 }, signal());
    await Promise.all([one.m.stop(), one.m.stop()]);
    expect(one.m.state).toBe('stopped');
    expect(one.lost).toEqual([]);
    expect((await store.list('p', signal())).map((l) => [l.shardId, l.owner, l.checkpoint, l.attempt])).toEqual([['a', null, '77', 2], ['b', null, null, 0]]);
    await expect(one.m.start()).rejects.toMatchObject({ code: 'STOPPED' });

    const two = manager('w2');
    await two.m.start();
    expect(two.ids()).toEqual(['a', 'b']);
    expect(two.acquired.find((l) => l.shardId === 'a')).toMatchObject({ checkpoint: '77', attempt: 2, ownerSwitchesSinceCheckpoint: 0 });
  });

  it('abandon() leaves the leases to expire; the other manager takes them no sooner than a lease duration after it last saw them renewed', async () => {
    await store.ensureShards('p', ['a', 'b', 'c', 'd'].map((shardId) => ({ shardId, parentShardIds: [] })), signal());
    // One clock for both managers and the measurements (the managers judge expiry with it): the assertion is about
    // the managers' own notion of time, so a slow machine cannot make it fail.
    const now = (): number => performance.now();
    const renewedAt = new Map<string, number>();
    const watched: CheckpointStore = {
      open: (abort) => store.open(abort),
      ensureShards: (pipeline, shards, abort) => store.ensureShards(pipeline, shards, abort),
      list: (pipeline, abort) => store.list(pipeline, abort),
      steal: (pipeline, shardId, thief, from, abort) => store.steal(pipeline, shardId, thief, from, abort),
      take: async (pipeline, shardId, owner, counter, abort) => {
        const taken = await store.take(pipeline, shardId, owner, counter, abort);
        if (taken !== null && owner === 'w1') renewedAt.set(shardId, now());
        return taken;
      },
      renew: async (pipeline, shardId, owner, abort) => {
        const renewed = await store.renew(pipeline, shardId, owner, abort);
        if (renewed && owner === 'w1') renewedAt.set(shardId, now());
        return renewed;
      },
      checkpoint: (pipeline, shardId, owner, update, abort) => store.checkpoint(pipeline, shardId, owner, update, abort),
      release: (pipeline, shardId, owner, abort) => store.release(pipeline, shardId, owner, abort),
      remove: (pipeline, shardIds, abort) => store.remove(pipeline, shardIds, abort),
      requestHandoff: (pipeline, shardId, requester, from, abort) => store.requestHandoff(pipeline, shardId, requester, from, abort),
      transfer: (pipeline, shardId, owner, abort) => store.transfer(pipeline, shardId, owner, abort),
      close: async () => undefined,
    };
    const one = manager('w1', { now }, watched);
    await one.m.start();
    const takenAt = new Map<string, number>();
    const two = manager('w2', { now, onAcquired: (lease) => takenAt.set(lease.shardId, now()) }, watched);
    await two.m.start();
    // Target 2 each: the newcomer steals one at once (one steal per cycle).
    expect(two.ids()).toHaveLength(1);
    const stolen = new Set(two.ids());
    await one.m.abandon();
    await waitFor(() => two.ids().length === 4, 6 * LEASE_MS, 'failover');
    for (const [shardId, at] of takenAt) {
      if (stolen.has(shardId)) continue;
      // A lease is expired once its counter stopped moving for a whole duration (the last renewal w2 could see).
      expect(renewedAt.has(shardId)).toBe(true);
      expect(at - (renewedAt.get(shardId) ?? Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(LEASE_MS);
    }
    expect(two.m.owned().filter((l) => !stolen.has(l.shardId)).every((l) => l.ownerSwitchesSinceCheckpoint === 1)).toBe(true);
  });

  it('with onHandoffRequested, a newcomer asks instead of stealing: the owner finishes, then transfers the lease', async () => {
    await store.ensureShards('p', ['a', 'b'].map((shardId) => ({ shardId, parentShardIds: [] })), signal());
    const events: string[] = [];
    const one = manager('w1', {
      onHandoffRequested: async (shardId) => {
        events.push(`w1 finishing ${shardId}`);
        await sleep(LEASE_MS / 2); // the batch in flight
        events.push(`w1 checkpointed ${shardId}`);
      },
    });
    await one.m.start();
    expect(one.ids()).toEqual(['a', 'b']);
    const two = manager('w2', {
      onHandoffRequested: async () => undefined,
      onAcquired: (lease) => events.push(`w2 acquired ${lease.shardId}`),
    });
    await two.m.start();
    // Nothing is taken from a worker that answers: the lease only moves once its owner finished.
    expect(two.ids()).toEqual([]);
    await waitFor(() => two.ids().length === 1, 10 * LEASE_MS, 'the transfer');
    const moved = two.ids()[0] ?? '';
    expect(events).toEqual([`w1 finishing ${moved}`, `w1 checkpointed ${moved}`, `w2 acquired ${moved}`]);
    expect(one.ids()).toEqual(['a', 'b'].filter((id) => id !== moved));
    expect(one.lost).toEqual([]); // handed over, not lost
    const row = (await store.list('p', signal())).find((l) => l.shardId === moved);
    expect(row).toMatchObject({ owner: 'w2', handoffTo: null });
  });

  // Found in CI (lease-manager-dynamodb: 0 of 4 steals in 8 s on a slow DynamoDB Local): the steal and the hand-over
  // request were conditional on the listed counter, and a live owner renews every third of a lease duration, so a
  // renewal landing between the listing and the write refused every attempt. Here it lands there every time.
  for (const graceful of [false, true]) {
    it(`balances although the owner renews between the newcomer's listing and its ${graceful ? 'hand-over request' : 'steal'}`, async () => {
      await store.ensureShards('p', ['a', 'b', 'c', 'd'].map((shardId) => ({ shardId, parentShardIds: [] })), signal());
      const one = manager('w1', graceful ? { onHandoffRequested: async () => undefined } : {});
      await one.m.start();
      expect(one.ids()).toEqual(['a', 'b', 'c', 'd']);
      const racing: CheckpointStore = {
        ensureShards: (...args) => store.ensureShards(...args),
        list: async (pipeline, abort) => {
          const listed = await store.list(pipeline, abort);
          for (const lease of listed) if (lease.owner === 'w1') await store.renew(pipeline, lease.shardId, 'w1', abort);
          return listed;
        },
        take: (...args) => store.take(...args),
        steal: (...args) => store.steal(...args),
        renew: (...args) => store.renew(...args),
        checkpoint: (...args) => store.checkpoint(...args),
        release: (...args) => store.release(...args),
        remove: (...args) => store.remove(...args),
        requestHandoff: (...args) => store.requestHandoff(...args),
        transfer: (...args) => store.transfer(...args),
        close: async () => undefined,
      };
      const two = manager('w2', graceful ? { onHandoffRequested: async () => undefined } : {}, racing);
      await two.m.start();
      await waitFor(() => two.ids().length === 2 && one.ids().length === 2, 20 * LEASE_MS, '2/2');
      expect([...one.ids(), ...two.ids()].sort()).toEqual(['a', 'b', 'c', 'd']);
    });
  }

  it('gives up a lease locally when renewals keep failing for a lease duration', async () => {
    await store.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }], signal());
    let failing = false;
    const flaky: CheckpointStore = {
      ensureShards: (...args) => store.ensureShards(...args),
      list: (...args) => store.list(...args),
      take: (...args) => store.take(...args),
      steal: (...args) => store.steal(...args),
      renew: async (...args) => {
        if (failing) throw new Error('store unreachable');
        return store.renew(...args);
      },
      checkpoint: (...args) => store.checkpoint(...args),
      release: (...args) => store.release(...args),
      remove: (...args) => store.remove(...args),
      requestHandoff: (...args) => store.requestHandoff(...args),
      transfer: (...args) => store.transfer(...args),
      close: async () => undefined,
    };
    const one = manager('w1', {}, flaky);
    await one.m.start();
    failing = true;
    await waitFor(() => one.lost.length === 1, 3 * LEASE_MS, 'local give-up');
    expect(one.lost[0]).toEqual({ shardId: 'a', reason: 'renewal-expired' });
    // The table still names w1: once the store answers again, the next cycle reclaims it as an orphan.
    failing = false;
    await waitFor(() => one.ids().length === 1, 3 * LEASE_MS, 'reclaim');
  });
});
