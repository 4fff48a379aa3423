/**
 * Kinesis rules (reference §1, §2.2): StartingPosition is required and the stream must be named. A Kinesis source
 * reads with enhanced fan-out through one stream consumer: `consumerArn` (which names its stream, as the
 * EventSourceArn of an AWS EFO mapping) or `consumerName`, not both.
 */
import { kinesisStreamArnOfConsumerArn, kinesisStreamNameOfArn } from '../../src/connector/config-kit.js';
import { isGiven, streamIdentity, type PathIssue, type PipelineView } from '../../src/connector/rule-kit.js';

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
