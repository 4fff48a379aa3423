// The suite every GroupSource implementation must pass (DESIGN §3.1, §6 "contract"), through the REAL engine
// (test/support/engine-harness.ts → GroupPartitions, ordered lanes, the stream executor): the source hands the core
// each assigned partition; what the core persists is committed (offset + retry metadata) and restored exactly after a
// restart; a rebalance revokes partitions (their signal aborts) and the group reassigns them without losing or
// replaying committed records; `run` reports health, keeps retrying while the brokers cannot be reached, and rejects
// when the client gives up for good (refused credentials), which the engine's supervisor reports and retries.
// Observed at the contract boundary with group-observer.ts; run with a factory of fresh topics and groups.

import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { GroupHost, GroupSource, SourceHealth } from '../../src/connector/types.js';
import { TributaryError } from '../../src/errors.js';
import { runThroughEngine, type RunningHarness } from '../support/engine-harness.ts';
import { observeGroupSource, type GroupObservation } from './group-observer.ts';
import { waitFor } from '../integration/helpers/wait.ts';

export interface GroupMessage {
  readonly partition: number;
  readonly value: string;
}

export interface GroupFixture {
  readonly connector: ConnectorDefinition;
  /** The pipeline's `source` as in a config file (one topic, one consumer group). */
  readonly pipelineSource: Readonly<Record<string, unknown>>;
  /** The topic's partitions as the core names them (`<topic>-<n>`), by number. */
  readonly partitions: readonly string[];
  readonly expected: { readonly sourceArn: string; readonly region: string | null; readonly retentionMs: number | null };
  /** A new, unopened member of the group (a short heartbeat interval, so rebalances are noticed quickly). */
  createSource(): Promise<GroupSource>;
  /** A member whose brokers never answer: the client keeps trying. */
  createUnreachable(): Promise<GroupSource>;
  /** A member whose credentials the brokers refuse: the client gives up for good. */
  createRefused(): Promise<GroupSource>;
  write(messages: readonly GroupMessage[]): Promise<void>;
  /** A record as the function receives it: its partition id, position (offset) and value. */
  decode(eventRecord: Readonly<Record<string, unknown>>): { readonly partition: string; readonly position: string; readonly value: string };
  /** What the group has committed per partition id: the next offset and the commit metadata. */
  committed(): Promise<Map<string, { readonly next: string; readonly metadata: string | null }>>;
  dispose(): Promise<void>;
}

export type GroupFixtureFactory = (label: string) => Promise<GroupFixture>;

type Delivered = ReturnType<GroupFixture['decode']>;

interface Member {
  readonly log: GroupObservation;
  readonly delivered: Delivered[];
  readonly invocations: Delivered[][];
  readonly harness: RunningHarness;
}

const signal = (): AbortSignal => AbortSignal.timeout(30_000);

const spread = (prefix: string, partitions: number, count: number): GroupMessage[] => Array.from({ length: count }, (_, i) => ({ partition: i % partitions, value: `${prefix}-${i}` }));

