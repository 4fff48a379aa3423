/**
 * `MetricsConfig` and `ProvisionedPollerConfig` of Lambda's ESM API, both ways. Pure.
 * - Request → the pipeline's `metricsConfig` / `provisionedPollerConfig` (values passed through unchecked: the
 *   configuration's validation judges them, with AWS's ranges). `MetricsConfig` without `Metrics` selects no group,
 *   as AWS's; `ProvisionedPollerConfig: {}` turns provisioned mode off, as `ScalingConfig: {}` removes maximum
 *   concurrency (esm-parameters.ts).
 * - Resolved pipeline → the members of the EventSourceMappingConfiguration document, only for the sources they
 *   apply to (ProvisionedPollerConfig: SQS and Kafka), with the defaults applied, as Lambda returns them.
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedPollerConfig.html
 */
import type { PipelineConfig } from '../config/types.js';
import { asRecord } from './json-object.js';

/** What a request member does to its pipeline field. */
export type FieldChange = { readonly kind: 'keep' } | { readonly kind: 'remove' } | { readonly kind: 'set'; readonly value: unknown };

const KEEP: FieldChange = { kind: 'keep' };

/** The change of `metricsConfig` for the request's `MetricsConfig`. */
export function metricsConfigChange(value: unknown): FieldChange {
  if (value === undefined || value === null) return KEEP;
  if (typeof value !== 'object' || Array.isArray(value)) return { kind: 'set', value };
  const metrics = asRecord(value)['Metrics'];
  return { kind: 'set', value: { metrics: metrics === undefined || metrics === null ? [] : metrics } };
}

/** The change of `provisionedPollerConfig` for the request's `ProvisionedPollerConfig` (`{}` removes it). */
export function provisionedPollerChange(value: unknown): FieldChange {
  if (value === undefined || value === null) return KEEP;
  if (typeof value !== 'object' || Array.isArray(value)) return { kind: 'set', value };
  const given = asRecord(value);
  const members: readonly (readonly [string, string])[] = [
    ['MinimumPollers', 'minimumPollers'],
    ['MaximumPollers', 'maximumPollers'],
    ['PollerGroupName', 'pollerGroupName'],
  ];
  const config = Object.fromEntries(members.filter(([aws]) => given[aws] !== undefined && given[aws] !== null).map(([aws, field]) => [field, given[aws]]));
  return Object.keys(config).length === 0 ? { kind: 'remove' } : { kind: 'set', value: config };
}

/** `MetricsConfig` and `ProvisionedPollerConfig` of the mapping's document (absent when not set). */
export function knobMembers(config: PipelineConfig): Record<string, unknown> {
  const metrics = config.metricsConfig ?? null;
  const source = config.source;
  // Only sources with provisioned mode (SQS, Kafka) carry the field (resolve-esm-knobs.ts).
  const pollers = 'provisionedPollerConfig' in source ? (source.provisionedPollerConfig ?? null) : null;
  return {
    ...(metrics === null ? {} : { MetricsConfig: { Metrics: [...metrics.metrics] } }),
    ...(pollers === null
      ? {}
      : {
          ProvisionedPollerConfig: {
            MinimumPollers: pollers.minimumPollers,
            MaximumPollers: pollers.maximumPollers,
            ...(pollers.pollerGroupName === null ? {} : { PollerGroupName: pollers.pollerGroupName }),
          },
        }),
  };
}
