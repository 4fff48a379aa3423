/**
 * Per-pipeline series that exist from the start. Prometheus cannot alert on, or `rate()`, a counter that has no
 * series yet: `increase(tributary_on_failure_delivered_events_total[10m]) > 0` never fires for the first failure
 * of a fresh process, because the series appears with the value 1 and `increase` needs two samples
 * (https://prometheus.io/docs/practices/instrumentation/#avoid-missing-metrics: "initialize them to 0 at startup").
 * So every per-pipeline counter is set to 0 as soon as the pipeline is known, before its first event.
 */
import { PIPELINE_STATES, type PipelineState } from './events.js';
import { INVOKE_ERROR_KINDS, type Metrics } from './metrics.js';

/**
 * The part of a pipeline the seeding needs: its name, and which settle counter its source has (Lambda publishes
 * DeletedEventCount for SQS and CommittedEventCount for Kafka only; the connector says which).
 */
export interface SeedTarget {
  readonly name: string;
  readonly settledMetric?: 'deleted' | 'committed' | null;
}

/** Outcomes of `tributary_invocations_total`, as the executors count them. */
const INVOCATION_OUTCOMES = ['ok', 'error', 'timeout', 'partial'] as const;

/**
 * Creates every per-pipeline series at 0 (counters, the invocation histograms, the in-flight and poller gauges),
 * so dashboards and alerts see the pipeline before its first event. Idempotent: `inc(…, 0)` never lowers a value.
 * Counters that Lambda publishes for one source only stay absent for the others: `tributary_deleted_events_total`
 * (SQS, DeletedEventCount) and `tributary_committed_events_total` (Kafka, CommittedEventCount), as the connector's
 * `settledMetric` says.
 */
export function seedPipelineMetrics(metrics: Metrics, pipeline: SeedTarget): void {
  const labels = { pipeline: pipeline.name };
  const counters = [
    metrics.polledEvents,
    metrics.filteredOutEvents,
    metrics.invokedEvents,
    metrics.failedInvokeEvents,
    metrics.droppedEvents,
    metrics.onFailureDeliveredEvents,
    metrics.coldStarts,
    metrics.pollingErrors,
    metrics.destinationDeliveryFailures,
    metrics.commitErrors,
  ];
  if (pipeline.settledMetric === 'deleted') counters.push(metrics.deletedEvents);
  if (pipeline.settledMetric === 'committed') counters.push(metrics.committedEvents);
  for (const counter of counters) counter.inc(labels, 0);
  for (const outcome of INVOCATION_OUTCOMES) metrics.invocations.inc({ ...labels, outcome }, 0);
  for (const kind of INVOKE_ERROR_KINDS) metrics.invokeErrors.inc({ ...labels, kind }, 0);
  metrics.invocationDuration.zero(labels);
  metrics.initDuration.zero(labels);
  // Gauges another component owns: created at 0 only if nothing has set them yet.
  for (const gauge of [metrics.concurrentExecutions, metrics.pollers]) gauge.inc(labels, 0);
}

/** Sets `tributary_pipeline_state{pipeline,state}` to 1 for `state` and 0 for every other state. */
export function setPipelineState(metrics: Metrics, pipeline: string, state: PipelineState): void {
  for (const each of PIPELINE_STATES) metrics.pipelineState.set({ pipeline, state: each }, each === state ? 1 : 0);
}
