/**
 * SQS-specific rules (reference §1, §2.3): no stream parameters, FIFO batch limits, and the
 * batching window needed for batches larger than 10.
 */
import { isFifoQueueName, sqsQueueRef } from '../../src/connector/config-kit.js';
import { SQS_BATCH_SIZE_WITHOUT_WINDOW, SQS_FIFO_MAX_BATCH_SIZE, isGiven, type PathIssue, type PipelineView , show } from '../../src/connector/rule-kit.js';

const REDRIVE =
  "is not supported for SQS sources: retries and the dead-letter queue come from the queue's redrive policy " +
  '(maxReceiveCount, deadLetterTargetArn), as on AWS';
const STREAMS_ONLY = 'is not supported for SQS sources (Kinesis and DynamoDB Streams only)';

/**
 * Parameters AWS refuses on an SQS mapping: "Not applicable: MaximumRetryAttempts,
 * MaximumRecordAge, Bisect, OnFailure destination, ParallelizationFactor, StartingPosition"
 * [Q-PARAM, SLS-7620, API-OF]; TumblingWindowInSeconds is streams-only [K-WIN, D-WIN].
 */
const NOT_FOR_SQS: readonly (readonly [string, string])[] = [
  ['startingPosition', 'is not supported for SQS sources (a queue has no stream position)'],
  ['startingPositionTimestamp', 'is not supported for SQS sources (a queue has no stream position)'],
  ['parallelizationFactor', `${STREAMS_ONLY}; use source.scalingConfig.maximumConcurrency`],
  ['bisectBatchOnFunctionError', REDRIVE],
  ['maximumRetryAttempts', REDRIVE],
  ['maximumRecordAgeInSeconds', REDRIVE],
  ['destinationConfig', REDRIVE],
  ['tumblingWindowInSeconds', STREAMS_ONLY],
];

/** Issues of an SQS pipeline, paths relative to the pipeline. */
export function sqsRules(view: PipelineView): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [field, message] of NOT_FOR_SQS) if (view.has(field)) issues.push({ path: [field], message });
  issues.push(...queueIdentity(view));

  const batchSize = view.get('batchSize');
  const window = view.get('maximumBatchingWindowInSeconds');
  if (namesFifoQueue(view)) {
    // BatchSize max 10 for FIFO [API-BS]; the batching window is not supported for FIFO [Q-PARAM].
    if (batchSize !== undefined && batchSize > SQS_FIFO_MAX_BATCH_SIZE) {
      issues.push({ path: ['batchSize'], message: `must be between 1 and ${SQS_FIFO_MAX_BATCH_SIZE} for a FIFO queue (got ${batchSize})` });
    }
    if (window !== undefined && window > 0) {
      issues.push({ path: ['maximumBatchingWindowInSeconds'], message: `is not supported for FIFO queues (got ${window})` });
    }
  } else if (batchSize !== undefined && batchSize > SQS_BATCH_SIZE_WITHOUT_WINDOW && (window ?? 0) < 1) {
    // "When you set BatchSize to a value greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1" [API-MBW].
    issues.push({
      path: ['batchSize'],
      message: `must be at most ${SQS_BATCH_SIZE_WITHOUT_WINDOW} unless maximumBatchingWindowInSeconds is at least 1 (got ${batchSize}, window ${window ?? 0})`,
    });
  }
  return issues;
}

/** `queueUrl` or `queueArn` is required; when both are given they must name the same queue. */
function queueIdentity(view: PipelineView): PathIssue[] {
  const url = view.source['queueUrl'];
  const arn = view.source['queueArn'];
  if (!isGiven(url) && !isGiven(arn)) return [{ path: ['source', 'queueUrl'], message: 'is required (or give queueArn)' }];
  // The schema checked it is an http(s) URL; it must also end in a queue name (found by the config fuzz: a URL with
  // no path reached the resolver as an internal error).
  if (typeof url === 'string' && isGiven(url) && URL.canParse(url) && sqsQueueRef(url) === null) {
    return [{ path: ['source', 'queueUrl'], message: `names no queue: expected <endpoint>/<account id>/<queue name> (got ${show(url)})` }];
  }
  if (typeof url === 'string' && typeof arn === 'string' && isGiven(url) && isGiven(arn)) {
    const fromUrl = sqsQueueRef(url);
    const fromArn = sqsQueueRef(arn);
    if (fromUrl !== null && fromArn !== null && fromUrl.name !== fromArn.name) {
      return [{ path: ['source', 'queueArn'], message: `names queue "${fromArn.name}" but queueUrl names "${fromUrl.name}"` }];
    }
  }
  return [];
}

/** The queue URL or ARN names a FIFO queue (`.fifo`). */
function namesFifoQueue(view: PipelineView): boolean {
  const queue = [view.source['queueUrl'], view.source['queueArn']].find((value): value is string => typeof value === 'string' && value !== '');
  const queueRef = queue === undefined ? null : sqsQueueRef(queue);
  return queueRef !== null && isFifoQueueName(queueRef.name);
}
