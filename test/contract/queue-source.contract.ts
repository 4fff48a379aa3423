// The suite every QueueSource implementation must pass (DESIGN §3.1, §6 "contract"): open() resolves the queue; a
// lane's read long-polls and returns exact event records; settle deletes what is done and hands back what is
// redelivered (a delay of 0: visible at once; null: the broker's own visibility timeout); what a lane holds stays
// invisible (heartbeat) until it is settled or released, and `release` makes it visible at once and stops the
// heartbeat; through the real engine (elastic pollers, the ack executor) every message reaches the function once,
// and a FIFO queue keeps each message group's order, also when a message fails and comes back.
//
// Run it with a factory of fresh queues on the real broker; the queue's visibility timeout must be
// QUEUE_VISIBILITY_TIMEOUT_SECONDS so the heartbeat and redelivery checks are meaningful.

import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { LaneReader, QueueSource, SourceRecord } from '../../src/connector/types.js';
import { runThroughEngine } from '../support/engine-harness.ts';
import { delay, waitFor } from '../integration/helpers/wait.ts';

/** The queue's VisibilityTimeout: short, so that a message NOT kept invisible shows up again within a test. */
export const QUEUE_VISIBILITY_TIMEOUT_SECONDS = 2;

export interface QueueMessage {
  readonly body: string;
  /** FIFO: the message group. */
  readonly group?: string;
}

export interface QueueFixture {
  readonly fifo: boolean;
  readonly expected: { readonly sourceArn: RegExp; readonly region: string };
  readonly connector: ConnectorDefinition;
  /** The pipeline's `source` as in a config file, for the engine harness. */
  readonly pipelineSource: Readonly<Record<string, unknown>>;
  createSource(): Promise<QueueSource>;
  /** Sends in order (one group's messages keep this order on a FIFO queue). */
  send(messages: readonly QueueMessage[]): Promise<void>;
  /** What the broker counts: visible (ApproximateNumberOfMessages) and in flight (…NotVisible). */
  depth(): Promise<{ readonly visible: number; readonly inFlight: number }>;
  /** A record's event record, decoded: its body and (FIFO) group. */
  decode(eventRecord: Readonly<Record<string, unknown>>): { readonly body: string; readonly group: string | null };
  dispose(): Promise<void>;
}

export type QueueFixtureFactory = (label: string) => Promise<QueueFixture>;

const signal = (): AbortSignal => AbortSignal.timeout(30_000);

/** Reads `lane` until it returned `count` records (several receives; a short long poll each). */
async function readCount(lane: LaneReader, count: number): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  await waitFor(async () => {
    records.push(...(await lane.read({ maxRecords: 10, waitMs: 1_000, signal: signal() })).records);
    return records.length >= count;
  }, 30_000, `${count} messages`);
  return records;
}

/** Longer than the visibility timeout: a message nobody keeps invisible is visible again by then. */
const PAST_VISIBILITY_MS = QUEUE_VISIBILITY_TIMEOUT_SECONDS * 1000 + 1_500;