export function describeGroupSourceContract(name: string, create: GroupFixtureFactory): void {
  describe(`GroupSource contract: ${name}`, () => {
    const fixtures: GroupFixture[] = [];
    const members: Member[] = [];
    let n = 0;
    const fresh = async (): Promise<GroupFixture> => {
      const fixture = await create(`g${(n += 1)}`);
      fixtures.push(fixture);
      return fixture;
    };
    afterAll(async () => {
      for (const member of members) await member.harness.stop().catch(() => undefined);
      for (const fixture of fixtures) await fixture.dispose().catch(() => undefined);
    });

    /** One member of the group, run by the engine; `handler` answers each invocation (default: success). */
    async function join(fixture: GroupFixture, source: GroupSource, extra: Record<string, unknown> = {}, handler: (records: Delivered[]) => unknown = () => ({})): Promise<Member> {
      const observed = observeGroupSource(source);
      const delivered: Delivered[] = [];
      const invocations: Delivered[][] = [];
      await observed.source.open(signal());
      const harness = await runThroughEngine({
        pipeline: { name: `group-contract-${n}`, source: fixture.pipelineSource, startingPosition: 'TRIM_HORIZON', batchSize: 4, ...extra },
        source: observed.source,
        connector: fixture.connector,
        overrides: { maximumBatchingWindowMs: 0 },
        handler: (event) => {
          const records = Object.values((event as { records: Record<string, Record<string, unknown>[]> }).records).flat().map((r) => fixture.decode(r));
          delivered.push(...records);
          invocations.push(records);
          return handler(records);
        },
      });
      const member = { log: observed.log, delivered, invocations, harness };
      members.push(member);
      return member;
    }

    const committedAt = async (fixture: GroupFixture, next: (partition: string) => string): Promise<boolean> => {
      const committed = await fixture.committed();
      return fixture.partitions.every((p) => committed.get(p)?.next === next(p));
    };

    it('open() resolves the source; the declared capabilities', async () => {
      const fixture = await fresh();
      const source = await fixture.createSource();
      try {
        expect(source.kind).toBe('group');
        await source.open(signal());
        expect(source.sourceArn).toBe(fixture.expected.sourceArn);
        expect(source.region).toBe(fixture.expected.region);
        expect(source.retentionMs).toBe(fixture.expected.retentionMs);
        expect(source.capabilities).toMatchObject({ ordering: 'per-shard' });
      } finally {
        await source.close();
      }
    });

    it('hands the core every partition once; each record reaches the function once in partition order; the settled end is committed', async () => {
      const fixture = await fresh();
      const sent = spread('all', fixture.partitions.length, 30);
      await fixture.write(sent);
      const member = await join(fixture, await fixture.createSource());
      await waitFor(() => member.delivered.length >= sent.length, 30_000, 'every record');
      const perPartition = sent.length / fixture.partitions.length;
      await waitFor(() => committedAt(fixture, () => String(perPartition)), 15_000, 'the commits of the end');
      await member.harness.stop();

      expect([...member.log.assigned].sort()).toEqual([...fixture.partitions].sort());
      expect(member.log.health[0]).toEqual({ kind: 'healthy' });
      expect(member.log.health.filter((h) => h.kind === 'degraded')).toEqual([]);
      expect(member.delivered).toHaveLength(sent.length);
      fixture.partitions.forEach((partition, p) => {
        const mine = member.delivered.filter((d) => d.partition === partition);
        expect(mine.map((d) => d.value)).toEqual(sent.filter((m) => m.partition === p).map((m) => m.value));
        expect(mine.map((d) => Number(d.position))).toEqual(Array.from({ length: perPartition }, (_, i) => i));
        // The last progress persisted for the partition is its last record, and the broker took it.
        const last = member.log.persisted.filter((x) => x.partition === partition).at(-1);
        expect(last).toMatchObject({ outcome: 'ok', progress: { checkpoint: String(perPartition - 1), retries: [] } });
      });
      // A graceful stop revokes nothing: the lanes finish and persist, then the member leaves.
      expect(member.log.revoked).toEqual([]);
    });

    it('restores after a restart exactly what it persisted: the settled position and the retry state (commit metadata)', async () => {
      const fixture = await fresh();
      await fixture.write(Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `poison-${i}` })));
      const partition = fixture.partitions[0] ?? '';
      const retries = { maximumRetryAttempts: 3, batchSize: 10 };
      const failing = (): never => {
        throw new Error('poison');
      };
      const withFirst = (member: Member): number => member.invocations.filter((records) => records.some((r) => r.position === '0')).length;
      // Fails every time; stopped after three invocations (three retries used: the fourth is the last one).
      const first = await join(fixture, await fixture.createSource(), retries, failing);
      await waitFor(() => withFirst(first) >= 3, 30_000, 'three failed invocations');
      await first.harness.stop();
      const persisted = first.log.persisted.filter((x) => x.partition === partition && x.outcome === 'ok').at(-1);
      expect(persisted?.progress).toMatchObject({ checkpoint: null });
      expect(persisted?.progress.retries.length).toBeGreaterThan(0);
      expect((await fixture.committed()).get(partition)?.metadata ?? '').not.toBe('');

      // The restart restores exactly that, uses the retry left, then discards and commits past the batch.
      const second = await join(fixture, await fixture.createSource(), retries, failing);
      await waitFor(async () => (await fixture.committed()).get(partition)?.next === '5', 30_000, 'the commit past the discarded batch');
      await second.harness.stop();
      const restored = second.log.restored.find((x) => x.partition === partition)?.progress;
      expect({ checkpoint: restored?.checkpoint, retries: restored?.retries }).toEqual({ checkpoint: persisted?.progress.checkpoint, retries: persisted?.progress.retries });
      // MaximumRetryAttempts 3: four invocations of the first record in all, across the restart.
      expect(withFirst(first) + withFirst(second)).toBe(4);
      // A plain commit clears the retry state.
      expect((await fixture.committed()).get(partition)?.metadata ?? '').toBe('');
    });

    it('a second member joining revokes partitions (signal aborted) and they are reassigned; nothing lost, nothing committed replayed', async () => {
      const fixture = await fresh();
      const count = fixture.partitions.length * 6;
      const before = spread('before', fixture.partitions.length, count);
      await fixture.write(before);
      const a = await join(fixture, await fixture.createSource());
      await waitFor(() => a.delivered.length >= count, 30_000, 'member a to deliver the first records');
      await waitFor(() => committedAt(fixture, () => '6'), 15_000, 'the first commits');

      const b = await join(fixture, await fixture.createSource());
      // The join ends the generation: the first member's partitions are revoked. (A partition is handed to the core
      // when records arrive for it, so the new assignment shows with the next records.)
      await waitFor(() => a.log.revoked.length > 0, 60_000, 'the rebalance');
      const after = spread('after', fixture.partitions.length, count);
      await fixture.write(after);
      const all = (): Delivered[] => [...a.delivered, ...b.delivered];
      await waitFor(() => new Set(all().map((d) => d.value)).size >= count * 2, 60_000, 'every record of both writes');
      await waitFor(() => committedAt(fixture, () => '12'), 30_000, 'the commits of the end');
      await Promise.all([a.harness.stop(), b.harness.stop()]);

      // Both members consumed; every partition went to someone after the rebalance.
      expect(b.delivered.length).toBeGreaterThan(0);
      expect(new Set([...a.log.assigned, ...b.log.assigned])).toEqual(new Set(fixture.partitions));
      // Committed records are never read again by the next owner; the new ones arrive once each, in partition order.
      expect(all().filter((d) => d.value.startsWith('before'))).toHaveLength(count);
      const newOnes = all().filter((d) => d.value.startsWith('after'));
      expect(newOnes.map((d) => d.value).sort()).toEqual(after.map((m) => m.value).sort());
      fixture.partitions.forEach((partition) => {
        for (const member of [a, b]) {
          const positions = member.delivered.filter((d) => d.partition === partition).map((d) => Number(d.position));
          expect(positions).toEqual([...positions].sort((x, y) => x - y));
        }
      });
    });

    it('run() reports degraded health while the brokers cannot be reached, keeps trying, and resolves when stopped', async () => {
      const fixture = await fresh();
      const source = await fixture.createUnreachable();
      const opened = await source.open(AbortSignal.timeout(20_000)).then(() => null, (e: unknown) => e);
      expect(opened).toBeInstanceOf(TributaryError);
      expect((opened as TributaryError).retryable).toBe(true);
      const reports: SourceHealth[] = [];
      const host: GroupHost = { assigned: () => expect.fail('nothing can be assigned'), health: (r) => reports.push(r) };
      const stop = new AbortController();
      const running = source.run(host, stop.signal);
      try {
        await waitFor(() => reports.some((r) => r.kind === 'degraded'), 60_000, 'a degraded health report');
      } finally {
        stop.abort();
      }
      await running;
      await source.close();
      expect(reports.every((r) => r.kind === 'degraded')).toBe(true);
    });

    it('run() rejects for good when the brokers refuse the credentials; the engine reports it and restarts the client', async () => {
      const fixture = await fresh();
      const direct = await fixture.createRefused();
      const error = await direct.run({ assigned: () => expect.fail('nothing can be assigned'), health: () => undefined }, AbortSignal.timeout(30_000)).then(() => null, (e: unknown) => e);
      await direct.close();
      expect(error).toBeInstanceOf(TributaryError);
      expect((error as TributaryError).retryable).toBe(false);

      const observed = observeGroupSource(await fixture.createRefused());
      const harness = await runThroughEngine({ pipeline: { name: `group-contract-refused-${n}`, source: fixture.pipelineSource, startingPosition: 'TRIM_HORIZON' }, source: observed.source, connector: fixture.connector, handler: () => ({}) });
      members.push({ log: observed.log, delivered: [], invocations: [], harness });
      try {
        // The supervisor sees the group client down (what turns the pipeline Failed) and starts it again (back-off).
        await waitFor(() => observed.log.runs >= 2 && harness.health.worst() !== null, 30_000, 'the client to be reported and restarted');
        expect(harness.health.worst()).toMatchObject({ component: 'consumer group' });
        expect(observed.log.runEnds.some((end) => end.kind === 'rejected')).toBe(true);
        expect(observed.log.assigned).toEqual([]);
      } finally {
        await harness.stop();
      }
    });
  });
}
