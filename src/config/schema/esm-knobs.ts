/**
 * Two event source mapping parameters of Lambda's that shape the mapping's metrics and scaling, each checked on its
 * own here against AWS's widest range; which source allows which value, and how they combine with other fields, is
 * checked in rules/metrics-config-rules.ts and rules/provisioned-poller-rules.ts.
 * - `metricsConfig: { metrics: [EventCount, ErrorCount, KafkaMetrics] }` — EventSourceMappingMetricsConfig: 0–3
 *   items, each one of the three (API_EventSourceMappingMetricsConfig).
 * - `provisionedPollerConfig: { minimumPollers, maximumPollers, pollerGroupName }` — ProvisionedPollerConfig
 *   (API_ProvisionedPollerConfig): MinimumPollers 1–200, MaximumPollers 1–2,000 (SQS: 2–200 and 2–2,000).
 */
import * as z from 'zod';
import { MAXIMUM_POLLERS, METRIC_GROUPS, MINIMUM_POLLERS } from '../defaults.js';
import { expected, int, oneOf, optional, optionalNumber, text } from './fields.js';

const object = expected('a mapping');

const metricGroups = z
  .array(oneOf(METRIC_GROUPS), { error: expected('a list of EventCount, ErrorCount, KafkaMetrics') })
  .superRefine((groups, ctx) => {
    if (groups.length > METRIC_GROUPS.length) ctx.addIssue({ code: 'custom', message: `must list at most ${METRIC_GROUPS.length} metric groups (got ${groups.length})` });
    groups.forEach((group, index) => {
      if (groups.indexOf(group) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `lists ${group} twice` });
    });
  });

/** `metricsConfig:` of a pipeline (an empty or missing list selects no group, as AWS's `Metrics: []`). */
export const metricsConfigField = optional(z.strictObject({ metrics: optional(metricGroups) }, { error: object }), {
  description:
    'MetricsConfig: the opt-in metric groups /metrics exports for this pipeline — EventCount (every source: tributary_polled/filtered_out/invoked/failed_invoke/dropped/on_failure_delivered/deleted/committed_events_total), ErrorCount (Kafka: tributary_polling/invoke/commit_errors_total) and KafkaMetrics (Kafka: tributary_max/sum_offset_lag). Given, only the named groups (metrics: [] exports none, as AWS without MetricsConfig); absent: every group (unlike AWS, so the shipped alerts work)',
});

/** `provisionedPollerConfig:` of a pipeline (SQS and Kafka; the rules apply the per-source ranges). */
export const provisionedPollerConfigField = optional(
  z.strictObject(
    {
      minimumPollers: optionalNumber(int(MINIMUM_POLLERS), { description: 'MinimumPollers: SQS 2–200 (default 2), Kafka 1–200 (default 1)' }),
      maximumPollers: optionalNumber(int(MAXIMUM_POLLERS), { description: 'MaximumPollers: SQS 2–2000, Kafka 1–2000 (default 200)' }),
      pollerGroupName: optional(text(), { description: 'PollerGroupName (Kafka): accepted and ignored, AWS shares poller capacity between mappings of a group' }),
    },
    { error: object },
  ),
  {
    description:
      "ProvisionedPollerConfig (SQS and Kafka; not with scalingConfig.maximumConcurrency): SQS runs 10 pollers per AWS poller (one AWS poller handles 10 concurrent invokes), Kafka at most 5 invocations at once per poller",
  },
);