export function describeQueueSourceContract(name: string, create: QueueFixtureFactory): void {
  describe(`QueueSource contract: ${name}`, () => {
    const fixtures: QueueFixture[] = [];
    const sources: QueueSource[] = [];
    let n = 0;
    /** A fresh queue and an opened source on it. */
    const fresh = async (): Promise<{ fixture: QueueFixture; source: QueueSource }> => {
      const fixture = await create(`q${(n += 1)}`);
      fixtures.push(fixture);
      const source = await fixture.createSource();
      sources.push(source);
      await source.open(signal());
      return { fixture, source };
    };
    const messages = (fixture: QueueFixture, prefix: string, count: number, groups = ['g1', 'g2', 'g3']): QueueMessage[] =>
      Array.from({ length: count }, (_, i) => ({ body: `${prefix}-${i}`, ...(fixture.fifo ? { group: groups[i % groups.length] ?? 'g' } : {}) }));
    const bodies = (fixture: QueueFixture, records: readonly SourceRecord[]): string[] => records.map((r) => fixture.decode(r.eventRecord).body);

    afterAll(async () => {
      for (const source of sources) await source.close().catch(() => undefined);
      for (const fixture of fixtures) await fixture.dispose().catch(() => undefined);
    });

    it('open() resolves the queue ARN and region; the declared capabilities and lanes', async () => {
      const { fixture, source } = await fresh();
      expect(source.kind).toBe('queue');
      expect(source.sourceArn).toMatch(fixture.expected.sourceArn);
      expect(source.region).toBe(fixture.expected.region);
      expect(source.retentionMs).toBeNull();
      expect(source.capabilities).toEqual({ ordering: fixture.fifo ? 'per-group' : 'none', maxBatchSize: fixture.fifo ? 10 : 10_000, pageSize: 10 });
      expect(source.lanes.initial).toBeGreaterThan(0);
      expect(source.lanes.idleMin).toBeLessThanOrEqual(source.lanes.initial);
      expect(source.lanes.max).toBeGreaterThanOrEqual(source.lanes.initial);
    });

    it('a read returns at most maxRecords, as exact event records; toEvent is `{ Records }` of them', async () => {
      const { fixture, source } = await fresh();
      await fixture.send(messages(fixture, 'shape', 15));
      const lane = source.openLane('lane-1');
      const page = await lane.read({ maxRecords: 4, waitMs: 1_000, signal: signal() });
      expect(page).toMatchObject({ end: false, caughtUp: false });
      expect(page.records.length).toBeGreaterThan(0);
      expect(page.records.length).toBeLessThanOrEqual(4);
      for (const r of page.records) {
        const { group } = fixture.decode(r.eventRecord);
        expect(r).toMatchObject({ id: r.eventRecord['messageId'], position: r.eventRecord['receiptHandle'], receiveCount: 1 });
        expect(r.shard).toBe(fixture.fifo ? group : 'queue');
        expect(r.partitionKey).toBe(fixture.fifo ? group : null);
        expect(r.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(r.eventRecord)));
        expect(r.eventRecord).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: source.sourceArn, awsRegion: source.region });
        expect(r.filterPayload).toBe(fixture.decode(r.eventRecord).body);
      }
      expect(source.toEvent(page.records)).toEqual({ Records: page.records.map((r) => r.eventRecord) });
      await source.settle({ done: page.records, redeliver: [], redeliverDelayMs: null }, signal());
      await lane.close();
    });

    it('a read long-polls: one waiting on an empty queue returns the message sent meanwhile', async () => {
      const { fixture, source } = await fresh();
      const lane = source.openLane('lane-1');
      const pending = lane.read({ maxRecords: 10, waitMs: 10_000, signal: signal() });
      await delay(300);
      await fixture.send(messages(fixture, 'poll', 1));
      const page = await pending;
      expect(bodies(fixture, page.records)).toEqual(['poll-0']);
      await source.settle({ done: page.records, redeliver: [], redeliverDelayMs: null }, signal());
    });

    it('settle deletes what is done and makes the redelivered visible at once with a delay of 0; they come back counted', async () => {
      const { fixture, source } = await fresh();
      const sent = messages(fixture, 'settle', 6, ['g1']);
      await fixture.send(sent);
      const lane = source.openLane('lane-1');
      const records = await readCount(lane, sent.length);
      // FIFO: hand back the tail of the group (what follows a failed message must return with it).
      const done = records.slice(0, 3);
      const redeliver = records.slice(3);
      await source.settle({ done, redeliver, redeliverDelayMs: 0 }, signal());
      expect(await fixture.depth()).toEqual({ visible: redeliver.length, inFlight: 0 });
      const again = await readCount(lane, redeliver.length);
      // A FIFO group comes back in its order; a standard queue promises none.
      const inOrder = (list: string[]): string[] => (fixture.fifo ? list : [...list].sort());
      expect(inOrder(bodies(fixture, again))).toEqual(inOrder(bodies(fixture, redeliver)));
      for (const r of again) expect(r.receiveCount).toBe(2);
      await source.settle({ done: again, redeliver: [], redeliverDelayMs: null }, signal());
      expect(await fixture.depth()).toEqual({ visible: 0, inFlight: 0 });
    });

    it('with a redelivery delay of null, a handed-back message waits for the queue’s own visibility timeout', async () => {
      const { fixture, source } = await fresh();
      await fixture.send(messages(fixture, 'timeout', 2, ['g1']));
      const lane = source.openLane('lane-1');
      const records = await readCount(lane, 2);
      await source.settle({ done: [], redeliver: records, redeliverDelayMs: null }, signal());
      // No longer kept invisible by the heartbeat, but not made visible either: in flight until the timeout.
      expect(await fixture.depth()).toEqual({ visible: 0, inFlight: 2 });
      await waitFor(async () => (await fixture.depth()).visible === 2, 10_000 + PAST_VISIBILITY_MS, 'the visibility timeout to hand them back');
    });

    it('what a lane holds stays invisible past the visibility timeout (heartbeat); release makes it visible at once and stops the heartbeat', async () => {
      const { fixture, source } = await fresh();
      await fixture.send(messages(fixture, 'held', 3, ['g1']));
      const lane = source.openLane('lane-1');
      const held = await readCount(lane, 3);
      await delay(PAST_VISIBILITY_MS);
      expect(await fixture.depth()).toEqual({ visible: 0, inFlight: 3 });
      expect(lane.release).toBeDefined();
      await lane.release?.(held);
      expect(await fixture.depth()).toEqual({ visible: 3, inFlight: 0 });
      // A heartbeat still running would hide them again with its next extension.
      await delay(PAST_VISIBILITY_MS);
      expect(await fixture.depth()).toEqual({ visible: 3, inFlight: 0 });
      await lane.close();
    });

    it('through the engine: every message reaches the function once, and is deleted', async () => {
      const { fixture, source } = await fresh();
      const sent = messages(fixture, 'engine', 45);
      await fixture.send(sent);
      const seen: { body: string; group: string | null }[] = [];
      const harness = await runThroughEngine({
        pipeline: { name: `queue-contract-${n}`, source: fixture.pipelineSource, batchSize: 10 },
        source,
        connector: fixture.connector,
        overrides: { maximumBatchingWindowMs: 0 },
        handler: (event) => {
          seen.push(...(event as { Records: Record<string, unknown>[] }).Records.map((r) => fixture.decode(r)));
          return {};
        },
      });
      try {
        await waitFor(() => seen.length >= sent.length, 30_000, 'every message');
        await waitFor(async () => {
          const depth = await fixture.depth();
          return depth.visible + depth.inFlight === 0;
        }, 20_000, 'an empty queue');
      } finally {
        await harness.stop();
      }
      expect(seen.map((s) => s.body).sort()).toEqual(sent.map((m) => m.body).sort());
      if (fixture.fifo) {
        for (const group of ['g1', 'g2', 'g3']) expect(seen.filter((s) => s.group === group).map((s) => s.body)).toEqual(sent.filter((m) => m.group === group).map((m) => m.body));
      }
    });

    it('through the engine: a failed message comes back and succeeds; on a FIFO queue its group waits behind it, in order', async () => {
      const { fixture, source } = await fresh();
      const sent = messages(fixture, 'retry', 12, ['g1', 'g2']);
      await fixture.send(sent);
      const poison = 'retry-2';
      let failures = 0;
      const seen: { body: string; group: string | null }[] = [];
      const harness = await runThroughEngine({
        pipeline: { name: `queue-contract-${n}`, source: fixture.pipelineSource, batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] },
        source,
        connector: fixture.connector,
        overrides: { maximumBatchingWindowMs: 0 },
        handler: (event) => {
          const records = (event as { Records: Record<string, unknown>[] }).Records;
          const at = failures === 0 ? records.findIndex((r) => fixture.decode(r).body === poison) : -1;
          if (at >= 0) failures += 1;
          // As AWS asks of a FIFO handler: stop at the first failure and report it and everything after it; a
          // standard queue's handler reports the failed message only.
          const failed = at < 0 ? [] : fixture.fifo ? records.slice(at) : [records[at]];
          seen.push(...records.filter((r) => !failed.includes(r)).map((r) => fixture.decode(r)));
          return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r?.['messageId'] })) };
        },
      });
      try {
        await waitFor(() => new Set(seen.map((s) => s.body)).size >= sent.length, 30_000, 'every message, the failed one too');
      } finally {
        await harness.stop();
      }
      expect(failures).toBe(1);
      // Each message processed once: the failed ones (FIFO: with what followed them) on their second delivery.
      expect(seen.map((s) => s.body).sort()).toEqual(sent.map((m) => m.body).sort());
      if (fixture.fifo) {
        for (const group of ['g1', 'g2']) expect(seen.filter((s) => s.group === group).map((s) => s.body)).toEqual(sent.filter((m) => m.group === group).map((m) => m.body));
      }
    });
  });
}
