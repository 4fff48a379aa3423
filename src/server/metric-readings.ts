/**
 * Reads the numbers `/status` shows straight from the prom-client registry, so the status page and `/metrics`
 * can never disagree and nothing is counted twice. Metric names are those of `observability/metrics.ts`.
 */
import type { Registry } from 'prom-client';

/** Status field → Prometheus counter (DESIGN §5; Lambda's ESM metric in each counter's help text). */
export const COUNTER_METRICS = {
  polled: 'tributary_polled_events_total',
  filteredOut: 'tributary_filtered_out_events_total',
  invoked: 'tributary_invoked_events_total',
  failed: 'tributary_failed_invoke_events_total',
  onFailure: 'tributary_on_failure_delivered_events_total',
  dropped: 'tributary_dropped_events_total',
  deleted: 'tributary_deleted_events_total',
  committed: 'tributary_committed_events_total',
} as const;

export type CounterName = keyof typeof COUNTER_METRICS;

/** Totals of one pipeline since the process started. */
export type CounterTotals = Record<CounterName, number>;

const COUNTER_NAMES = Object.keys(COUNTER_METRICS) as CounterName[];

export const zeroTotals = (): CounterTotals => ({ polled: 0, filteredOut: 0, invoked: 0, failed: 0, onFailure: 0, dropped: 0, deleted: 0, committed: 0 });

/** One shard (Kinesis, DynamoDB Streams) or partition (Kafka) with the gauges known for it. */
export interface LaneReading {
  readonly id: string;
  /** `tributary_iterator_age_seconds`: age of the newest record read or sent to the function; null when not reported. */
  readonly iteratorAgeSeconds: number | null;
  /** `tributary_offset_lag` (Kafka); null when not reported. */
  readonly offsetLag: number | null;
}

interface LabelledValue {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number | undefined>>;
}

async function values(registry: Registry, name: string): Promise<readonly LabelledValue[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return [];
  return (await metric.get()).values;
}

const label = (value: LabelledValue, key: string): string | null => {
  const raw = value.labels[key];
  return raw === undefined ? null : String(raw);
};

/** Counter totals per pipeline name. Pipelines that never incremented a counter read 0 for it. */
export async function readCounters(registry: Registry): Promise<Map<string, CounterTotals>> {
  const byPipeline = new Map<string, CounterTotals>();
  for (const name of COUNTER_NAMES) {
    for (const value of await values(registry, COUNTER_METRICS[name])) {
      const pipeline = label(value, 'pipeline');
      if (pipeline === null) continue;
      let totals = byPipeline.get(pipeline);
      if (totals === undefined) {
        totals = zeroTotals();
        byPipeline.set(pipeline, totals);
      }
      totals[name] += value.value;
    }
  }
  return byPipeline;
}

/** Shards and partitions per pipeline name, sorted by id, from the iterator-age and offset-lag gauges. */
export async function readLanes(registry: Registry): Promise<Map<string, LaneReading[]>> {
  const rows = new Map<string, Map<string, { iteratorAgeSeconds: number | null; offsetLag: number | null }>>();
  const row = (pipeline: string, id: string): { iteratorAgeSeconds: number | null; offsetLag: number | null } => {
    let lanes = rows.get(pipeline);
    if (lanes === undefined) {
      lanes = new Map();
      rows.set(pipeline, lanes);
    }
    let entry = lanes.get(id);
    if (entry === undefined) {
      entry = { iteratorAgeSeconds: null, offsetLag: null };
      lanes.set(id, entry);
    }
    return entry;
  };
  for (const value of await values(registry, 'tributary_iterator_age_seconds')) {
    const [pipeline, shard] = [label(value, 'pipeline'), label(value, 'shard')];
    if (pipeline !== null && shard !== null) row(pipeline, shard).iteratorAgeSeconds = value.value;
  }
  for (const value of await values(registry, 'tributary_offset_lag')) {
    const [pipeline, partition] = [label(value, 'pipeline'), label(value, 'partition')];
    if (pipeline !== null && partition !== null) row(pipeline, partition).offsetLag = value.value;
  }
  const out = new Map<string, LaneReading[]>();
  for (const [pipeline, lanes] of rows) {
    out.set(
      pipeline,
      [...lanes.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([id, reading]) => ({ id, ...reading })),
    );
  }
  return out;
}
