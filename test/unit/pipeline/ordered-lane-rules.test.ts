// Lambda's stream rules through the real engine on an in-memory stream: infinite retries end at the source's
// retention, a record too large to invoke goes to on-failure untried, a destination that refuses for good holds or
// drops as configured, the tumbling window survives a restart, a LATEST start is pinned, and IteratorAge has one
// meaning. Each failed on the engine before this change (issue 12 items 1, 8, 10, 11; issue 19; issue 11).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { decodeLaneState } from '../../../src/pipeline/ordered/lane-state.js';
import { runThroughEngine, type HarnessOptions, type RunningHarness } from '../../support/engine-harness.ts';
import { MemoryDestination } from '../../support/memory-destination.ts';
import { MemoryStream, memoryStreamConnector } from '../../support/memory-sources.ts';
import { waitFor } from '../../integration/helpers/wait.js';

const dirs: string[] = [];
const running: RunningHarness[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((h) => h.stop(1_000)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newStore(): FileCheckpointStore {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-lane-rules-'));
  dirs.push(dir);
  return new FileCheckpointStore({ directory: dir });
}

const dataOf = (event: unknown): string[] =>
  (event as { Records: { kinesis: { data: string } }[] }).Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());

async function start(options: Partial<HarnessOptions> & { source: MemoryStream; pipeline?: Record<string, unknown>; handler: HarnessOptions['handler'] }): Promise<RunningHarness> {
  const harness = await runThroughEngine({
    connector: memoryStreamConnector,
    store: options.store ?? newStore(),
    backoff: { baseMs: 20, maxMs: 20 },
    ...options,
    pipeline: { name: 'orders', source: { type: 'kinesis', streamName: 'memory' }, startingPosition: 'TRIM_HORIZON', ...options.pipeline },
  });
  running.push(harness);
  return harness;
}

const withDestination = { destinationConfig: { onFailure: { destination: 'file:///dev/null' } } };

describe('infinite retries end at the source retention (issue 12 item 1)', () => {
  it('a record that keeps failing with maximumRetryAttempts and maximumRecordAgeInSeconds -1 goes to on-failure once older than the retention', async () => {
    const clock = { offsetMs: 0 };
    const now = (): number => Date.now() + clock.offsetMs;
    const stream = new MemoryStream({ retentionMs: 60_000, now });
    stream.put('shard-0', [{ key: 'k', data: 'poison' }]);
    const destination = new MemoryDestination();
    let calls = 0;
    await start({
      source: stream,
      now,
      destination,
      pipeline: withDestination,
      handler: () => {
        calls += 1;
        if (calls === 2) clock.offsetMs += 61_000; // a minute goes by while the record is retried
        throw new Error('poison');
      },
    });
    await waitFor(() => destination.delivered.length === 1, 5_000, 'the expired record on the destination');
    expect(destination.conditions()).toEqual(['RecordAgeExceeded']);
    expect(calls).toBe(2);
  });
});

describe('payload limits (issue 12 item 8)', () => {
  it('a single record over 6 MB is never invoked: on-failure with MaximumPayloadSizeExceeded, and the shard moves on', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'huge', sizeBytes: 7 * 1024 * 1024 }, { key: 'k', data: 'next' }]);
    const destination = new MemoryDestination();
    const seen: string[] = [];
    await start({ source: stream, destination, pipeline: withDestination, handler: (event) => (seen.push(...dataOf(event)), {}) });
    await waitFor(() => seen.includes('next'), 5_000, 'the next record');
    expect(seen).toEqual(['next']);
    expect(destination.conditions()).toEqual(['MaximumPayloadSizeExceeded']);
    expect((destination.delivered[0]?.['requestContext'] as Record<string, unknown>)['approximateInvokeCount']).toBe(0);
    expect(destination.delivered[0]?.['responseContext']).toBeNull();
  });
});

describe('a destination that refuses for good (issue 12 item 10)', () => {
  it('holds the shard by default, counting each failed delivery', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'poison' }, { key: 'k', data: 'after' }]);
    const destination = new MemoryDestination();
    destination.refusing = true;
    const seen: string[] = [];
    const harness = await start({
      source: stream,
      destination,
      pipeline: { ...withDestination, maximumRetryAttempts: 0, batchSize: 1 },
      handler: (event) => {
        const data = dataOf(event);
        seen.push(...data);
        if (data.includes('poison')) throw new Error('poison');
        return {};
      },
    });
    await waitFor(() => destination.refusals >= 3, 10_000, 'repeated delivery attempts');
    expect(seen).toEqual(['poison']);
    expect((await harness.metrics.destinationDeliveryFailures.get()).values[0]?.value).toBeGreaterThanOrEqual(3);
  });

  it('with onFailureDeliveryExhausted: drop, drops the records after 5 attempts (counted) and moves on', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'poison' }, { key: 'k', data: 'after' }]);
    const destination = new MemoryDestination();
    destination.refusing = true;
    const seen: string[] = [];
    const harness = await start({
      source: stream,
      destination,
      pipeline: { ...withDestination, maximumRetryAttempts: 0, batchSize: 1, onFailureDeliveryExhausted: 'drop' },
      handler: (event) => {
        const data = dataOf(event);
        seen.push(...data);
        if (data.includes('poison')) throw new Error('poison');
        return {};
      },
      backoff: { baseMs: 1, maxMs: 1 },
    });
    await waitFor(() => seen.includes('after'), 60_000, 'the next record');
    expect(destination.refusals).toBe(5);
    expect((await harness.metrics.droppedEvents.get()).values[0]?.value).toBe(1);
    expect((await harness.metrics.destinationDeliveryFailures.get()).values[0]?.value).toBe(5);
  }, 70_000);
});

