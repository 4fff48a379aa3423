/**
 * `provisionedPollerConfig` against the source (Lambda's provisioned mode):
 * - SQS and Kafka only (API_ProvisionedPollerConfig; the parameter pages of Kinesis and DynamoDB Streams have none);
 * - SQS: MinimumPollers 2–200, MaximumPollers 2–2,000; Kafka: 1–200 and 1–2,000 (the schema checks the widest range);
 * - MinimumPollers ≤ MaximumPollers, defaults included;
 * - not with ScalingConfig.MaximumConcurrency: "You can control the scaling behavior of your Amazon SQS event source
 *   mappings either through maximum concurrency settings or by enabling provisioned mode. These are mutually
 *   exclusive options." (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html);
 * - PollerGroupName is "(Amazon MSK and self-managed Apache Kafka)" only.
 */
import { findSourceDescriptor, sourcesWith } from '../../connector/source-descriptors.js';
import type { PollerRanges } from '../defaults.js';
import type { PathIssue } from '../field-path.js';
import { asRecord, isGiven, type PipelineView } from './pipeline-view.js';

const FIELD = 'provisionedPollerConfig';

/** Issues of `provisionedPollerConfig`, paths relative to the pipeline. */
export function provisionedPollerRules(view: PipelineView): PathIssue[] {
  const traits = findSourceDescriptor(view.sourceType)?.traits;
  if (traits === undefined || !view.has(FIELD)) return [];
  const provisioned = traits.provisionedPollers;
  if (provisioned === null) {
    const supported = sourcesWith((descriptor) => descriptor.traits.provisionedPollers !== null).labels;
    return [{ path: [FIELD], message: `is not supported for ${traits.label} sources (${supported} only), as on AWS` }];
  }
  const issues: PathIssue[] = [];
  if (provisioned.exclusiveWithMaximumConcurrency && isGiven(asRecord(view.source['scalingConfig'])['maximumConcurrency'])) {
    issues.push({
      path: [FIELD],
      message: 'cannot be combined with source.scalingConfig.maximumConcurrency: provisioned mode and maximum concurrency are mutually exclusive, as on AWS',
    });
  }
  const given = view.get(FIELD);
  if (given === undefined) return issues;
  const ranges: PollerRanges = provisioned.ranges;
  const outside = (key: 'minimumPollers' | 'maximumPollers', value: number | undefined, range: PollerRanges['minimum']): void => {
    if (value !== undefined && (value < range.min || value > range.max)) {
      issues.push({ path: [FIELD, key], message: `must be between ${range.min} and ${range.max} for ${provisioned.article} source (got ${value})` });
    }
  };
  outside('minimumPollers', given.minimumPollers, ranges.minimum);
  outside('maximumPollers', given.maximumPollers, ranges.maximum);
  const minimum = given.minimumPollers ?? ranges.defaultMinimum;
  const maximum = given.maximumPollers ?? ranges.defaultMaximum;
  // Within its range, a default never exceeds the other bound: only two given values can clash.
  if (given.minimumPollers !== undefined && given.maximumPollers !== undefined && minimum > maximum && minimum <= ranges.minimum.max && maximum >= ranges.maximum.min) {
    issues.push({ path: [FIELD, 'minimumPollers'], message: `minimumPollers (${minimum}) must not be more than maximumPollers (${maximum})` });
  }
  if (!provisioned.pollerGroupName && given.pollerGroupName !== undefined) {
    const { labels, awsLabels } = sourcesWith((descriptor) => descriptor.traits.provisionedPollers?.pollerGroupName === true);
    issues.push({ path: [FIELD, 'pollerGroupName'], message: `is only for ${labels} sources (${awsLabels}), as on AWS` });
  }
  return issues;
}
