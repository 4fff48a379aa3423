// Retry state of ordered lanes, through the real engine (leased shards, key lanes, stream executor, progress writer)
// on an in-memory stream and a file checkpoint store. Each test here failed on the engine before the lane-engine
// rewrite (issue 11 / issue 12 item 4): retry counts were stored per shard and against the stored checkpoint.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.js';
import { decodeLaneState } from '../../../src/pipeline/ordered/lane-state.js';
import { partitionLane } from '../../../src/policy/stream-partition-lane.js';
import { runThroughEngine, type RunningHarness } from '../../support/engine-harness.ts';
import { MemoryDestination } from '../../support/memory-destination.ts';
import { MemoryStream, memoryStreamConnector, seq } from '../../support/memory-sources.ts';
import { waitFor } from '../../integration/helpers/wait.js';

const dirs: string[] = [];
const running: RunningHarness[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.stop(1_000)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FAST = { baseMs: 5, maxMs: 5 };
const signal = (): AbortSignal => AbortSignal.timeout(5_000);

/** Two partition keys that land in different key lanes with parallelizationFactor 2. */
function keysInTwoLanes(): [string, string] {
  const a = 'key-a';
  for (let i = 0; ; i += 1) {
    const b = `key-b${i}`;
    if (partitionLane(b, 2) !== partitionLane(a, 2)) return [a, b];
  }
}

interface Invoked {
  readonly data: string[];
}

function dataOf(event: unknown): string[] {
  return (event as { Records: { kinesis: { data: string } }[] }).Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());
}

/** `handler` may call `stop()`: the run stops gracefully right after this invocation's answer was applied. */
type Handler = (data: string[], stop: () => void) => unknown;

async function start(stream: MemoryStream, store: FileCheckpointStore, pipeline: Record<string, unknown>, handler: Handler, destination: MemoryDestination | null = null): Promise<{ harness: RunningHarness; invocations: Invoked[]; stopped: () => boolean }> {
  const invocations: Invoked[] = [];
  let harness: RunningHarness | null = null;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    void harness?.stop();
  };
  harness = await runThroughEngine({
    pipeline: { name: 'orders', source: { type: 'kinesis', streamName: 'memory' }, startingPosition: 'TRIM_HORIZON', ...pipeline },
    source: stream,
    connector: memoryStreamConnector,
    store,
    destination,
    backoff: FAST,
    handler: (event) => {
      const data = dataOf(event);
      invocations.push({ data });
      return handler(data, stop);
    },
  });
  running.push(harness);
  return { harness, invocations, stopped: () => stopped };
}

function newStore(): FileCheckpointStore {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-retry-state-'));
  dirs.push(dir);
  return new FileCheckpointStore({ directory: dir });
}

const count = (invocations: readonly Invoked[], item: string): number => invocations.filter((i) => i.data.includes(item)).length;

describe('retry state by position', () => {
  it('with parallelizationFactor 2, only the key lane that failed stores a retry count; after a restart the other lane does not inherit it', async () => {
    const [a, b] = keysInTwoLanes();
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: a, data: 'poison' }, { key: b, data: 'b0' }, { key: b, data: 'b1' }, { key: a, data: 'a1' }]);
    const store = newStore();
    const destination = new MemoryDestination();
    const pipeline = { parallelizationFactor: 2, maximumRetryAttempts: 3, destinationConfig: { onFailure: { destination: 'file:///dev/null' } } };

    let poisonCalls = 0;
    const first = await start(stream, store, pipeline, (data, stop) => {
      if (data.includes('poison')) {
        poisonCalls += 1;
        if (poisonCalls === 3) stop(); // its answer is still applied: a third retry is stored, none runs
        throw new Error('poison');
      }
      return {};
    }, destination);
    await waitFor(first.stopped, 5_000, 'three attempts of the poison');
    await first.harness.stop();
    expect(count(first.invocations, 'b1')).toBe(1);
    const lease = (await store.list('orders', signal()))[0];
    const state = decodeLaneState(lease?.laneState ?? null);
    // One mark, at the poison record's position, with the retries it used (3 failed invocations → 3 retries).
    expect(state.retries).toEqual([{ position: seq(0), retries: count(first.invocations, 'poison'), through: seq(3) }]); // its segment: the a lane's poison and a1

    // The b lane fails once after the restart: with a per-shard count it would inherit 3 retries and be discarded.
    let bFailures = 0;
    const second = await start(stream, store, pipeline, (data) => {
      if (data.includes('poison')) throw new Error('poison');
      if (data.includes('b0') && bFailures === 0) {
        bFailures += 1;
        throw new Error('transient');
      }
      return {};
    }, destination);
    await waitFor(() => destination.delivered.length >= 1 && count(second.invocations, 'b1') >= 2, 5_000, 'the poison discarded and b retried');
    // The poison's batch had no retry left: one more invocation, then the on-failure destination.
    expect(count(second.invocations, 'poison')).toBe(1);
    expect(destination.conditions()).toEqual(['RetryAttemptsExhausted']);
    const discarded = JSON.stringify(destination.delivered);
    expect(discarded).toContain(seq(0));
    expect(discarded).not.toContain(seq(1));
    expect(discarded).not.toContain(seq(2));
  });

  it('during retries the checkpoint moves to the settled prefix and the retry count is stored at the first failed record', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', Array.from({ length: 10 }, (_, i) => ({ key: 'k', data: `r${i}` })));
    const store = newStore();
    const pipeline = { functionResponseTypes: ['ReportBatchItemFailures'], maximumRetryAttempts: 5, batchSize: 10 };
    // Every answer reports r5 and what follows as failed.
    const failFromR5 = (data: string[]): unknown => ({
      batchItemFailures: data.flatMap((d) => (Number(d.slice(1)) >= 5 ? [{ itemIdentifier: seq(Number(d.slice(1))) }] : [])),
    });
    let firstCalls = 0;
    const first = await start(stream, store, pipeline, (data, stop) => {
      if (firstCalls++ === 1) stop();
      return failFromR5(data);
    });
    await waitFor(first.stopped, 5_000, 'a retry');
    await first.harness.stop();
    expect(first.invocations).toHaveLength(2);
    const lease = (await store.list('orders', signal()))[0];
    expect(lease?.checkpoint).toBe(seq(4));
    const marks = decodeLaneState(lease?.laneState ?? null).retries;
    expect(marks).toHaveLength(1);
    expect(marks[0]?.position).toBe(seq(5));
    expect(marks[0]?.retries).toBe(2);

    // After the restart the settled prefix is not read again: the first invocation starts at r5.
    const second = await start(stream, store, pipeline, () => ({}));
    await waitFor(() => second.invocations.length >= 1, 5_000, 'the resumed batch');
    expect(second.invocations[0]?.data[0]).toBe('r5');
  });
});

