// The stream-source contract through the REAL engine (test/support/engine-harness.ts → LeasedShards, the lane loop,
// the stream executor, the checkpoint tracker) with a file checkpoint store: every record reaches the function once,
// in per-key order; the checkpoint ends at the last record of each shard (SHARD_END for a closed one, whose children
// start only after it); a restart resumes right after the checkpoint. Same fixtures as stream-source.contract.ts.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../src/checkpoint/index.js';
import { SHARD_END, type CheckpointStore } from '../../src/checkpoint/types.js';
import { runThroughEngine, type RunningHarness } from '../support/engine-harness.ts';
import { byKey, writesFor, type DecodedRecord, type StreamFixture, type StreamFixtureFactory } from './stream-fixture.ts';
import { waitFor } from '../integration/helpers/wait.ts';

const KEYS = ['k1', 'k2', 'k3', 'k4', 'k5'];
const signal = (): AbortSignal => AbortSignal.timeout(30_000);

interface Delivery {
  /** Every record the function received, in the order it received them. */
  readonly records: DecodedRecord[];
  readonly invocations: number;
}

export function describeStreamSourceEngineContract(name: string, create: StreamFixtureFactory): void {
  describe(`StreamSource contract through the engine: ${name}`, () => {
    let dir: string;
    let store: CheckpointStore;
    const fixtures: StreamFixture[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tributary-stream-contract-'));
      store = await createCheckpointStore({ type: 'file', path: dir });
    });
    afterAll(async () => {
      await store?.close();
      for (const fixture of fixtures) await fixture.dispose().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    });

    /** Runs a new source object of `fixture` through the engine until `done`, then stops it gracefully. */
    async function consume(fixture: StreamFixture, pipeline: string, done: (delivery: Delivery) => boolean | Promise<boolean>): Promise<Delivery> {
      const delivery: Delivery = { records: [], invocations: 0 };
      const source = await fixture.createSource();
      await source.open(signal());
      const harness: RunningHarness = await runThroughEngine({
        pipeline: { name: pipeline, source: fixture.pipelineSource, startingPosition: 'TRIM_HORIZON', batchSize: 7 },
        source,
        connector: fixture.connector,
        store,
        // One poll interval of the source is enough to see a stream that has gone idle.
        overrides: { maximumBatchingWindowMs: 0 },
        handler: (event) => {
          const records = (event as { Records: Record<string, unknown>[] }).Records;
          delivery.records.push(...records.map((r) => fixture.decode(r)));
          (delivery as { invocations: number }).invocations += 1;
          return {};
        },
      });
      try {
        await waitFor(() => done(delivery), 60_000, `the records of ${pipeline}`);
      } finally {
        await harness.stop();
      }
      return delivery;
    }

    /** The last position the function saw per shard is where each lease's checkpoint stands. */
    async function checkpoints(pipeline: string): Promise<Map<string, string | null>> {
      return new Map((await store.list(pipeline, signal())).map((lease) => [lease.shardId, lease.checkpoint]));
    }

    it('delivers every record once, in per-key order; checkpoints the end; a restart resumes right after it', async () => {
      const fixture = await create('engine');
      fixtures.push(fixture);
      const pipeline = `contract-engine-${Date.now().toString(36)}`;
      const writes = writesFor('first', KEYS, 30);
      await fixture.write(writes);
      const run1 = await consume(fixture, pipeline, (d) => d.records.length >= writes.length);
      expect(run1.records).toHaveLength(writes.length);
      expect(byKey(run1.records)).toEqual(byKey(writes));
      // Several batches of at most batchSize (7).
      expect(run1.invocations).toBeGreaterThanOrEqual(Math.ceil(writes.length / 7));

      // Each shard's checkpoint is the highest position delivered from it (the sequence numbers are per stream).
      const stored = await checkpoints(pipeline);
      const positions = new Set(run1.records.map((r) => r.position));
      const checkpointed = [...stored.values()].filter((c): c is string => c !== null);
      expect(checkpointed.length).toBeGreaterThan(0);
      for (const position of checkpointed) expect(positions.has(position)).toBe(true);
      const highest = [...positions].reduce((max, p) => (BigInt(p) > BigInt(max) ? p : max));
      expect(checkpointed).toContain(highest);

      const more = writesFor('second', KEYS, 10);
      await fixture.write(more);
      const run2 = await consume(fixture, pipeline, (d) => d.records.length >= more.length);
      // Nothing of the first run again: a replay would have come before the new records of its shard.
      expect(run2.records.map(({ key, value }) => ({ key, value }))).toHaveLength(more.length);
      expect(byKey(run2.records)).toEqual(byKey(more));
    });

    it('reads a closed shard to its end, checkpoints SHARD_END, and starts its children only after it', async () => {
      const fixture = await create('engine-close');
      fixtures.push(fixture);
      const pipeline = `contract-engine-close-${Date.now().toString(36)}`;
      const before = writesFor('before', KEYS, 15);
      await fixture.write(before);
      const source = await fixture.createSource();
      await source.open(signal());
      const parents = (await source.listShards(signal())).map((s) => s.shardId);
      await source.close();
      await fixture.closeAll();
      const after = fixture.expected.closeMakesChildren ? writesFor('after', KEYS, 15) : [];
      await fixture.write(after);

      // Done when every record arrived and every closed shard was checkpointed at its end (which may come with a
      // read after its last records).
      const ended = async (): Promise<boolean> => {
        const stored = await checkpoints(pipeline);
        return parents.every((parent) => stored.get(parent) === SHARD_END);
      };
      const delivered = await consume(fixture, pipeline, async (d) => d.records.length >= before.length + after.length && (await ended()));
      expect(delivered.records).toHaveLength(before.length + after.length);
      // Per key, everything written before the close comes before everything written after it.
      expect(byKey(delivered.records)).toEqual(byKey([...before, ...after]));
      const stored = await checkpoints(pipeline);
      for (const parent of parents) expect(stored.get(parent)).toBe(SHARD_END);
      const children = [...stored.keys()].filter((id) => !parents.includes(id));
      expect(children.length > 0).toBe(fixture.expected.closeMakesChildren);
    });
  });
}
