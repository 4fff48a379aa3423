/**
 * The decision after invoking the head segment of a stream batch (Kinesis, DynamoDB Streams, Kafka with error
 * controls), where the core retries IN PLACE while the shard waits. Pure: no clock, no I/O; randomness injected.
 *
 * AWS rules followed (reference §3.3–§3.5):
 * - A function error retries the whole batch until MaximumRetryAttempts is reached, then the batch is discarded and
 *   sent to the on-failure destination. MaximumRetryAttempts counts retries after the first invocation: with 2, a
 *   record is invoked 3 times. https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 * - Throttles and service errors do not count toward MaximumRetryAttempts; they retry until the records reach
 *   MaximumRecordAge (see `expireRecords`). https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
 * - BisectBatchOnFunctionError splits a failed batch in two; "Splitting batches doesn't consume the retry quota."
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 * - ReportBatchItemFailures: checkpoint at the lowest reported sequence number and retry from there; with bisect also
 *   on, "the batch is bisected at the returned sequence number and Lambda retries only the remaining records".
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 * - Tumbling windows: the response must contain `state`, otherwise the invocation counts as failed.
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 *
 * Where AWS is silent (reference §9), we decided:
 * - Halves: the first half has ceil(n/2) records; both inherit the parent's `retries`; they run in order, no delay.
 *   Bisection recurses down to single records; a single record that fails is retried / discarded as without bisect.
 * - A partial response with bisect on that settles something (the lowest failed record is not the first) is a
 *   split: the remaining records form the next segment, inheriting `retries`, no delay. A partial response that
 *   settles nothing (the first record failed) cannot be split "at the returned sequence number", so it is handled
 *   as a function error (bisect in halves, or retry / discard a single record). Every step therefore either
 *   shrinks the head segment or uses a retry, so a finite MaximumRetryAttempts always terminates.
 * - Without bisect, retrying the remainder after a partial response counts as a retry attempt.
 * - Retry back-off: AWS does not document it; `backoffDelayMs` (1 s base, 60 s cap) by retry number, and by
 *   consecutive-throttle number for throttles.
 */
import { DEFAULT_BACKOFF, backoffDelayMs, type BackoffOptions } from './backoff.js';
import { parseBatchItemFailures } from './partial-failures.js';
import { isUnlimited, type Segment, type StreamRecordRef } from './stream-segment.js';

export { expireRecords, initialSegment, isUnlimited } from './stream-segment.js';
export type { ExpiryResult, Segment, StreamRecordRef } from './stream-segment.js';

/** The mapping's error-handling parameters, in the units the policy uses. */
export interface StreamPolicyConfig {
  /** MaximumRetryAttempts: -1 = infinite (retry until the record expires or reaches MaximumRecordAge). */
  readonly maximumRetryAttempts: number;
  /** MaximumRecordAgeInSeconds × 1000; -1 = infinite. Applied by `expireRecords` before each invocation. */
  readonly maximumRecordAgeMs: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** FunctionResponseTypes contains ReportBatchItemFailures; otherwise the response is ignored. */
  readonly reportBatchItemFailures: boolean;
  /** TumblingWindowInSeconds > 0: a response without a `state` object is a failed invocation. Default false. */
  readonly tumblingWindow?: boolean;
  /** Retry back-off; default {@link DEFAULT_BACKOFF}. */
  readonly backoff?: BackoffOptions;
  /** Maps non-string `itemIdentifier`s to record ids (Kafka's object form); see parseBatchItemFailures. */
  readonly normalizeId?: (value: unknown) => string | null;
}

/**
 * How one invocation of a segment ended. Map runner results as: ok → `ok`; threw, timeout, crashed,
 * bad-response → `function-error`; throttled (or the function could not be invoked at all) → `throttled`.
 */
export type InvocationOutcome =
  | { readonly kind: 'ok'; readonly payload: unknown }
  | { readonly kind: 'function-error' }
  | { readonly kind: 'throttled' }
  /** The event was over the invoke payload limit and was never sent (Lambda's RequestTooLargeException). */
  | { readonly kind: 'too-large' };

/** Why the head segment was replaced. */
export type ContinueReason =
  /** Same records again after a failure, one more retry used. */
  | 'retry'
  /** Failed segment split in two halves, no retry used. */
  | 'bisect'
  /** Partial response with bisect on: the records from the lowest failed one on, no retry used. */
  | 'split'
  /** Throttle or service error: same segment, no retry used. */
  | 'throttle';

/** What to do after invoking the head segment. `completed` is always a prefix of the segment's records. */
export type StreamStep<R> =
  /** The whole segment succeeded. */
  | { readonly kind: 'done'; readonly completed: readonly R[] }
  /**
   * Settle `completed`, then replace the head segment by `next` (in order; their records are exactly the rest of
   * the segment) and invoke the new head after `delayMs`.
   */
  | {
      readonly kind: 'continue';
      readonly reason: ContinueReason;
      readonly completed: readonly R[];
      readonly next: readonly Segment<R>[];
      readonly delayMs: number;
    }
  /**
   * Settle `completed`; deliver `records` (the rest of the segment) to the on-failure destination and settle them
   * only once that succeeded. `approximateInvokeCount` = initial invocation + retries used.
   */
  | {
      readonly kind: 'discard';
      readonly condition: 'RetryAttemptsExhausted' | 'MaximumPayloadSizeExceeded';
      readonly completed: readonly R[];
      readonly records: readonly R[];
      readonly approximateInvokeCount: number;
    };

