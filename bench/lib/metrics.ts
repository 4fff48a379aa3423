/**
 * The metrics contenders report, with their units and how the table prints them. A contender returns only the
 * names below; the runner takes the median of each over the rounds, independently.
 */

export interface MetricDefinition {
  /** Printed after the number. */
  readonly unit: string;
  readonly format: (value: number) => string;
}

/** 1234567 → `1.23M`, 20400 → `20.4k`, 512 → `512`. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 1 : 2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(abs >= 1e5 ? 0 : 1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const METRICS = {
  /** Records (or messages) handled per second, from the first handled record to the last. */
  throughput: { unit: 'rec/s', format: compact },
  /** CPU time (user + system) of the consumer process per handled record, from start() to the last record. */
  cpuPerRecord: { unit: 'µs CPU/rec', format: compact },
  /** process.resourceUsage().maxRSS of the consumer process: its peak, start-up included. */
  peakRss: { unit: 'MB peak RSS', format: (mb: number) => mb.toFixed(0) },
  /** Wall time of one invocation, mean over a series of sequential invocations. */
  perInvoke: { unit: 'µs/invoke', format: compact },
  /** CPU time per invocation (all threads of the process, the worker's included). */
  cpuPerInvoke: { unit: 'µs CPU/invoke', format: compact },
  /** CPU of the consumer process while nothing arrives, in % of one core. */
  idleCpu: { unit: '% CPU idle', format: (pct: number) => pct.toFixed(pct >= 10 ? 0 : 2) },
  /** Mean GetRecords calls per shard per second while idle (Lambda: at most 1). */
  pollsPerShard: { unit: 'GetRecords/shard/s', format: (n: number) => n.toFixed(2) },
  /** The busiest shard's GetRecords calls per second while idle. */
  maxPollsPerShard: { unit: 'GetRecords/s busiest shard', format: (n: number) => n.toFixed(2) },
  /** Wall time from start() to the first handled record (group join, lease take, first fetch). */
  firstRecordMs: { unit: 'ms to first record', format: compact },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

/** `204k rec/s`; unknown names print raw so a typo shows instead of vanishing. */
export function formatMetric(name: string, value: number): string {
  if (!isMetricName(name)) return `${value} ${name}`;
  const definition: MetricDefinition = METRICS[name];
  return `${definition.format(value)} ${definition.unit}`;
}
