/**
 * The `/status` document: each pipeline's lifecycle status plus what the status page shows — shards / partitions
 * with iterator age and offset lag, counter totals, throughput over the last minute and recent notable events.
 * Numbers come from the metrics registry (metric-readings.ts), events from a `RecentEvents` ring buffer.
 */
import type { Registry } from 'prom-client';
import type { RecentEvent, RecentEvents } from '../observability/recent-events.js';
import type { PipelineStatus } from '../pipeline/pipeline.js';
import { readCounters, readLanes, zeroTotals, type CounterTotals, type LaneReading } from './metric-readings.js';
import { ThroughputSampler, type Throughput } from './throughput.js';

export type { CounterTotals, LaneReading } from './metric-readings.js';
export type { Throughput } from './throughput.js';

/** What the server needs from the service. */
export interface StatusSource {
  statuses(): readonly PipelineStatus[];
  ready(): boolean;
  /** Each function's asynchronous-invocation queue (issue 14); absent: `/status` has no `asyncQueues`. */
  asyncQueues?(): Promise<readonly AsyncQueueReport[]>;
}

/** One function's asynchronous-invocation queue in `/status`. */
export interface AsyncQueueReport {
  readonly functionName: string;
  /** Events waiting: visible, delayed for a retry, in flight. */
  readonly messages: number;
  /** Seconds since the oldest waiting event was accepted; null when the queue is empty. */
  readonly oldestEventAgeSeconds: number | null;
}

/** A recent event as served: the recorded event plus its time as an ISO 8601 string. */
export type RecentEventView = RecentEvent & { readonly at: string };

/** One pipeline in `/status`: every `PipelineStatus` field, then the numbers of the status page. */
export interface PipelineStatusReport extends PipelineStatus {
  /** Shards (streams) or partitions (Kafka) this process reported gauges for, sorted by id. */
  readonly shards: readonly LaneReading[];
  /** Totals since this process started. */
  readonly counters: CounterTotals;
  readonly throughput: Throughput;
  /** Newest first, at most the ring buffer's capacity (50). */
  readonly recentEvents: readonly RecentEventView[];
}

export interface StatusReport {
  readonly generatedAt: string;
  readonly ready: boolean;
  readonly pipelines: readonly PipelineStatusReport[];
  /** The functions' asynchronous-invocation queues, when the service has them. */
  readonly asyncQueues?: readonly AsyncQueueReport[];
}

export interface StatusReporterOptions {
  readonly registry: Registry;
  readonly status: StatusSource;
  /** Omitted: `recentEvents` is always empty. */
  readonly recentEvents?: RecentEvents;
  readonly now?: () => number;
  /** Throughput sampling interval (default 2 s). */
  readonly sampleIntervalMs?: number;
  readonly onError?: (error: unknown) => void;
}

export class StatusReporter {
  readonly #registry: Registry;
  readonly #status: StatusSource;
  readonly #recent: RecentEvents | null;
  readonly #now: () => number;
  readonly #sampler: ThroughputSampler;

  constructor(options: StatusReporterOptions) {
    this.#registry = options.registry;
    this.#status = options.status;
    this.#recent = options.recentEvents ?? null;
    this.#now = options.now ?? Date.now;
    this.#sampler = new ThroughputSampler({
      read: () => readCounters(this.#registry),
      now: this.#now,
      ...(options.sampleIntervalMs === undefined ? {} : { intervalMs: options.sampleIntervalMs }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }

  /** Starts sampling counters for throughput. */
  start(): void {
    this.#sampler.start();
  }

  stop(): void {
    this.#sampler.stop();
  }

  async report(): Promise<StatusReport> {
    const [counters, lanes] = await Promise.all([readCounters(this.#registry), readLanes(this.#registry)]);
    const nowMs = this.#now();
    const pipelines = this.#status.statuses().map((status): PipelineStatusReport => {
      const totals = counters.get(status.name) ?? zeroTotals();
      return {
        ...status,
        shards: lanes.get(status.name) ?? [],
        counters: totals,
        throughput: this.#sampler.rates(status.name, totals, nowMs),
        recentEvents: (this.#recent?.list(status.name) ?? []).map((event) => ({ ...event, at: new Date(event.atMs).toISOString() })),
      };
    });
    const asyncQueues = this.#status.asyncQueues === undefined ? undefined : await this.#status.asyncQueues();
    return { generatedAt: new Date(nowMs).toISOString(), ready: this.#status.ready(), pipelines, ...(asyncQueues === undefined ? {} : { asyncQueues }) };
  }
}
