// The suite every StreamSource implementation must pass, read directly (DESIGN §3.1, §6 "contract"): open() resolves
// the stream, listShards gives every shard with its lineage, a reader starts at TRIM_HORIZON, LATEST, AFTER a
// position and (where the stream has it) AT_TIMESTAMP, reads in order, ends a closed shard with shardEnd, and every
// record has the exact event shape the core relies on. Run it with a factory of fresh streams on the real service
// (stream-fixture.ts); the same records through the real engine are stream-source-engine.contract.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShardInfo, SourceRecord, StreamSource } from '../../src/connector/types.js';
import { TributaryError } from '../../src/errors.js';
import { rejection } from '../support/rejection.ts';
import { ascending, byKey, readUntil, writesFor, type StreamFixture, type StreamFixtureFactory, type StreamWrite } from './stream-fixture.ts';

const signal = (): AbortSignal => AbortSignal.timeout(30_000);
const KEYS = ['alpha', 'bravo', 'charlie'];

/** Everything on every shard from TRIM_HORIZON, until `count` records (shard by shard). */
async function readAll(source: StreamSource, count: number): Promise<Map<string, SourceRecord[]>> {
  const shards = await source.listShards(signal());
  const byShard = new Map<string, SourceRecord[]>(shards.map((s) => [s.shardId, []]));
  const deadline = Date.now() + 30_000;
  const total = (): number => [...byShard.values()].reduce((n, list) => n + list.length, 0);
  const readers = await Promise.all(shards.map(async (s) => [s.shardId, await source.openReader(s.shardId, { kind: 'TRIM_HORIZON' }, signal())] as const));
  try {
    while (total() < count) {
      if (Date.now() > deadline) throw new Error(`read ${total()} of ${count} records`);
      for (const [shardId, reader] of readers) byShard.get(shardId)?.push(...(await reader.read(100, signal())).records);
      if (total() < count) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await Promise.all(readers.map(([, reader]) => reader.close()));
  }
  return byShard;
}

async function refusal(promise: Promise<unknown>): Promise<TributaryError> {
  const error = await rejection(promise);
  expect(error, 'expected a TributaryError').toBeInstanceOf(TributaryError);
  return error as TributaryError;
}

export function describeStreamSourceContract(name: string, create: StreamFixtureFactory): void {
  describe(`StreamSource contract: ${name}`, () => {
    let fixture: StreamFixture;
    let source: StreamSource;
    const cleanup: (() => Promise<void>)[] = [];
    const written: StreamWrite[] = [];
    let first: Map<string, SourceRecord[]>;

    const decoded = (records: readonly SourceRecord[]): StreamWrite[] => records.map((r) => fixture.decode(r.eventRecord)).map(({ key, value }) => ({ key, value }));

    beforeAll(async () => {
      fixture = await create('reads');
      cleanup.push(() => fixture.dispose());
      source = await fixture.createSource();
      cleanup.push(() => source.close());
    });
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step().catch(() => undefined);
    });

    it('open() resolves the source ARN, its region and the retention; the declared capabilities', async () => {
      expect(source.kind).toBe('stream');
      await source.open(signal());
      const { expected } = fixture;
      expect(source.sourceArn).toMatch(expected.sourceArn);
      expect(source.region).toBe(expected.region);
      expect(source.retentionMs).toBe(expected.retentionMs);
      expect(source.idlePollIntervalMs).toBe(expected.idlePollIntervalMs);
      expect(source.atTimestamp).toBe(expected.atTimestamp);
      expect(source.capabilities).toMatchObject({ ordering: 'per-shard', maxBatchSize: 10_000 });
      expect(source.capabilities.pageSize).toBeGreaterThan(0);
    });

    it('listShards gives every shard, open and without parents, before any reshard', async () => {
      const shards = await source.listShards(signal());
      expect(shards.length).toBeGreaterThan(0);
      for (const shard of shards) expect(shard).toEqual({ shardId: expect.any(String) as string, parentShardIds: [], closed: false });
      expect(new Set(shards.map((s) => s.shardId)).size).toBe(shards.length);
    });

    it('reads everything from TRIM_HORIZON in order (per shard by position, per key as written), with the exact event shape', async () => {
      written.push(...writesFor('trim', KEYS, 12));
      await fixture.write(written);
      first = await readAll(source, written.length);
      const all = [...first.values()].flat();
      expect(all).toHaveLength(written.length);
      expect(byKey(decoded(all))).toEqual(byKey(written));
      for (const [shardId, records] of first) {
        expect(ascending(records.map((r) => r.position))).toBe(true);
        for (const r of records) {
          // The invariants the engine relies on: identity, ordering scope, size, and the event record itself.
          expect(r).toMatchObject({ id: fixture.decode(r.eventRecord).id, shard: shardId, receiveCount: 1 });
          expect(r.partitionKey).toEqual(expect.any(String));
          expect(Number.isFinite(r.arrivedAtMs) && r.arrivedAtMs > 0).toBe(true);
          expect(r.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(r.eventRecord)));
          expect(JSON.parse(JSON.stringify(r.eventRecord))).toEqual(r.eventRecord);
          expect(r.eventRecord).toMatchObject({ eventSourceARN: source.sourceArn, awsRegion: source.region });
          expect(fixture.decode(r.eventRecord).position).toBe(r.position);
          expect(r.undeliverable).toBeUndefined();
        }
        // toEvent is `{ Records: [...] }` of exactly the records' event records, in the order given.
        expect(source.toEvent(records)).toEqual({ Records: records.map((r) => r.eventRecord) });
        expect(source.toEvent([...records].reverse())).toEqual({ Records: [...records].reverse().map((r) => r.eventRecord) });
      }
      expect(source.toEvent([])).toEqual({ Records: [] });
    });

    it('AFTER a position resumes right after it', async () => {
      const [shardId, records] = [...first.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
      expect(records.length).toBeGreaterThan(2);
      const reader = await source.openReader(shardId, { kind: 'AFTER', position: records[1]?.position ?? '' }, signal());
      const { records: rest } = await readUntil(reader, records.length - 2);
      await reader.close();
      expect(rest.map((r) => r.id)).toEqual(records.slice(2).map((r) => r.id));
    });

    it('LATEST reads only what was written after the reader opened', async () => {
      const shards = await source.listShards(signal());
      const readers = await Promise.all(shards.map((s) => source.openReader(s.shardId, { kind: 'LATEST' }, signal())));
      const late = writesFor('late', KEYS, 4);
      await fixture.write(late);
      const got: SourceRecord[] = [];
      const deadline = Date.now() + 20_000;
      while (got.length < late.length && Date.now() < deadline) {
        for (const reader of readers) got.push(...(await reader.read(100, signal())).records);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const reader of readers) expect((await reader.read(100, signal())).records).toEqual([]);
      await Promise.all(readers.map((reader) => reader.close()));
      expect(byKey(decoded(got))).toEqual(byKey(late));
      written.push(...late);
    });

    it('AT_TIMESTAMP starts at the first record that arrived at or after it — or is refused where the stream has no such start', async () => {
      const shards = await source.listShards(signal());
      const shardId = shards[0]?.shardId ?? '';
      if (!fixture.expected.atTimestamp) {
        const refused = await refusal(source.openReader(shardId, { kind: 'AT_TIMESTAMP', timestampMs: Date.now() }, signal()));
        expect(refused.code).toBe('CONFIG_INVALID');
        return;
      }
      const everything = await readAll(source, written.length);
      const [withRecords, records] = [...everything.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
      // Needs the records of the earlier tests (the suite runs in order).
      expect(records.length).toBeGreaterThan(2);
      const middle = records[Math.floor(records.length / 2)];
      const at = middle?.arrivedAtMs ?? 0;
      const reader = await source.openReader(withRecords, { kind: 'AT_TIMESTAMP', timestampMs: at }, signal());
      const expected = records.filter((r) => r.arrivedAtMs >= at);
      const { records: got } = await readUntil(reader, expected.length, 100);
      await reader.close();
      expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    });

    it('a closed shard ends: shardEnd after its last record and from then on; listShards shows it closed, with its lineage', async () => {
      const closing = await create('close');
      cleanup.push(() => closing.dispose());
      const src = await closing.createSource();
      cleanup.push(() => src.close());
      await src.open(signal());
      const before = writesFor('before-close', KEYS, 6);
      await closing.write(before);
      const byShard = await readAll(src, before.length);
      const [shardId, records] = [...byShard.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
      const reader = await src.openReader(shardId, { kind: 'TRIM_HORIZON' }, signal());
      const head = await reader.read(1, signal());
      expect(head).toMatchObject({ shardEnd: false });
      expect(head.records).toHaveLength(1);

      await closing.closeAll();
      const shards = await src.listShards(signal());
      const closed = new Set(byShard.keys());
      for (const id of closed) expect(shards.find((s) => s.shardId === id)).toEqual({ shardId: id, parentShardIds: [], closed: true });
      const children: ShardInfo[] = shards.filter((s) => !closed.has(s.shardId));
      if (closing.expected.closeMakesChildren) {
        expect(children.length).toBeGreaterThan(0);
        for (const child of children) expect(child.closed).toBe(false);
        for (const child of children) expect(child.parentShardIds.length).toBeGreaterThan(0);
        for (const child of children) for (const parent of child.parentShardIds) expect(closed.has(parent)).toBe(true);
        expect(children.some((c) => c.parentShardIds.includes(shardId))).toBe(true);
      } else {
        expect(children).toEqual([]);
      }

      const rest = await readUntil(reader, 1_000, 2);
      expect(rest.shardEnd).toBe(true);
      expect([...head.records, ...rest.records].map((r) => r.id)).toEqual(records.map((r) => r.id));
      expect(await reader.read(10, signal())).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
      await reader.close();
      // A reader opened on the closed shard afterwards reads it all and ends too.
      const late = await src.openReader(shardId, { kind: 'TRIM_HORIZON' }, signal());
      const whole = await readUntil(late, 1_000, 100);
      await late.close();
      expect(whole).toMatchObject({ shardEnd: true });
      expect(whole.records.map((r) => r.id)).toEqual(records.map((r) => r.id));
    });

    it('after close() the source refuses to list or read (STOPPED); close is idempotent', async () => {
      const other = await fixture.createSource();
      await other.open(signal());
      const shards = await other.listShards(signal());
      await other.close();
      await other.close();
      expect((await refusal(other.listShards(signal()))).code).toBe('STOPPED');
      expect((await refusal(other.openReader(shards[0]?.shardId ?? '', { kind: 'TRIM_HORIZON' }, signal()))).code).toBe('STOPPED');
    });
  });
}