/**
 * Decide the next step for `segment` (the head of the batch's queue) after one invocation.
 * `random` returns [0, 1) and only jitters back-off delays.
 */
export function nextStreamStep<R extends StreamRecordRef>(
  segment: Segment<R>,
  outcome: InvocationOutcome,
  config: StreamPolicyConfig,
  random: () => number,
): StreamStep<R> {
  const records = segment.records;
  if (records.length === 0) return { kind: 'done', completed: [] };
  switch (outcome.kind) {
    case 'throttled': {
      const throttles = (segment.throttles ?? 0) + 1;
      const delayMs = backoffDelayMs(throttles, config.backoff ?? DEFAULT_BACKOFF, random);
      return { kind: 'continue', reason: 'throttle', completed: [], next: [{ records, retries: segment.retries, throttles }], delayMs };
    }
    case 'function-error':
      return wholeSegmentFailed(segment, config, random);
    case 'too-large':
      // Never invoked, so no retry is used: halve until a single record is left; a single record that is still
      // too large cannot be invoked at all and goes to the on-failure destination (AWS's Kafka rule, reference §3.6).
      if (records.length > 1) return bisect(segment);
      return { kind: 'discard', condition: 'MaximumPayloadSizeExceeded', completed: [], records, approximateInvokeCount: 0 };
    case 'ok': {
      if (config.tumblingWindow === true && !hasWindowState(outcome.payload)) return wholeSegmentFailed(segment, config, random);
      const verdict = parseBatchItemFailures(outcome.payload, {
        reportBatchItemFailures: config.reportBatchItemFailures,
        batchIds: () => new Set(records.map((r) => r.id)),
        ...(config.normalizeId === undefined ? {} : { normalizeId: config.normalizeId }),
      });
      switch (verdict.kind) {
        case 'success':
          return { kind: 'done', completed: records };
        case 'invalid':
          // AWS: an unreadable partial response is a complete failure (reference §3.5).
          return wholeSegmentFailed(segment, config, random);
        case 'partial':
          return partialFailure(segment, new Set(verdict.failedIds), config, random);
      }
    }
  }
}

/** Function error, invalid response, missing window state: bisect, else retry or discard the whole segment. */
function wholeSegmentFailed<R>(segment: Segment<R>, config: StreamPolicyConfig, random: () => number): StreamStep<R> {
  const records = segment.records;
  if (config.bisectBatchOnFunctionError && records.length > 1) return bisect(segment);
  return retryOrDiscard(records, segment.retries, [], config, random);
}

/** Two halves of ceil(n/2) and the rest, in order, both with the parent's retries, no delay. */
function bisect<R>(segment: Segment<R>): StreamStep<R> {
  const { records } = segment;
  const cut = Math.ceil(records.length / 2);
  return {
    kind: 'continue',
    reason: 'bisect',
    completed: [],
    next: [
      { records: records.slice(0, cut), retries: segment.retries },
      { records: records.slice(cut), retries: segment.retries },
    ],
    delayMs: 0,
  };
}

/** ReportBatchItemFailures: everything before the lowest failed record is done; the rest goes on. */
function partialFailure<R extends StreamRecordRef>(
  segment: Segment<R>,
  failed: ReadonlySet<string>,
  config: StreamPolicyConfig,
  random: () => number,
): StreamStep<R> {
  const records = segment.records;
  // The lowest sequence number is the first failed record in shard order. parseBatchItemFailures only accepts ids
  // of this segment and a non-empty list, so an index is always found; -1 is handled as success for safety.
  const lowest = records.findIndex((r) => failed.has(r.id));
  if (lowest < 0) return { kind: 'done', completed: records };
  if (lowest === 0 && config.bisectBatchOnFunctionError) return wholeSegmentFailed(segment, config, random);
  const completed = records.slice(0, lowest);
  const rest = records.slice(lowest);
  if (config.bisectBatchOnFunctionError) {
    return { kind: 'continue', reason: 'split', completed, next: [{ records: rest, retries: segment.retries }], delayMs: 0 };
  }
  return retryOrDiscard(rest, segment.retries, completed, config, random);
}

function retryOrDiscard<R>(
  records: readonly R[],
  retries: number,
  completed: readonly R[],
  config: StreamPolicyConfig,
  random: () => number,
): StreamStep<R> {
  if (!isUnlimited(config.maximumRetryAttempts) && retries >= config.maximumRetryAttempts) {
    return { kind: 'discard', condition: 'RetryAttemptsExhausted', completed, records, approximateInvokeCount: retries + 1 };
  }
  const retry = retries + 1;
  const delayMs = backoffDelayMs(retry, config.backoff ?? DEFAULT_BACKOFF, random);
  return { kind: 'continue', reason: 'retry', completed, next: [{ records, retries: retry }], delayMs };
}

/** A tumbling-window response must be `{ state: {...}, batchItemFailures?: [...] }` (K-WIN, D-WIN). */
function hasWindowState(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const state = (payload as Record<string, unknown>)['state'];
  return typeof state === 'object' && state !== null && !Array.isArray(state);
}
