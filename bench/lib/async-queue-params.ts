/**
 * The embedded asynchronous-invocation queue bench (issue 14): `events` events stored durably by `producers`
 * concurrent writers (what concurrent Invoke calls do), then drained by receive(10) → delete, as its pollers do.
 * Throughput is events per second over the whole cycle; both contenders fsync every commit (WAL, synchronous FULL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { num } from './params.ts';
import { cpuSinceUs, monotonicUs, peakRssMb } from './probe.ts';
import type { Measurement, Params } from './types.ts';

export interface AsyncQueueParams {
  readonly events: number;
  readonly producers: number;
}

export function asyncQueueParams(params: Params): AsyncQueueParams {
  return { events: num(params, 'events'), producers: num(params, 'producers') };
}

/** The operations a contender's queue offers. */
export interface BenchQueue {
  send(body: string): Promise<void>;
  /** Up to 10 due messages, hidden; their handles. */
  receive(): Promise<readonly unknown[]>;
  delete(handles: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** Runs the cycle against the queue `open` makes in a fresh folder; checks that every event came out once. */
export async function measureAsyncQueue(p: AsyncQueueParams, open: (path: string) => Promise<BenchQueue>): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-async-queue-'));
  const queue = await open(join(dir, 'queue.sqlite'));
  const body = JSON.stringify({ orderId: 'o-123', items: [{ sku: 'a', qty: 2 }], note: 'x'.repeat(200) });
  try {
    const cpu = process.cpuUsage();
    const startUs = monotonicUs();
    let next = 0;
    await Promise.all(
      Array.from({ length: p.producers }, async () => {
        while (next < p.events) {
          next += 1;
          await queue.send(body);
        }
      }),
    );
    let drained = 0;
    for (;;) {
      const handles = await queue.receive();
      if (handles.length === 0) break;
      drained += handles.length;
      await queue.delete(handles);
    }
    const endUs = monotonicUs();
    const seconds = (endUs - startUs) / 1e6;
    return {
      metrics: { throughput: p.events / seconds, cpuPerRecord: cpuSinceUs(cpu) / p.events, peakRss: peakRssMb() },
      check: drained === p.events ? null : `drained ${drained} of ${p.events} events`,
      window: { startUs, endUs },
    };
  } finally {
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
