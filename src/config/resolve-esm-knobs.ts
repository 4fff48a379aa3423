/**
 * Resolution of `metricsConfig` and `provisionedPollerConfig` (schema/esm-knobs.ts), validated already:
 * - metricsConfig keeps the list as written (the ESM document returns it) and works out which of the groups AWS
 *   defines for the source the list leaves out — those are the series /metrics does not export;
 * - provisionedPollerConfig gets AWS's per-source defaults (SQS 2 / 200, Kafka 1 / 200) and goes into the source's
 *   config, next to ScalingConfig's maximumConcurrency, because the connector sizes its pollers from it.
 */
import { sourceDescriptorOf } from '../connector/source-descriptors.js';
import type { ParsedPipeline } from './schema/config.js';
import type { MappingSourceConfig, MetricGroup, MetricsConfig, ProvisionedPollerConfig } from './types.js';

/** The resolved MetricsConfig of a pipeline reading `source`, or null when it has none. */
export function resolveMetricsConfig(given: ParsedPipeline['metricsConfig'], source: MappingSourceConfig['type']): MetricsConfig | null {
  if (given === undefined) return null;
  const metrics: readonly MetricGroup[] = [...(given.metrics ?? [])];
  const defined: readonly MetricGroup[] = sourceDescriptorOf({ type: source }).traits.metricGroups;
  return { metrics, hiddenGroups: defined.filter((group) => !metrics.includes(group)) };
}

/** `source` with the pipeline's provisionedPollerConfig resolved into it (SQS and Kafka; null when not given). */
export function withProvisionedPollers(source: MappingSourceConfig, given: ParsedPipeline['provisionedPollerConfig']): MappingSourceConfig {
  const ranges = sourceDescriptorOf(source).traits.provisionedPollers?.ranges;
  if (ranges === undefined) return source;
  const provisionedPollerConfig: ProvisionedPollerConfig | null =
    given === undefined
      ? null
      : {
          minimumPollers: given.minimumPollers ?? ranges.defaultMinimum,
          maximumPollers: given.maximumPollers ?? ranges.defaultMaximum,
          pollerGroupName: given.pollerGroupName ?? null,
        };
  // Only SQS and Kafka configs have the field; their descriptors are the ones with provisioned-poller traits.
  return { ...source, provisionedPollerConfig } as MappingSourceConfig;
}
