/**
 * Kinesis and DynamoDB Streams rules (reference §1, §2.2): StartingPosition is required,
 * DynamoDB Streams has no AT_TIMESTAMP [API-CESM], and the stream must be named. A Kinesis
 * source reads with enhanced fan-out through one stream consumer: `consumerArn` (which names its
 * stream, as the EventSourceArn of an AWS EFO mapping) or `consumerName`, not both.
 */
import { dynamoDbTableNameOfArn, kinesisStreamArnOfConsumerArn, kinesisStreamNameOfArn } from '../aws-resources.js';
import type { PathIssue } from '../field-path.js';
import { isGiven, type PipelineView } from './pipeline-view.js';

/** Issues of a Kinesis pipeline, paths relative to the pipeline. */
export function kinesisRules(view: PipelineView): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!view.has('startingPosition')) {
    issues.push({ path: ['startingPosition'], message: 'is required for Kinesis sources (TRIM_HORIZON, LATEST or AT_TIMESTAMP), as on AWS' });
  }
  issues.push(...(isGiven(view.source['consumerArn']) ? consumerIdentity(view) : streamIdentity(view, 'streamName', kinesisStreamNameOfArn)));
  if (isGiven(view.source['consumerArn']) && isGiven(view.source['consumerName'])) {
    issues.push({ path: ['source', 'consumerName'], message: 'give consumerArn or consumerName, not both (one stream consumer per source, as an AWS mapping has one EventSourceArn)' });
  }
  return issues;
}

/** With a consumer ARN the stream is optional; when given it must be the consumer's stream. */
function consumerIdentity(view: PipelineView): PathIssue[] {
  const consumerArn = view.source['consumerArn'];
  const streamArn = typeof consumerArn === 'string' ? kinesisStreamArnOfConsumerArn(consumerArn) : null;
  if (streamArn === null) return [];
  const issues: PathIssue[] = [];
  const givenArn = view.source['streamArn'];
  if (typeof givenArn === 'string' && isGiven(givenArn) && givenArn !== streamArn) {
    issues.push({ path: ['source', 'consumerArn'], message: `is a consumer of ${streamArn}, but streamArn is ${givenArn}` });
  }
  const givenName = view.source['streamName'];
  const name = kinesisStreamNameOfArn(streamArn);
  if (typeof givenName === 'string' && isGiven(givenName) && name !== null && givenName !== name) {
    issues.push({ path: ['source', 'consumerArn'], message: `is a consumer of stream "${name}", but streamName is "${givenName}"` });
  }
  return issues;
}

/** Issues of a DynamoDB Streams pipeline, paths relative to the pipeline. */
export function dynamoDbStreamsRules(view: PipelineView): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!view.has('startingPosition')) {
    issues.push({ path: ['startingPosition'], message: 'is required for DynamoDB Streams sources (TRIM_HORIZON or LATEST), as on AWS' });
  } else if (view.get('startingPosition') === 'AT_TIMESTAMP') {
    issues.push({ path: ['startingPosition'], message: 'AT_TIMESTAMP is not supported for DynamoDB Streams (use TRIM_HORIZON or LATEST)' });
  }
  issues.push(...streamIdentity(view, 'tableName', dynamoDbTableNameOfArn));
  return issues;
}

/** `<nameKey>` or `streamArn` is required; when both are given the ARN must name the same stream/table. */
function streamIdentity(view: PipelineView, nameKey: string, nameOfArn: (arn: string) => string | null): PathIssue[] {
  const name = view.source[nameKey];
  const arn = view.source['streamArn'];
  if (!isGiven(name) && !isGiven(arn)) return [{ path: ['source', nameKey], message: 'is required (or give streamArn)' }];
  if (typeof name === 'string' && typeof arn === 'string' && isGiven(name) && isGiven(arn)) {
    const fromArn = nameOfArn(arn);
    if (fromArn !== null && fromArn !== name) {
      return [{ path: ['source', 'streamArn'], message: `names "${fromArn}" but ${nameKey} is "${name}"` }];
    }
  }
  return [];
}
