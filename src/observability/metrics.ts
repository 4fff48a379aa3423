/**
 * Prometheus metrics, named after Lambda's event source mapping metrics (DESIGN §5).
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 *
 * The names are a stable interface: the alert rules, the Grafana dashboard and the autoscaling manifests under
 * deploy/ use them (docs/operations.md lists them). Node's process metrics keep prom-client's standard names
 * (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`…), unprefixed, because that is what stock Node.js
 * dashboards and the `process_*` conventions of Prometheus's client libraries expect
 * (https://prometheus.io/docs/instrumenting/writing_clientlibs/#process-metrics).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InvokeErrorKind } from '../runner/types.js';

export interface Metrics {
  readonly registry: Registry;
  readonly polledEvents: Counter<'pipeline'>;
  readonly filteredOutEvents: Counter<'pipeline'>;
  readonly invokedEvents: Counter<'pipeline'>;
  readonly failedInvokeEvents: Counter<'pipeline'>;
  readonly droppedEvents: Counter<'pipeline'>;
  readonly onFailureDeliveredEvents: Counter<'pipeline'>;
  readonly deletedEvents: Counter<'pipeline'>;
  readonly committedEvents: Counter<'pipeline'>;
  readonly invocations: Counter<'pipeline' | 'outcome'>;
  readonly invocationDuration: Histogram<'pipeline'>;
  readonly concurrentExecutions: Gauge<'pipeline'>;
  readonly coldStarts: Counter<'pipeline'>;
  /** Init phase of `module` sandboxes (Lambda's `Init Duration`), observed on every cold start. */
  readonly initDuration: Histogram<'pipeline'>;
  readonly iteratorAge: Gauge<'pipeline' | 'shard'>;
  readonly offsetLag: Gauge<'pipeline' | 'partition'>;
  /** Largest and total `offsetLag` over a pipeline's partitions (Lambda's MaxOffsetLag / SumOffsetLag, KafkaMetrics). */
  readonly maxOffsetLag: Gauge<'pipeline'>;
  readonly sumOffsetLag: Gauge<'pipeline'>;
  readonly pollers: Gauge<'pipeline'>;
  readonly pollingErrors: Counter<'pipeline'>;
  /** `tributary_pipeline_state{pipeline,state}`: 1 for the pipeline's current state, 0 for the others (set with `setPipelineState`). */
  readonly pipelineState: Gauge<'pipeline' | 'state'>;
  /** Failed attempts to deliver to the on-failure destination (the batch is retried, nothing is settled). */
  readonly destinationDeliveryFailures: Counter<'pipeline'>;
  /** Failed settles: checkpoint writes, Kafka offset commits, SQS deletes (the records are redelivered). */
  readonly commitErrors: Counter<'pipeline'>;
  /** Failed invocations by kind (Lambda's `Errors` metric, split by `InvokeResult` error kind). */
  readonly invokeErrors: Counter<'pipeline' | 'kind'>;
  /** Events Invoke (InvocationType Event) stored in a function's queue (Lambda's AsyncEventsReceived). */
  readonly asyncEventsEnqueued: Counter<'function'>;
  /** Events that left the queue for good: succeeded, or discarded with a condition. */
  readonly asyncEventsDequeued: Counter<'function'>;
  /** Events discarded without a successful run, by condition (Lambda's AsyncEventsDropped). */
  readonly asyncEventsDropped: Counter<'function' | 'condition'>;
  /** Time from Invoke accepting an event to its invocation, per attempt (Lambda's AsyncEventAge). */
  readonly asyncEventAge: Histogram<'function'>;
  /** Events waiting in the queue (visible, delayed, in flight). */
  readonly asyncQueueDepth: Gauge<'function'>;
  /** Age of the oldest waiting event (0 when empty; absent when the queue does not say). */
  readonly asyncOldestEventAge: Gauge<'function'>;
}

/** Every `InvokeResult` error kind, so `tributary_invoke_errors_total` can be initialised per kind. */
export const INVOKE_ERROR_KINDS = ['threw', 'timeout', 'crashed', 'throttled', 'bad-response', 'payload-too-large'] as const satisfies readonly InvokeErrorKind[];

