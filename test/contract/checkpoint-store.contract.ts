// The suite every CheckpointStore implementation must pass (DESIGN §6 "contract"). Call it from a test file with
// a factory that returns a NEW store object on the same backing storage each time (same folder, same table); the
// caller owns setting that storage up and tearing it down. Every test uses its own pipeline name, so one backing
// storage serves the whole suite.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TributaryError } from '../../src/errors.ts';
import { SHARD_END, type CheckpointStore, type NewShard, type ShardLease } from '../../src/checkpoint/types.ts';

export type CheckpointStoreFactory = () => Promise<CheckpointStore>;

const signal = (): AbortSignal => AbortSignal.timeout(30_000);
const shard = (shardId: string, parentShardIds: string[] = []): NewShard => ({ shardId, parentShardIds });

async function expectCode(promise: Promise<unknown>, code: string): Promise<TributaryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TributaryError);
  expect((error as TributaryError).code).toBe(code);
  return error as TributaryError;
}

export function describeCheckpointStoreContract(name: string, createStore: CheckpointStoreFactory): void {
  describe(`CheckpointStore contract: ${name}`, () => {
    let store: CheckpointStore;
    let n = 0;
    const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    /** A pipeline name no other test (or earlier run on the same table) uses. */
    const pipeline = (): string => `contract-${run}-${(n += 1)}`;
    const find = async (p: string, id: string): Promise<ShardLease | undefined> => (await store.list(p, signal())).find((l) => l.shardId === id);

    beforeAll(async () => {
      store = await createStore();
      await store.open?.(signal());
    });
    afterAll(async () => {
      await store.close();
    });

    it('stores the lane state with a checkpoint, keeps it when an update leaves it out, and removes it with null', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('a')], signal());
      await store.take(p, 'a', 'w1', 0, signal());
      await store.checkpoint(p, 'a', 'w1', { checkpoint: '100', attempt: 2, laneState: '{"v":1,"retries":[["101",2]]}' }, signal());
      expect((await store.list(p, signal()))[0]).toMatchObject({ checkpoint: '100', attempt: 2, laneState: '{"v":1,"retries":[["101",2]]}' });
      await store.checkpoint(p, 'a', 'w1', { checkpoint: '120', attempt: 0 }, signal());
      expect((await store.list(p, signal()))[0]).toMatchObject({ checkpoint: '120', laneState: '{"v":1,"retries":[["101",2]]}' });
      await store.checkpoint(p, 'a', 'w1', { checkpoint: '130', attempt: 0, laneState: null }, signal());
      expect((await store.list(p, signal()))[0]).toMatchObject({ checkpoint: '130', laneState: null });
    });

    it('a hand-over: a request is conditional on the owner it names and no earlier request; the owner transfers; a take clears a request', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('a'), shard('b')], signal());
      const a = await store.take(p, 'a', 'w1', 0, signal());
      expect(await store.requestHandoff(p, 'a', 'w2', 'w9', signal())).toBe(false); // not the owner it names
      expect(await store.requestHandoff(p, 'a', 'w1', 'w1', signal())).toBe(false); // already the owner
      expect(await store.requestHandoff(p, 'b', 'w2', 'w1', signal())).toBe(false); // free: take it instead
      // A renewal between the listing and the request does not refuse it: the owner renews all the time.
      expect(await store.renew(p, 'a', 'w1', signal())).toBe(true);
      expect(await store.requestHandoff(p, 'a', 'w2', 'w1', signal())).toBe(true);
      expect(await store.requestHandoff(p, 'a', 'w3', 'w1', signal())).toBe(false); // asked already
      expect((await store.list(p, signal()))[0]).toMatchObject({ owner: 'w1', handoffTo: 'w2' });
      // The owner still renews and checkpoints while it finishes.
      expect(await store.renew(p, 'a', 'w1', signal(), 42.5)).toBe(true);
      await store.checkpoint(p, 'a', 'w1', { checkpoint: '9', attempt: 0 }, signal());
      await expect(store.transfer(p, 'a', 'w2', signal())).rejects.toMatchObject({ code: 'LEASE_LOST' });
      const moved = await store.transfer(p, 'a', 'w1', signal());
      expect(moved).toMatchObject({ owner: 'w2', handoffTo: null, checkpoint: '9', throughput: 42.5, counter: (a?.counter ?? 0) + 3, ownerSwitchesSinceCheckpoint: 1 });
      await expect(store.checkpoint(p, 'a', 'w1', { checkpoint: '10', attempt: 0 }, signal())).rejects.toMatchObject({ code: 'LEASE_LOST' });
      expect(await store.transfer(p, 'a', 'w2', signal())).toBeNull(); // nobody asked
      const b = await store.take(p, 'b', 'w1', 0, signal());
      expect(await store.requestHandoff(p, 'b', 'w2', 'w1', signal())).toBe(true);
      const taken = await store.take(p, 'b', 'w3', b?.counter ?? 0, signal());
      expect(taken).toMatchObject({ owner: 'w3', handoffTo: null });
    });

    it('a steal is conditional on the owner it names, not the counter (a live owner renews between listing and steal), counts a switch and clears a request', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s'), shard('free')], signal());
      const listed = await store.take(p, 's', 'w1', 0, signal());
      expect(await store.renew(p, 's', 'w1', signal())).toBe(true); // the counter moved since w2 listed it
      expect(await store.requestHandoff(p, 's', 'w3', 'w1', signal())).toBe(true);
      expect(await store.steal(p, 's', 'w2', 'w9', signal())).toBeNull(); // not the owner it names
      expect(await store.steal(p, 's', 'w1', 'w1', signal())).toBeNull(); // its own
      expect(await store.steal(p, 'free', 'w2', 'w1', signal())).toBeNull(); // free: take it instead
      expect(await store.steal(p, 'nope', 'w2', 'w1', signal())).toBeNull();
      const stolen = await store.steal(p, 's', 'w2', 'w1', signal());
      expect(stolen).toMatchObject({ owner: 'w2', counter: (listed?.counter ?? 0) + 2, ownerSwitchesSinceCheckpoint: 1, handoffTo: null });
      expect(await find(p, 's')).toEqual(stolen);
      // The old owner is fenced.
      expect(await store.renew(p, 's', 'w1', signal())).toBe(false);
      await expect(store.checkpoint(p, 's', 'w1', { checkpoint: '1', attempt: 0 }, signal())).rejects.toMatchObject({ code: 'LEASE_LOST' });
    });

    it('ensureShards creates free leases with lineage, and lists them in shardId order', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s-2', ['s-0', 's-1']), shard('s-0'), shard('s-1')], signal());
      const leases = await store.list(p, signal());
      expect(leases.map((l) => l.shardId)).toEqual(['s-0', 's-1', 's-2']);
      expect(leases[2]).toEqual({
        pipeline: p, shardId: 's-2', parentShardIds: ['s-0', 's-1'], checkpoint: null, attempt: 0, laneState: null, owner: null, counter: 0, ownerSwitchesSinceCheckpoint: 0, handoffTo: null, throughput: 0,
      });
    });

    it('ensureShards is idempotent and never touches existing rows', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('a')], signal());
      const taken = await store.take(p, 'a', 'w1', 0, signal());
      await store.checkpoint(p, 'a', 'w1', { checkpoint: '100', attempt: 2 }, signal());
      await store.ensureShards(p, [shard('a', ['other-parent']), shard('b'), shard('b')], signal());
      await store.ensureShards(p, [shard('a'), shard('b')], signal());
      const leases = await store.list(p, signal());
      expect(leases.map((l) => l.shardId)).toEqual(['a', 'b']);
      expect(leases[0]).toMatchObject({ owner: 'w1', counter: taken?.counter, checkpoint: '100', attempt: 2, parentShardIds: [] });
      await store.ensureShards(p, [], signal());
    });

    it('stores a retry count before anything was settled (checkpoint null), then a checkpoint', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('a')], signal());
      await store.take(p, 'a', 'w1', 0, signal());
      await store.checkpoint(p, 'a', 'w1', { checkpoint: null, attempt: 3 }, signal());
      expect((await store.list(p, signal()))[0]).toMatchObject({ checkpoint: null, attempt: 3, owner: 'w1' });
      await store.checkpoint(p, 'a', 'w1', { checkpoint: '42', attempt: 0 }, signal());
      expect((await store.list(p, signal()))[0]).toMatchObject({ checkpoint: '42', attempt: 0 });
    });

    it('list keeps pipelines apart and is empty for an unknown one', async () => {
      const p1 = pipeline();
      const p2 = pipeline();
      await store.ensureShards(p1, [shard('x')], signal());
      await store.ensureShards(p2, [shard('y')], signal());
      expect((await store.list(p1, signal())).map((l) => l.shardId)).toEqual(['x']);
      expect((await store.list(p2, signal())).map((l) => [l.pipeline, l.shardId])).toEqual([[p2, 'y']]);
      expect(await store.list(pipeline(), signal())).toEqual([]);
    });

    it('take succeeds with the right counter and returns null with a wrong one or for an unknown shard', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      expect(await store.take(p, 's', 'w1', 5, signal())).toBeNull();
      const taken = await store.take(p, 's', 'w1', 0, signal());
      expect(taken).toMatchObject({ pipeline: p, shardId: 's', owner: 'w1', counter: 1, ownerSwitchesSinceCheckpoint: 0 });
      expect(await store.take(p, 's', 'w2', 0, signal())).toBeNull();
      expect(await store.take(p, 'nope', 'w1', 0, signal())).toBeNull();
      expect(await find(p, 's')).toEqual(taken);
    });

    it('take from another owner counts an owner switch; a checkpoint resets the count', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      await store.take(p, 's', 'w1', 0, signal());
      const stolen = await store.take(p, 's', 'w2', 1, signal());
      expect(stolen).toMatchObject({ owner: 'w2', counter: 2, ownerSwitchesSinceCheckpoint: 1 });
      const back = await store.take(p, 's', 'w1', 2, signal());
      expect(back).toMatchObject({ owner: 'w1', counter: 3, ownerSwitchesSinceCheckpoint: 2 });
      const again = await store.take(p, 's', 'w1', 3, signal());
      expect(again).toMatchObject({ owner: 'w1', counter: 4, ownerSwitchesSinceCheckpoint: 2 });
      await store.checkpoint(p, 's', 'w1', { checkpoint: '7', attempt: 0 }, signal());
      expect(await find(p, 's')).toMatchObject({ ownerSwitchesSinceCheckpoint: 0, counter: 4 });
    });

    it('renew increments the counter for the owner only', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s'), shard('free')], signal());
      await store.take(p, 's', 'w1', 0, signal());
      expect(await store.renew(p, 's', 'w1', signal())).toBe(true);
      expect(await store.renew(p, 's', 'w1', signal())).toBe(true);
      expect(await find(p, 's')).toMatchObject({ owner: 'w1', counter: 3 });
      expect(await store.renew(p, 's', 'w2', signal())).toBe(false);
      expect(await store.renew(p, 'free', 'w1', signal())).toBe(false);
      expect(await store.renew(p, 'nope', 'w1', signal())).toBe(false);
      expect(await find(p, 's')).toMatchObject({ owner: 'w1', counter: 3 });
    });

    it('checkpoint is fenced: after another owner takes the lease, the first owner gets LEASE_LOST', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      const first = await store.take(p, 's', 'w1', 0, signal());
      await store.checkpoint(p, 's', 'w1', { checkpoint: '10', attempt: 0 }, signal());
      // w2 judged the lease expired at the counter it last saw and takes it.
      expect(await store.take(p, 's', 'w2', first?.counter ?? -1, signal())).not.toBeNull();
      await expectCode(store.checkpoint(p, 's', 'w1', { checkpoint: '20', attempt: 0 }, signal()), 'LEASE_LOST');
      expect(await find(p, 's')).toMatchObject({ owner: 'w2', checkpoint: '10' });
      await store.checkpoint(p, 's', 'w2', { checkpoint: '30', attempt: 0 }, signal());
      expect(await find(p, 's')).toMatchObject({ owner: 'w2', checkpoint: '30' });
      await expectCode(store.checkpoint(p, 'nope', 'w2', { checkpoint: '1', attempt: 0 }, signal()), 'LEASE_LOST');
    });

    it('a free lease cannot be checkpointed', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      await expectCode(store.checkpoint(p, 's', 'w1', { checkpoint: '1', attempt: 0 }, signal()), 'LEASE_LOST');
      expect(await find(p, 's')).toMatchObject({ checkpoint: null });
    });

    it('the attempt count and checkpoint survive a release and a take by another owner', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      await store.take(p, 's', 'w1', 0, signal());
      await store.checkpoint(p, 's', 'w1', { checkpoint: '49590338271490256608559692538361571095921575989136588898', attempt: 3 }, signal());
      await store.release(p, 's', 'w1', signal());
      const lease = await find(p, 's');
      const taken = await store.take(p, 's', 'w2', lease?.counter ?? -1, signal());
      expect(taken).toMatchObject({ owner: 'w2', checkpoint: '49590338271490256608559692538361571095921575989136588898', attempt: 3 });
    });

    it('release frees the lease for the owner only, and moves the counter', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      await store.take(p, 's', 'w1', 0, signal());
      await expectCode(store.release(p, 's', 'w2', signal()), 'LEASE_LOST');
      await store.release(p, 's', 'w1', signal());
      const lease = await find(p, 's');
      expect(lease).toMatchObject({ owner: null, counter: 2 });
      await expectCode(store.release(p, 's', 'w1', signal()), 'LEASE_LOST');
      expect(await store.renew(p, 's', 'w1', signal())).toBe(false);
      // A listing from before the release is stale: its counter no longer matches.
      expect(await store.take(p, 's', 'w2', 1, signal())).toBeNull();
      expect(await store.take(p, 's', 'w2', 2, signal())).toMatchObject({ owner: 'w2', ownerSwitchesSinceCheckpoint: 0 });
    });

    it('remove deletes the given leases only; unknown ones are ignored', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('a'), shard('b'), shard('c')], signal());
      await store.take(p, 'a', 'w1', 0, signal());
      await store.checkpoint(p, 'a', 'w1', { checkpoint: SHARD_END, attempt: 0 }, signal());
      await store.remove(p, ['a', 'c', 'zzz'], signal());
      expect((await store.list(p, signal())).map((l) => l.shardId)).toEqual(['b']);
      await store.remove(p, [], signal());
      await expectCode(store.checkpoint(p, 'a', 'w1', { checkpoint: SHARD_END, attempt: 0 }, signal()), 'LEASE_LOST');
    });

    it('list returns parents and SHARD_END checkpoints (what lineage decisions need)', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('parent'), shard('child-1', ['parent']), shard('child-2', ['parent', 'other'])], signal());
      await store.take(p, 'parent', 'w1', 0, signal());
      await store.checkpoint(p, 'parent', 'w1', { checkpoint: SHARD_END, attempt: 0 }, signal());
      const leases = await store.list(p, signal());
      expect(leases.map((l) => [l.shardId, l.parentShardIds, l.checkpoint])).toEqual([
        ['child-1', ['parent'], null],
        ['child-2', ['parent', 'other'], null],
        ['parent', [], SHARD_END],
      ]);
    });

    it('concurrent writes to different shards of one pipeline are all kept', async () => {
      const p = pipeline();
      const ids = Array.from({ length: 12 }, (_, i) => `shard-${String(i).padStart(2, '0')}`);
      await store.ensureShards(p, ids.map((id) => shard(id)), signal());
      await Promise.all(ids.map((id) => store.take(p, id, 'w1', 0, signal())));
      await Promise.all(ids.map((id, i) => store.checkpoint(p, id, 'w1', { checkpoint: String(1000 + i), attempt: i % 3 }, signal())));
      await Promise.all(ids.map((id) => store.renew(p, id, 'w1', signal())));
      const leases = await store.list(p, signal());
      expect(leases.map((l) => [l.shardId, l.owner, l.counter, l.checkpoint, l.attempt])).toEqual(
        ids.map((id, i) => [id, 'w1', 2, String(1000 + i), i % 3]),
      );
    });

    it('only one of two concurrent takes at the same counter wins', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      const results = await Promise.all([store.take(p, 's', 'w1', 0, signal()), store.take(p, 's', 'w2', 0, signal())]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const winner = results.find((r) => r !== null);
      expect(await find(p, 's')).toMatchObject({ owner: winner?.owner, counter: 1 });
    });

    it('checkpoints are durable: a new store object on the same storage reads them back', async () => {
      const p = pipeline();
      const writer = await createStore();
      try {
        await writer.ensureShards(p, [shard('s', ['gone'])], signal());
        await writer.take(p, 's', 'w1', 0, signal());
        await writer.checkpoint(p, 's', 'w1', { checkpoint: '42', attempt: 1 }, signal());
        await writer.release(p, 's', 'w1', signal());
      } finally {
        await writer.close();
      }
      const reader = await createStore();
      try {
        expect(await reader.list(p, signal())).toEqual([
          { pipeline: p, shardId: 's', parentShardIds: ['gone'], checkpoint: '42', attempt: 1, laneState: null, owner: null, counter: 2, ownerSwitchesSinceCheckpoint: 0, handoffTo: null, throughput: 0 },
        ]);
      } finally {
        await reader.close();
      }
    });

    it('an aborted signal fails the call with STOPPED, without writing', async () => {
      const p = pipeline();
      await store.ensureShards(p, [shard('s')], signal());
      await expectCode(store.take(p, 's', 'w1', 0, AbortSignal.abort()), 'STOPPED');
      await expectCode(store.checkpoint(p, 's', 'w1', { checkpoint: '1', attempt: 0 }, AbortSignal.abort()), 'STOPPED');
      expect(await find(p, 's')).toMatchObject({ owner: null, counter: 0 });
    });
  });
}
