/**
 * Warnings (not errors) for the AWS-only parameters a pipeline carries (see ../aws-only.ts): the file loads, the
 * parameter is ignored, and `validate` / `run` say so at the field's line.
 */
import { POLLER_GROUP_NAME, awsOnlyField, awsOnlyMessage } from '../aws-only.js';
import type { PathIssue } from '../field-path.js';
import { asRecord, isGiven } from './pipeline-view.js';

/** One warning per AWS-only field given (non-blank) on a pipeline of a raw configuration, at `pipelines[i].<field>`. */
export function awsOnlyWarnings(config: unknown): PathIssue[] {
  const pipelines = asRecord(config)['pipelines'];
  if (!Array.isArray(pipelines)) return [];
  const warnings: PathIssue[] = [];
  pipelines.forEach((pipeline: unknown, index) => {
    for (const [key, value] of Object.entries(asRecord(pipeline))) {
      const parameter = awsOnlyField(key);
      if (parameter !== undefined && isGiven(value)) warnings.push({ path: ['pipelines', index, key], message: awsOnlyMessage(parameter) });
    }
    // PollerGroupName of a Kafka pipeline (an SQS one is refused by rules/provisioned-poller-rules.ts).
    const record = asRecord(pipeline);
    if (asRecord(record['source'])['type'] === 'kafka' && isGiven(asRecord(record['provisionedPollerConfig'])['pollerGroupName'])) {
      warnings.push({ path: ['pipelines', index, 'provisionedPollerConfig', 'pollerGroupName'], message: awsOnlyMessage(POLLER_GROUP_NAME) });
    }
  });
  return warnings;
}
