/**
 * `metricsConfig` against the source: AWS defines EventCount for every event source mapping, ErrorCount and
 * KafkaMetrics "(Amazon MSK and self-managed Apache Kafka)" only, so a stream or SQS pipeline that lists one of those
 * is refused rather than silently exporting nothing for it.
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html
 */
import { METRIC_GROUPS_BY_SOURCE } from '../defaults.js';
import type { PathIssue } from '../field-path.js';
import type { MetricGroup } from '../types.js';
import type { PipelineView } from './pipeline-view.js';

const SOURCE_NAMES = { sqs: 'SQS', kinesis: 'Kinesis', 'dynamodb-streams': 'DynamoDB Streams', kafka: 'Kafka' } as const;

/** Issues of `metricsConfig`, paths relative to the pipeline. */
export function metricsConfigRules(view: PipelineView): PathIssue[] {
  const type = view.sourceType;
  const metrics = view.get('metricsConfig')?.metrics;
  if (type === undefined || metrics === undefined) return [];
  const allowed: readonly MetricGroup[] = METRIC_GROUPS_BY_SOURCE[type];
  const issues: PathIssue[] = [];
  metrics.forEach((group, index) => {
    if (!allowed.includes(group)) {
      issues.push({
        path: ['metricsConfig', 'metrics', index],
        message: `${group} is only for Kafka sources (Amazon MSK and self-managed Apache Kafka), as on AWS; ${SOURCE_NAMES[type]} pipelines have ${allowed.join(', ')}`,
      });
    }
  });
  return issues;
}
