import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from '../../../src/functions/concurrency-gate.js';
import { admittedRead } from '../../../src/pipeline/lane/admitted-read.js';
import type { LaneReadFn } from '../../../src/pipeline/lane/lane-loop.js';

const record = { id: 'm1' } as never;

describe('admittedRead', () => {
  it('a second poller of a function reserved to 1 does not read until the first settled its batch', async () => {
    const gate = new ConcurrencyGate(1);
    const reads: string[] = [];
    const reader = (name: string): LaneReadFn => async () => {
      reads.push(name);
      return { records: [record], end: false, caughtUp: false };
    };
    const stop = new AbortController();
    const a = admittedRead(reader('a'), (signal) => gate.acquire(signal), stop.signal);
    const b = admittedRead(reader('b'), (signal) => gate.acquire(signal), stop.signal);
    await a.read(10, 0);
    await a.read(10, 0); // the same batch (a batching window): no second admission needed
    const second = b.read(10, 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toEqual(['a', 'a']);
    a.release();
    await second;
    expect(reads).toEqual(['a', 'a', 'b']);
  });

  it('a stop while waiting for admission reads as empty, without reading', async () => {
    const gate = new ConcurrencyGate(0);
    const stop = new AbortController();
    let reads = 0;
    const lane = admittedRead(async () => {
      reads += 1;
      return { records: [record], end: false, caughtUp: false };
    }, (signal) => gate.acquire(signal), stop.signal);
    const pending = lane.read(10, 0);
    stop.abort();
    expect(await pending).toEqual({ records: [], end: false, caughtUp: false });
    expect(reads).toBe(0);
  });

  it('without an admission (no reserved concurrency) reads at once', async () => {
    let reads = 0;
    const lane = admittedRead(async () => {
      reads += 1;
      return { records: [], end: false, caughtUp: true };
    }, undefined, new AbortController().signal);
    await lane.read(10, 0);
    expect(reads).toBe(1);
  });
});
