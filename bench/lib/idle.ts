/**
 * Idle cost of a consumer with many lanes: once it is warm (every lane started), CPU over a quiet window, peak
 * RSS, and — for Kinesis, through the counting proxy — GetRecords calls per shard per second in that window.
 */
import { readCounts } from './counting-proxy.ts';
import { list, num, str } from './params.ts';
import { cpuSinceUs, peakRssMb, sleep } from './probe.ts';
import type { Params } from './types.ts';

export interface IdleParams {
  readonly endpoint: string;
  readonly target: string;
  readonly lanes: number;
  readonly warmTimeoutMs: number;
  readonly windowMs: number;
  readonly brokers: string[];
}

export function idleParams(params: Params): IdleParams {
  return {
    endpoint: typeof params['endpoint'] === 'string' ? params['endpoint'] : '',
    target: str(params, 'target'),
    lanes: num(params, 'lanes'),
    warmTimeoutMs: num(params, 'warmTimeoutMs'),
    windowMs: num(params, 'windowMs'),
    brokers: Array.isArray(params['brokers']) ? list(params, 'brokers') : [],
  };
}

/** Polls `ready` until it is true or the time is up; returns a check message when it never was. */
export async function waitWarm(ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return null;
    await sleep(500);
  }
  return `not warm after ${Math.round(timeoutMs / 1000)} s (${what})`;
}

/** Every shard has been polled at least once (the proxy saw a GetRecords for each). */
export async function allShardsPolled(proxyUrl: string, shards: number): Promise<boolean> {
  const counts = await readCounts(proxyUrl);
  return Object.keys(counts.getRecords).filter((k) => !k.startsWith('(')).length >= shards;
}

/** The quiet window: CPU %, peak RSS and (with a proxy) GetRecords per shard per second. */
export async function measureIdle(p: IdleParams, proxyUrl: string | null): Promise<Record<string, number>> {
  const before = proxyUrl === null ? null : await readCounts(proxyUrl);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sleep(p.windowMs);
  const cpuUs = cpuSinceUs(cpu);
  const seconds = (performance.now() - started) / 1000;
  const metrics: Record<string, number> = { idleCpu: (100 * cpuUs) / (seconds * 1e6), peakRss: peakRssMb() };
  if (proxyUrl !== null && before !== null) {
    const after = await readCounts(proxyUrl);
    const deltas = Object.entries(after.getRecords).map(([shard, n]) => n - (before.getRecords[shard] ?? 0));
    metrics['pollsPerShard'] = deltas.reduce((a, b) => a + b, 0) / p.lanes / seconds;
    metrics['maxPollsPerShard'] = Math.max(0, ...deltas) / seconds;
  }
  return metrics;
}