describe('retry state by segment (chaos suite finding)', () => {
  it("after a restart a poison's stored retries stay with the poison: the next record on its key does not inherit them", async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'poison' }, { key: 'k', data: 'next' }, { key: 'k', data: 'other' }]);
    const store = newStore();
    const destination = new MemoryDestination();
    const pipeline = {
      maximumRetryAttempts: 3,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      destinationConfig: { onFailure: { destination: 'file:///dev/null' } },
    };
    const failed = (ids: string[]): unknown => ({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });
    // First run: the poison is narrowed to itself by bisection and fails alone three times; stopped then.
    let alone = 0;
    const first = await start(stream, store, pipeline, (data, stop) => {
      if (data.length === 1 && data[0] === 'poison' && ++alone === 3) stop();
      if (data.includes('poison')) return failed([seq(0), ...(data.includes('next') ? [seq(1)] : [])]);
      return {};
    }, destination);
    await waitFor(first.stopped, 5_000, 'three failures of the poison alone');
    await first.harness.stop();
    const marks = decodeLaneState((await store.list('orders', signal()))[0]?.laneState ?? null).retries;
    expect(marks).toEqual([{ position: seq(0), retries: 3, through: seq(0) }]);

    // Second run: `next` fails its first invocation, then succeeds. It must be retried, not discarded with the
    // poison's three retries.
    let nextFailures = 0;
    const second = await start(stream, store, pipeline, (data) => {
      const ids = [...(data.includes('poison') ? [seq(0)] : []), ...(data.includes('next') && (data.includes('poison') || nextFailures++ === 0) ? [seq(1)] : [])];
      return ids.length > 0 ? failed(ids) : {};
    }, destination);
    await waitFor(() => destination.delivered.length >= 1 && second.invocations.some((i) => i.data.length === 1 && i.data[0] === 'next' && nextFailures >= 1), 5_000, 'the poison discarded');
    await waitFor(() => second.invocations.filter((i) => i.data.includes('next')).length >= 2, 5_000, 'next retried');
    await second.harness.stop();
    const discarded = JSON.stringify(destination.delivered);
    expect(destination.delivered).toHaveLength(1);
    expect(discarded).toContain(seq(0));
    expect(discarded).not.toContain(seq(1));
    // The poison had no retry left after the restart: one more invocation (with it first), then the destination.
    expect(second.invocations.filter((i) => i.data[0] === 'poison')).toHaveLength(1);
  });
});

describe('parallelizationFactor', () => {
  it('runs N batches per shard, each up to batchSize (not one batch split N ways)', async () => {
    const [a, b] = keysInTwoLanes();
    const stream = new MemoryStream();
    stream.put('shard-0', Array.from({ length: 8 }, (_, i) => ({ key: i % 2 === 0 ? a : b, data: `${i % 2 === 0 ? 'a' : 'b'}${i}` })));
    const { invocations } = await start(stream, newStore(), { parallelizationFactor: 2, batchSize: 4, maximumBatchingWindowInSeconds: 1 }, () => ({}));
    await waitFor(() => invocations.reduce((n, i) => n + i.data.length, 0) >= 8, 5_000, 'every record');
    expect(invocations.map((i) => i.data.length)).toEqual([4, 4]);
    for (const invocation of invocations) expect(new Set(invocation.data.map((d) => d[0]))).toHaveProperty('size', 1);
  });

  it('a key lane that keeps retrying never stalls the other key lanes of its shard', async () => {
    const [a, b] = keysInTwoLanes();
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: a, data: 'poison' }, ...Array.from({ length: 20 }, (_, i) => ({ key: b, data: `b${i}` }))]);
    const { invocations } = await start(stream, newStore(), { parallelizationFactor: 2, batchSize: 5 }, (data) => {
      if (data.includes('poison')) throw new Error('poison');
      return {};
    });
    await waitFor(() => invocations.filter((i) => !i.data.includes('poison')).reduce((n, i) => n + i.data.length, 0) >= 20, 5_000, 'every b record while the poison retries');
    expect(count(invocations, 'poison')).toBeGreaterThanOrEqual(1);
  });
});
