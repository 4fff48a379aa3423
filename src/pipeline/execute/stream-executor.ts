/**
 * One batch of one ordered lane (a stream shard, a key lane of one, a Kafka partition), retried IN PLACE while the
 * lane waits, as Lambda does for Kinesis, DynamoDB Streams and Kafka: filter, drop records past MaximumRecordAge
 * (or, with infinite retries and age, past the source's retention), invoke, then follow the pure policy
 * (policy/stream-step.ts: retry with back-off, bisect, partial failures, discard to the on-failure destination).
 * A record is settled only after the function succeeded on it, it was filtered out, or it reached the on-failure
 * destination. Settles are reported in any order: the lane's checkpoint tracker orders them.
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
import type { SourceRecord, UndeliverableCondition } from '../../connector/types.js';
import { DEFAULT_BACKOFF } from '../../policy/backoff.js';
import { expireRecords, initialSegment, nextStreamStep, type InvocationOutcome, type Segment, type StreamPolicyConfig } from '../../policy/stream-step.js';
import type { InvokeResult } from '../../runner/types.js';
import { sleep } from '../../connector/kit/sleep.js';
import type { StreamExecutorContext } from './context.js';
import { discardRecords } from './discard.js';
import { logInvocationFailure, logPartialFailure, retryIn } from './failure-log.js';
import { invokeBatch, partitionByFilter, processingResult } from './invoke.js';

export interface StreamBatchHooks {
  /** Records done (succeeded, filtered, or delivered on failure), in any order. */
  settle(records: readonly SourceRecord[]): void;
  /**
   * The segment from `head` to `last` will be retried with `retries` already used: stored with the lane's progress,
   * so a restart or a lease move resumes the count for that segment (and only for it).
   */
  retrying(head: SourceRecord, retries: number, last: SourceRecord): void;
  /** Every answer of an invocation that settled records (tumbling windows read `state` from it). */
  onResponse?(payload: unknown): void;
}

export type StreamBatchResult = 'settled' | 'interrupted';

function toOutcome(result: InvokeResult): InvocationOutcome {
  if (result.status === 'ok') return { kind: 'ok', payload: result.payload };
  if (result.kind === 'payload-too-large') return { kind: 'too-large' };
  return result.kind === 'throttled' ? { kind: 'throttled' } : { kind: 'function-error' };
}

/** The policy parameters of a pipeline, with the source's retention standing in for an infinite record age. */
export function streamPolicy(ctx: StreamExecutorContext): StreamPolicyConfig {
  const { pipeline } = ctx;
  const unlimitedAge = pipeline.maximumRecordAgeMs < 0 && pipeline.maximumRetryAttempts < 0;
  return {
    maximumRetryAttempts: pipeline.maximumRetryAttempts,
    // AWS: with -1 "Lambda retries … until the record expires in the event source" (reference §3.4).
    maximumRecordAgeMs: unlimitedAge ? (ctx.retentionMs ?? -1) : pipeline.maximumRecordAgeMs,
    bisectBatchOnFunctionError: pipeline.bisectBatchOnFunctionError,
    reportBatchItemFailures: pipeline.reportBatchItemFailures,
    tumblingWindow: pipeline.tumblingWindowMs > 0,
    backoff: ctx.backoff ?? DEFAULT_BACKOFF,
    ...(ctx.normalizeItemId === undefined ? {} : { normalizeId: ctx.normalizeItemId }),
  };
}