describe('a destination that drops a record for good (SNS over 256 KB, issue 15)', () => {
  it('counts it as dropped and a delivery failure, never as delivered, and the shard moves on', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'poison' }, { key: 'k', data: 'after' }]);
    const destination = new MemoryDestination();
    destination.dropping = true;
    const seen: string[] = [];
    const harness = await start({
      source: stream,
      destination,
      pipeline: { ...withDestination, maximumRetryAttempts: 0, batchSize: 1 },
      handler: (event) => {
        const data = dataOf(event);
        seen.push(...data);
        if (data.includes('poison')) throw new Error('poison');
        return {};
      },
    });
    await waitFor(() => seen.includes('after'), 5_000, 'the next record');
    expect((await harness.metrics.droppedEvents.get()).values[0]?.value).toBe(1);
    expect((await harness.metrics.destinationDeliveryFailures.get()).values[0]?.value).toBe(1);
    expect((await harness.metrics.onFailureDeliveredEvents.get()).values.reduce((n, v) => n + v.value, 0)).toBe(0);
  });
});

describe('tumbling windows survive a restart (issue 12 item 11)', () => {
  it('the state returned in a window is handed to the next invocation of that window after a restart', async () => {
    const windowStart = Math.floor(Date.now() / 600_000) * 600_000;
    const stream = new MemoryStream();
    stream.put('shard-0', [1, 2, 3].map((n) => ({ key: 'k', data: `r${n}`, arrivedAtMs: windowStart + n })));
    const store = newStore();
    const states: unknown[] = [];
    const handler = (event: unknown): unknown => {
      const { state, Records } = event as { state: { count?: number }; Records: unknown[] };
      states.push(state);
      return { state: { count: (state.count ?? 0) + Records.length } };
    };
    const pipeline = { tumblingWindowInSeconds: 600 };
    const first = await start({ source: stream, store, pipeline, handler });
    await waitFor(() => states.length >= 1, 5_000, 'the first invocation');
    await first.stop();
    stream.put('shard-0', [4, 5].map((n) => ({ key: 'k', data: `r${n}`, arrivedAtMs: windowStart + n })));
    await start({ source: stream, store, pipeline, handler });
    await waitFor(() => states.length >= 2, 5_000, 'the invocation after the restart');
    expect(states[0]).toEqual({});
    expect(states[1]).toEqual({ count: 3 });
  });
});

describe('LATEST is pinned at the first open (issue 19)', () => {
  it('a restart before the first checkpoint resumes where LATEST began, not at a later LATEST', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'old', arrivedAtMs: Date.now() - 3_600_000 }]);
    const store = newStore();
    const pipeline = { startingPosition: 'LATEST' };
    const first = await start({ source: stream, store, pipeline, handler: () => new Promise(() => undefined) });
    await waitFor(() => stream.opened.length === 1, 5_000, 'the shard opened');
    stream.put('shard-0', [{ key: 'k', data: 'new' }]);
    // The function never answers: stopped with the record in flight, nothing is checkpointed.
    await first.stop(100);
    const lease = (await store.list('orders', AbortSignal.timeout(5_000)))[0];
    expect(lease?.checkpoint).toBeNull();
    expect(decodeLaneState(lease?.laneState ?? null).pinnedStart?.kind).toBe('AT_TIMESTAMP');
    const seen: string[] = [];
    await start({ source: stream, store, pipeline, handler: (event) => (seen.push(...dataOf(event)), {}) });
    await waitFor(() => seen.includes('new'), 5_000, 'the record that arrived after the first start');
    expect(seen).toEqual(['new']);
    expect(stream.opened[1]?.start.kind).toBe('AT_TIMESTAMP');
  });
});

describe('IteratorAge has one writer (issue 11)', () => {
  it('is the age of the newest record when invoked, never MillisBehindLatest, and 0 once the shard is idle at its head', async () => {
    const stream = new MemoryStream({ millisBehindLatest: 0 });
    stream.put('shard-0', [{ key: 'k', data: 'old', arrivedAtMs: Date.now() - 30_000 }]);
    const ages: number[] = [];
    const metrics = createMetrics({ defaultMetrics: false });
    const harness = await start({
      source: stream,
      metrics,
      handler: async () => {
        const gauge = await metrics.iteratorAge.get();
        ages.push(gauge?.values.find((v) => v.labels['shard'] === 'shard-0')?.value ?? -1);
        return {};
      },
    });
    await waitFor(() => ages.length >= 1, 5_000, 'the invocation');
    expect(ages[0]).toBeGreaterThanOrEqual(29);
    expect(ages[0]).toBeLessThan(60);
    const idle = async (): Promise<boolean> => (await harness.metrics.iteratorAge.get()).values.find((v) => v.labels['shard'] === 'shard-0')?.value === 0;
    await waitFor(idle, 5_000, 'iterator age 0 at the head');
  });

  it('a read that reports MillisBehindLatest does not write the gauge', async () => {
    const stream = new MemoryStream({ millisBehindLatest: 99_999 });
    stream.put('shard-0', [{ key: 'k', data: 'fresh' }]);
    let invoked = false;
    const harness = await start({ source: stream, handler: () => ((invoked = true), {}) });
    await waitFor(() => invoked, 5_000, 'the invocation');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const value = (await harness.metrics.iteratorAge.get()).values.find((v) => v.labels['shard'] === 'shard-0')?.value ?? 0;
    expect(value).toBeLessThan(5);
  });
});
