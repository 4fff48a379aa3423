// The suite every MappingStore implementation must pass. The factory returns a NEW store object on the same backing
// storage each time (same folder, same table), so the suite also proves that what one object wrote another reads —
// a restart, or another replica. Every test uses its own UUIDs.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappingStore, StoredMapping } from '../../src/checkpoint/mapping-store.ts';

export type MappingStoreFactory = () => Promise<MappingStore>;

const signal = (): AbortSignal => AbortSignal.timeout(30_000);

function mapping(uuid: string, version: number, extra: Partial<StoredMapping> = {}): StoredMapping {
  return {
    uuid,
    origin: 'api',
    functionName: 'orders',
    qualifier: null,
    pipeline: { name: uuid, enabled: true, source: { type: 'sqs', queueArn: 'arn:aws:sqs:us-east-1:000000000000:q' }, batchSize: 5 },
    awsOnly: { MetricsConfig: { Metrics: ['EventCount'] } },
    status: 'active',
    lastModifiedMs: 1_700_000_000_000,
    version,
    ...extra,
  };
}

export function describeMappingStoreContract(name: string, createStore: MappingStoreFactory): void {
  describe(`MappingStore contract: ${name}`, () => {
    let store: MappingStore;
    const others: MappingStore[] = [];
    beforeAll(async () => {
      store = await createStore();
    });
    afterAll(async () => {
      await Promise.all([store, ...others].map((s) => s.close()));
    });
    const find = async (s: MappingStore, uuid: string): Promise<StoredMapping | undefined> => (await s.list(signal())).find((m) => m.uuid === uuid);

    it('creates a record once: a second create of the same UUID is refused', async () => {
      const uuid = randomUUID();
      expect(await store.put(mapping(uuid, 1), null, signal())).toBe(true);
      expect(await store.put(mapping(uuid, 1, { functionName: 'other' }), null, signal())).toBe(false);
      expect(await find(store, uuid)).toEqual(mapping(uuid, 1));
    });

    it('changes a record only from the version the writer read (optimistic concurrency)', async () => {
      const uuid = randomUUID();
      await store.put(mapping(uuid, 1), null, signal());
      expect(await store.put(mapping(uuid, 2, { pipeline: { name: uuid, enabled: false } }), 1, signal())).toBe(true);
      // A writer that read version 1 as well lost the race.
      expect(await store.put(mapping(uuid, 2, { functionName: 'late' }), 1, signal())).toBe(false);
      expect(await find(store, uuid)).toMatchObject({ version: 2, functionName: 'orders', pipeline: { enabled: false } });
    });

    it('removes a record only at the version the remover read', async () => {
      const uuid = randomUUID();
      await store.put(mapping(uuid, 1), null, signal());
      await store.put(mapping(uuid, 2, { status: 'deleting' }), 1, signal());
      expect(await store.remove(uuid, 1, signal())).toBe(false);
      expect(await find(store, uuid)).toMatchObject({ status: 'deleting' });
      expect(await store.remove(uuid, 2, signal())).toBe(true);
      expect(await find(store, uuid)).toBeUndefined();
      expect(await store.remove(uuid, 2, signal())).toBe(false);
    });

    it('what one store object wrote, the next one (a restart, another replica) reads', async () => {
      const uuid = randomUUID();
      const record = mapping(uuid, 1, { origin: 'file', qualifier: '$LATEST', status: 'deleting' });
      await store.put(record, null, signal());
      await store.close();
      store = await createStore();
      expect(await find(store, uuid)).toEqual(record);
    });
  });
}
