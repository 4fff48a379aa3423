// The file MappingStore: the shared contract in a temp folder, plus its layout next to the checkpoint files, the
// one-process lock, and a damaged file refused with its path.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileMappingStore, MAPPINGS_FILE } from '../../../src/checkpoint/file-mapping-store.ts';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.ts';
import { describeMappingStoreContract } from '../../contract/mapping-store.contract.ts';

const signal = (): AbortSignal => AbortSignal.timeout(10_000);
const root = await mkdtemp(join(tmpdir(), 'tributary-mapping-store-'));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describeMappingStoreContract('file', async () => new FileMappingStore(join(root, 'contract')));

describe('FileMappingStore specifics', () => {
  it('lives beside the checkpoint files without ever being one, and refuses a second store on the folder', async () => {
    const dir = join(root, 'beside');
    const checkpoints = new FileCheckpointStore({ directory: dir });
    await checkpoints.ensureShards('orders', [{ shardId: 's-1', parentShardIds: [] }], signal());
    const store = new FileMappingStore(dir);
    const record = { uuid: 'u-1', origin: 'api', functionName: 'f', qualifier: null, pipeline: { name: 'u-1' }, awsOnly: {}, status: 'active', lastModifiedMs: 1, version: 1 } as const;
    expect(await store.put(record, null, signal())).toBe(true);
    expect(JSON.parse(await readFile(join(dir, MAPPINGS_FILE), 'utf8'))).toEqual({ format: 'tributary-mappings/1', mappings: [record] });
    expect(await checkpoints.list('orders', signal())).toHaveLength(1);
    const second = new FileMappingStore(dir);
    await expect(second.list(signal())).rejects.toMatchObject({ code: 'CHECKPOINT_FAILED', message: expect.stringContaining('lock') as unknown });
    await Promise.all([store.close(), second.close(), checkpoints.close()]);
  });

  it('a damaged file is refused with its path, never silently emptied', async () => {
    const dir = join(root, 'damaged');
    const store = new FileMappingStore(dir);
    await store.put({ uuid: 'u', origin: 'api', functionName: 'f', qualifier: null, pipeline: {}, awsOnly: {}, status: 'active', lastModifiedMs: 1, version: 1 }, null, signal());
    await store.close();
    await writeFile(join(dir, MAPPINGS_FILE), '{"format":"tributary-mappings/1","mappings":[{"uuid":1}]}');
    const reopened = new FileMappingStore(dir);
    await expect(reopened.list(signal())).rejects.toMatchObject({ code: 'CHECKPOINT_FAILED', message: expect.stringContaining(MAPPINGS_FILE) as unknown });
    await reopened.close();
  });
});
