/**
 * `metricsConfig` on `/metrics`: which per-pipeline series are exported, as Lambda's opt-in event source mapping
 * metric groups decide which CloudWatch metrics a mapping produces. Pure.
 *
 * Lambda's groups (https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html — "the
 * metrics you want your event source mapping to produce"; the metric list is
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics) and the
 * Prometheus series of each:
 * - EventCount (every source): PolledEventCount `tributary_polled_events_total`, FilteredOutEventCount
 *   `tributary_filtered_out_events_total`, InvokedEventCount `tributary_invoked_events_total`, FailedInvokeEventCount
 *   `tributary_failed_invoke_events_total`, DroppedEventCount `tributary_dropped_events_total`,
 *   OnFailureDestinationDeliveredEventCount `tributary_on_failure_delivered_events_total`, DeletedEventCount
 *   `tributary_deleted_events_total` (SQS), CommittedEventCount `tributary_committed_events_total` (Kafka);
 * - ErrorCount (Kafka): PollingErrorCount `tributary_polling_errors_total`, InvokeErrorCount
 *   `tributary_invoke_errors_total`, CommitErrorCount `tributary_commit_errors_total`;
 * - KafkaMetrics (Kafka): MaxOffsetLag `tributary_max_offset_lag`, SumOffsetLag `tributary_sum_offset_lag`.
 * The groups are opt-in on AWS: a mapping without MetricsConfig produces none of them, only the metrics Lambda always
 * publishes (IteratorAge, OffsetLag, ConcurrentExecutions, DestinationDeliveryFailures). Tributary deliberately
 * differs when `metricsConfig` is absent: every group is exported. AWS's opt-in exists because each CloudWatch metric
 * is billed; a Prometheus series costs nothing, and the shipped alerts (deploy/monitoring: records dropped, delivery
 * and commit errors) must fire without a setting nobody knows to add. A given `metricsConfig` selects exactly as
 * AWS's does (`metrics: []` exports no group). Series Tributary adds that AWS has no group for (invocations, durations, cold
 * starts, pollers, state, and the error counters of SQS and stream pipelines, which AWS does not define) always stay.
 * The registry keeps counting everything: `/status` and the status page read it whatever is exported.
 */
import type { MetricGroup, PipelineConfig } from '../config/types.js';

/** The Prometheus series (metric family names) of each of Lambda's metric groups. */
export const METRIC_GROUP_SERIES: Readonly<Record<MetricGroup, readonly string[]>> = {
  EventCount: [
    'tributary_polled_events_total',
    'tributary_filtered_out_events_total',
    'tributary_invoked_events_total',
    'tributary_failed_invoke_events_total',
    'tributary_dropped_events_total',
    'tributary_on_failure_delivered_events_total',
    'tributary_deleted_events_total',
    'tributary_committed_events_total',
  ],
  ErrorCount: ['tributary_polling_errors_total', 'tributary_invoke_errors_total', 'tributary_commit_errors_total'],
  KafkaMetrics: ['tributary_max_offset_lag', 'tributary_sum_offset_lag'],
};

/** The series `/metrics` leaves out for one pipeline: the groups its source has that its metricsConfig does not name. */
export function hiddenSeries(config: Pick<PipelineConfig, 'metricsConfig' | 'source'>): ReadonlySet<string> {
  const hidden: readonly MetricGroup[] = config.metricsConfig?.hiddenGroups ?? [];
  return new Set(hidden.flatMap((group) => METRIC_GROUP_SERIES[group]));
}

const FAMILY = /^# (?:HELP|TYPE) (\S+)/;
const PIPELINE_LABEL = /[{,]pipeline="([^"]*)"/;

/**
 * The Prometheus text exposition without the samples `hidden` names (pipeline → metric families). Pipeline names are
 * `[A-Za-z0-9_-]` (config/defaults.ts), so the label value never needs unescaping.
 */
export function withoutHiddenSeries(text: string, hidden: ReadonlyMap<string, ReadonlySet<string>>): string {
  if (hidden.size === 0) return text;
  let family = '';
  return text
    .split('\n')
    .filter((line) => {
      const header = FAMILY.exec(line);
      if (header !== null) {
        family = header[1] ?? '';
        return true;
      }
      const pipeline = PIPELINE_LABEL.exec(line)?.[1];
      return pipeline === undefined || hidden.get(pipeline)?.has(family) !== true;
    })
    .join('\n');
}
