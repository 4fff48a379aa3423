/**
 * `metricsConfig` against the source: AWS defines EventCount for every event source mapping, ErrorCount and
 * KafkaMetrics "(Amazon MSK and self-managed Apache Kafka)" only, so a stream or SQS pipeline that lists one of those
 * is refused rather than silently exporting nothing for it.
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html
 */
import { findSourceDescriptor, sourcesWith } from '../../connector/source-descriptors.js';
import type { PathIssue } from '../field-path.js';
import type { MetricGroup } from '../types.js';
import type { PipelineView } from './pipeline-view.js';

/** Issues of `metricsConfig`, paths relative to the pipeline. */
export function metricsConfigRules(view: PipelineView): PathIssue[] {
  const traits = findSourceDescriptor(view.sourceType)?.traits;
  const metrics = view.get('metricsConfig')?.metrics;
  if (traits === undefined || metrics === undefined) return [];
  const allowed: readonly MetricGroup[] = traits.metricGroups;
  const issues: PathIssue[] = [];
  metrics.forEach((group, index) => {
    if (!allowed.includes(group)) {
      issues.push({
        path: ['metricsConfig', 'metrics', index],
        message: `${group} is only for ${only(group)}, as on AWS; ${traits.label} pipelines have ${allowed.join(', ')}`,
      });
    }
  });
  return issues;
}

/** `Kafka sources (Amazon MSK and self-managed Apache Kafka)`: the sources AWS defines `group` for. */
function only(group: MetricGroup): string {
  const { labels, awsLabels } = sourcesWith((descriptor) => descriptor.traits.metricGroups.includes(group));
  return `${labels} sources (${awsLabels})`;
}