export function createMetrics(options: { defaultMetrics: boolean } = { defaultMetrics: true }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const p = ['pipeline'] as const;
  const offsetLag = gauge('tributary_offset_lag', 'Records between the last written and the last committed offset (OffsetLag).', ['pipeline', 'partition']);
  // Read from the per-partition gauge when scraped, so the three can never disagree.
  const lagOf = (name: string, help: string, combine: (values: readonly number[]) => number): Gauge<'pipeline'> =>
    new Gauge({
      name,
      help,
      labelNames: p,
      registers: [registry],
      async collect() {
        const byPipeline = new Map<string, number[]>();
        for (const { labels, value } of (await offsetLag.get()).values) {
          const pipeline = String(labels['pipeline'] ?? '');
          byPipeline.set(pipeline, [...(byPipeline.get(pipeline) ?? []), value]);
        }
        this.reset();
        for (const [pipeline, values] of byPipeline) this.set({ pipeline }, combine(values));
      },
    });
  return {
    registry,
    polledEvents: counter('tributary_polled_events_total', 'Events read from the source (PolledEventCount).', p),
    filteredOutEvents: counter('tributary_filtered_out_events_total', 'Events dropped by filterCriteria (FilteredOutEventCount).', p),
    invokedEvents: counter('tributary_invoked_events_total', 'Events sent to the function (InvokedEventCount).', p),
    failedInvokeEvents: counter(
      'tributary_failed_invoke_events_total',
      'Events in failed invocations, including those named in batchItemFailures (FailedInvokeEventCount).',
      p,
    ),
    droppedEvents: counter('tributary_dropped_events_total', 'Events dropped after retries or record age, not delivered anywhere (DroppedEventCount).', p),
    onFailureDeliveredEvents: counter(
      'tributary_on_failure_delivered_events_total',
      'Events delivered to the on-failure destination (OnFailureDestinationDeliveredEventCount).',
      p,
    ),
    deletedEvents: counter('tributary_deleted_events_total', 'SQS messages deleted after success or filtering (DeletedEventCount).', p),
    committedEvents: counter('tributary_committed_events_total', 'Kafka events whose offsets were committed (CommittedEventCount).', p),
    invocations: counter('tributary_invocations_total', 'Function invocations by outcome (ok, error, timeout, partial).', ['pipeline', 'outcome']),
    invocationDuration: new Histogram({
      name: 'tributary_invocation_duration_seconds',
      help: 'Function invocation duration.',
      labelNames: p,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
    concurrentExecutions: gauge('tributary_concurrent_executions', 'Invocations in flight (ConcurrentExecutions).', p),
    coldStarts: counter('tributary_cold_starts_total', 'Invocations that initialised the handler.', p),
    initDuration: new Histogram({
      name: 'tributary_init_duration_seconds',
      help: 'Init phase duration of function sandboxes (Lambda Init Duration), per cold start.',
      labelNames: p,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    iteratorAge: gauge('tributary_iterator_age_seconds', 'Age of the last record sent to the function, per shard (IteratorAge).', ['pipeline', 'shard']),
    offsetLag,
    maxOffsetLag: lagOf('tributary_max_offset_lag', 'Largest OffsetLag of the pipeline\'s partitions (MaxOffsetLag; KafkaMetrics).', (values) => Math.max(...values)),
    sumOffsetLag: lagOf('tributary_sum_offset_lag', 'OffsetLag summed over the pipeline\'s partitions (SumOffsetLag; KafkaMetrics).', (values) => values.reduce((sum, v) => sum + v, 0)),
    pollers: gauge('tributary_pollers', 'Active polling lanes (SQS pollers, owned shards, assigned partitions).', p),
    pollingErrors: counter('tributary_polling_errors_total', 'Failed reads from the source (PollingErrorCount).', p),
    pipelineState: gauge('tributary_pipeline_state', 'Lifecycle state of the pipeline: 1 for the current state, 0 for the others.', ['pipeline', 'state']),
    destinationDeliveryFailures: counter(
      'tributary_destination_delivery_failures_total',
      'Failed deliveries to the on-failure destination; the batch is retried and nothing is settled.',
      p,
    ),
    commitErrors: counter('tributary_commit_errors_total', 'Failed settles (checkpoint write, offset commit, SQS delete); the records are redelivered.', p),
    invokeErrors: counter('tributary_invoke_errors_total', 'Failed invocations by error kind (threw, timeout, crashed, throttled, bad-response).', ['pipeline', 'kind']),
    asyncEventsEnqueued: counter('tributary_async_events_enqueued_total', 'Asynchronous invocations stored in the function\'s queue (AsyncEventsReceived).', ['function']),
    asyncEventsDequeued: counter('tributary_async_events_dequeued_total', 'Asynchronous events that left the queue for good (succeeded or discarded).', ['function']),
    asyncEventsDropped: counter('tributary_async_events_dropped_total', 'Asynchronous events discarded without a successful run, by condition (AsyncEventsDropped).', ['function', 'condition']),
    asyncEventAge: new Histogram({
      name: 'tributary_async_event_age_seconds',
      help: 'Time from Invoke accepting an event to each of its invocations (AsyncEventAge).',
      labelNames: ['function'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 180, 600, 3600, 21_600],
      registers: [registry],
    }),
    asyncQueueDepth: gauge('tributary_async_queue_depth', 'Asynchronous events waiting in the function\'s queue (visible, delayed, in flight).', ['function']),
    asyncOldestEventAge: gauge('tributary_async_oldest_event_age_seconds', 'Age of the oldest asynchronous event waiting in the function\'s queue.', ['function']),
  };
}
