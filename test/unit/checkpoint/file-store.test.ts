// The file CheckpointStore: the shared contract in a temp folder, plus what only a file store has — the JSON
// layout, atomic replacement, the one-process lock and the freeing of a previous run's owners.

import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.ts';
import { TributaryError } from '../../../src/errors.ts';
import { describeCheckpointStoreContract } from '../../contract/checkpoint-store.contract.ts';

const signal = (): AbortSignal => AbortSignal.timeout(10_000);
const contractDir = await mkdtemp(join(tmpdir(), 'tributary-file-contract-'));
afterAll(async () => {
  await rm(contractDir, { recursive: true, force: true });
});

describeCheckpointStoreContract('file', async () => new FileCheckpointStore({ directory: join(contractDir, 'nested', 'checkpoints') }));

describe('FileCheckpointStore specifics', () => {
  let dir: string;
  const open: FileCheckpointStore[] = [];
  const create = (): FileCheckpointStore => {
    const store = new FileCheckpointStore({ directory: dir });
    open.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-file-store-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one versioned JSON file per pipeline, with a safe file name, and no temp files', async () => {
    const store = create();
    await store.ensureShards('orders/eu', [{ shardId: 'shardId-1', parentShardIds: [] }], signal());
    await store.take('orders/eu', 'shardId-1', 'w1', 0, signal());
    await store.checkpoint('orders/eu', 'shardId-1', 'w1', { checkpoint: '123', attempt: 1 }, signal());
    expect((await readdir(dir)).sort()).toEqual(['orders%2Feu.json', 'orders%2Feu.json.lock']);
    const doc = JSON.parse(await readFile(join(dir, 'orders%2Feu.json'), 'utf8')) as unknown;
    expect(doc).toEqual({
      format: 'tributary-checkpoints/1',
      pipeline: 'orders/eu',
      leases: [{ shardId: 'shardId-1', parentShardIds: [], checkpoint: '123', attempt: 1, laneState: null, owner: 'w1', counter: 1, ownerSwitchesSinceCheckpoint: 0, handoffTo: null, throughput: 0 }],
    });
    await store.close();
    expect(await readdir(dir)).toEqual(['orders%2Feu.json']);
  });

  it('a second store object of this process is refused while the first holds the pipeline', async () => {
    const first = create();
    await first.ensureShards('p', [{ shardId: 's', parentShardIds: [] }], signal());
    const second = create();
    const error = await second.list('p', signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe('CHECKPOINT_FAILED');
    expect((error as Error).message).toMatch(/serves one process only/);
    // Other pipelines are independent.
    await second.ensureShards('q', [{ shardId: 's', parentShardIds: [] }], signal());
    await first.close();
    expect(await second.list('p', signal())).toHaveLength(1);
  });

  it('refuses a lock held by another live process, takes over one left by a dead process', async () => {
    await writeFile(join(dir, 'p.json.lock'), JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname() }));
    const store = create();
    const error = await store.list('p', signal()).catch((e: unknown) => e);
    expect((error as TributaryError).code).toBe('CHECKPOINT_FAILED');
    expect((error as Error).message).toContain(`process ${process.ppid} holds it`);

    // A pid far above any pid_max: that process is gone.
    await writeFile(join(dir, 'p.json.lock'), JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname() }));
    expect(await store.list('p', signal())).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'p.json.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('frees the owners of a previous run on load (the lock proves that run is gone)', async () => {
    const before = create();
    await before.ensureShards('p', [{ shardId: 'a', parentShardIds: [] }, { shardId: 'b', parentShardIds: [] }], signal());
    await before.take('p', 'a', 'old-worker', 0, signal());
    await before.checkpoint('p', 'a', 'old-worker', { checkpoint: '9', attempt: 2 }, signal());
    await before.close();
    const after = create();
    const leases = await after.list('p', signal());
    expect(leases.map((l) => [l.shardId, l.owner, l.checkpoint, l.attempt])).toEqual([['a', null, '9', 2], ['b', null, null, 0]]);
    expect(await after.take('p', 'a', 'new-worker', leases[0]?.counter ?? -1, signal())).toMatchObject({ owner: 'new-worker', checkpoint: '9' });
  });

  it('a damaged file is a non-retryable CHECKPOINT_FAILED that names the file', async () => {
    await writeFile(join(dir, 'p.json'), '{"format": "tributary-checkpoints/1", "pipeline": "p", "leases": [{"shardId": 3}]}');
    const store = create();
    const error = await store.list('p', signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code: 'CHECKPOINT_FAILED', retryable: false });
    expect((error as Error).message).toContain(join(dir, 'p.json'));
    // The lock is not kept after a failed load.
    expect(await readdir(dir)).toEqual(['p.json']);
  });

  it('group commit: a refused change does not affect the others written with it', async () => {
    const store = create();
    const ids = Array.from({ length: 40 }, (_, i) => `s${i}`);
    await store.ensureShards('p', ids.map((shardId) => ({ shardId, parentShardIds: [] })), signal());
    await Promise.all(ids.map((id) => store.take('p', id, 'w1', 0, signal())));
    const results = await Promise.allSettled(
      ids.map((id, i) => store.checkpoint('p', id, i % 4 === 0 ? 'intruder' : 'w1', { checkpoint: String(i), attempt: 0 }, signal())),
    );
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as TributaryError).code)).toEqual(Array.from({ length: 10 }, () => 'LEASE_LOST'));
    const expected = ids.map((id, i) => [id, i % 4 === 0 ? null : String(i)]);
    expect((await store.list('p', signal())).map((l) => [l.shardId, l.checkpoint]).sort()).toEqual(expected.sort());
    // And the file says the same.
    const doc = JSON.parse(await readFile(join(dir, 'p.json'), 'utf8')) as { leases: { shardId: string; checkpoint: string | null }[] };
    expect(doc.leases.map((l) => [l.shardId, l.checkpoint]).sort()).toEqual(expected.sort());
  });

  it('a failed write changes nothing and is retryable', async () => {
    const store = create();
    await store.ensureShards('p', [{ shardId: 's', parentShardIds: [] }], signal());
    await store.take('p', 's', 'w1', 0, signal());
    await rm(dir, { recursive: true, force: true });
    const error = await store.checkpoint('p', 's', 'w1', { checkpoint: '5', attempt: 0 }, signal()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHECKPOINT_FAILED', retryable: true });
    expect((await store.list('p', signal()))[0]).toMatchObject({ checkpoint: null });
  });

  it('refuses calls after close', async () => {
    const store = create();
    await store.close();
    await store.close();
    await expect(store.list('p', signal())).rejects.toMatchObject({ code: 'STOPPED' });
  });
});
