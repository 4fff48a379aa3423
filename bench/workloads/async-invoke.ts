/**
 * Issue 14: the embedded asynchronous-invocation queue (node:sqlite), the durable store behind Invoke's 202 — events
 * stored by concurrent writers, then drained receive(10) → delete, against the same queue written by hand with one
 * fsync'd transaction per operation. Measures the queue only (no HTTP, no function).
 */
import type { BenchOptions, CaseSpec, Workload } from '../lib/types.ts';

export const asyncInvoke: Workload = {
  id: 'async-invoke',
  services: [],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    const params = { events: options.quick ? 500 : 20_000, producers: 64 };
    return [
      {
        id: 'async-invoke/embedded-queue',
        title: `Async Invoke's embedded queue: ${params.events.toLocaleString('en-US')} events stored durably by ${params.producers} concurrent writers, then drained`,
        contenders: [
          { id: 'tributary', role: 'tributary', label: 'Tributary embedded queue (group commit)', module: 'async-queue-tributary', params },
          { id: 'raw', role: 'raw', label: 'node:sqlite, one fsync per operation', module: 'async-queue-raw', params },
        ],
        show: ['throughput', 'cpuPerRecord', 'peakRss'],
        ratio: { metric: 'throughput', better: 'higher' },
      },
    ];
  },
};