export async function runStreamBatch(
  ctx: StreamExecutorContext,
  records: readonly SourceRecord[],
  initialRetries: number,
  hooks: StreamBatchHooks,
  toEvent: (records: readonly SourceRecord[]) => unknown = ctx.toEvent,
): Promise<StreamBatchResult> {
  const { pipeline, metrics, events, logger } = ctx;
  const labels = { pipeline: pipeline.name };
  metrics.polledEvents.inc(labels, records.length);
  const { matched, filtered } = partitionByFilter(ctx, records);
  if (filtered.length > 0) {
    // Filtered-out stream records are skipped: the iterator moves past them.
    metrics.filteredOutEvents.inc(labels, filtered.length);
    events.emit('records-discarded', { pipeline: pipeline.name, shard: ctx.lane, reason: 'filtered', count: filtered.length });
    hooks.settle(filtered);
  }
  const policy = streamPolicy(ctx);
  const deliverable = await discardUndeliverable(ctx, matched, hooks);
  if (deliverable === null) return 'interrupted';
  let segments: Segment<SourceRecord>[] = deliverable.length === 0 ? [] : [initialSegment(deliverable, initialRetries)];
  let lastResult: InvokeResult | null = null;

  while (segments.length > 0) {
    const head = segments[0];
    if (head === undefined) break;
    if (ctx.invokeSignal.aborted) return 'interrupted';
    const { expired, segment } = expireRecords(head, policy, ctx.now());
    if (expired.length > 0) {
      const invoked = lastResult === null ? 0 : head.retries + 1;
      if (!(await discardRecords(ctx, expired, { condition: 'RecordAgeExceeded', approximateInvokeCount: invoked, lastResult }))) return 'interrupted';
      hooks.settle(expired);
    }
    if (segment === null) {
      segments = segments.slice(1);
      continue;
    }
    const { batchId, result } = await invokeBatch(ctx, segment.records, toEvent);
    lastResult = result;
    if (ctx.invokeSignal.aborted) return 'interrupted';
    ctx.report(processingResult(result));
    const step = nextStreamStep(segment, toOutcome(result), policy, ctx.random);
    const size = segment.records.length;
    const attempt = segment.retries + 1;
    if (result.status === 'ok' && step.completed.length > 0) hooks.onResponse?.(result.payload);
    if (step.kind === 'done') {
      metrics.invocations.inc({ ...labels, outcome: 'ok' });
      events.emit('batch-invoked', { pipeline: pipeline.name, shard: ctx.lane, batchId, size, durationMs: result.durationMs, failedIds: [] });
      hooks.settle(step.completed);
      segments = segments.slice(1);
      continue;
    }
    const failed = segment.records.slice(step.completed.length);
    const next =
      step.kind === 'discard'
        ? step.condition === 'MaximumPayloadSizeExceeded' ? 'too large to invoke: on-failure destination' : 'retries exhausted: on-failure destination'
        : step.reason === 'bisect' ? 'bisect' : step.reason === 'split' ? 'retry the rest from the first failed record' : retryIn(step.delayMs);
    if (result.status === 'error') {
      metrics.failedInvokeEvents.inc(labels, size);
      metrics.invocations.inc({ ...labels, outcome: result.kind === 'timeout' ? 'timeout' : 'error' });
      events.emit('batch-failed', { pipeline: pipeline.name, shard: ctx.lane, batchId, size, kind: result.kind, errorType: result.error.errorType, errorMessage: result.error.errorMessage });
      logInvocationFailure(logger, result, { batchId, size, attempt, next });
    } else {
      // FailedInvokeEventCount includes events named in batchItemFailures; an unreadable response fails them all.
      metrics.failedInvokeEvents.inc(labels, failed.length);
      metrics.invocations.inc({ ...labels, outcome: 'partial' });
      events.emit('batch-invoked', { pipeline: pipeline.name, shard: ctx.lane, batchId, size, durationMs: result.durationMs, failedIds: failed.map((r) => r.id) });
      logPartialFailure(logger, failed.length, { batchId, size, attempt, next });
    }
    hooks.settle(step.completed);
    if (step.kind === 'discard') {
      if (!(await discardRecords(ctx, step.records, { condition: step.condition, approximateInvokeCount: step.approximateInvokeCount, lastResult }))) return 'interrupted';
      hooks.settle(step.records);
      segments = segments.slice(1);
      continue;
    }
    segments = [...step.next, ...segments.slice(1)];
    const nextHead = segments[0];
    const nextRecord = nextHead?.records[0];
    const nextLast = nextHead?.records.at(-1);
    if (nextHead !== undefined && nextRecord !== undefined && nextLast !== undefined && nextHead.retries > 0) hooks.retrying(nextRecord, nextHead.retries, nextLast);
    if (step.delayMs > 0) {
      if (ctx.stopSignal.aborted) return 'interrupted';
      await (ctx.sleep ?? sleep)(step.delayMs, ctx.stopSignal);
      if (ctx.stopSignal.aborted) return 'interrupted';
    }
  }
  return 'settled';
}

/**
 * Records the source could not turn into their Lambda form go to the on-failure destination at once, without an
 * invocation, one condition at a time (they never block the lane). Returns the rest, or null when interrupted.
 */
async function discardUndeliverable(ctx: StreamExecutorContext, records: readonly SourceRecord[], hooks: StreamBatchHooks): Promise<readonly SourceRecord[] | null> {
  if (!records.some((r) => r.undeliverable !== undefined)) return records;
  const byCondition = new Map<UndeliverableCondition, SourceRecord[]>();
  const rest: SourceRecord[] = [];
  for (const record of records) {
    const bad = record.undeliverable;
    if (bad === undefined) rest.push(record);
    else byCondition.set(bad.condition, [...(byCondition.get(bad.condition) ?? []), record]);
  }
  for (const [condition, bad] of byCondition) {
    ctx.logger.warn({ count: bad.length, condition, first: bad[0]?.id, reason: bad[0]?.undeliverable?.reason }, 'records cannot be delivered as they are: on-failure destination');
    if (!(await discardRecords(ctx, bad, { condition, approximateInvokeCount: 0, lastResult: null }))) return null;
    hooks.settle(bad);
  }
  return rest;
}
