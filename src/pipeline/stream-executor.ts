/**
 * One batch of one shard (or one parallelization sub-lane) of a stream source, retried IN PLACE while the shard
 * waits, as Lambda does for Kinesis and DynamoDB Streams: filter, drop records past MaximumRecordAge, invoke,
 * then follow the pure policy (retry with back-off, bisect, partial failures, discard to the on-failure
 * destination). Records are reported settled in order through `settle`; a record is settled only after the
 * function succeeded on it, it was filtered out, or it reached the on-failure destination.
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 */
import { safeInvoke } from '../runner/safe-invoke.js';
import { randomUUID } from 'node:crypto';
import type { SourceRecord } from '../connector/types.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../policy/backoff.js';
import { normalizeKafkaItemId } from '../policy/partial-failures.js';
import { isoTimestamp, type FunctionResponseInfo, type StreamDiscardCondition } from '../policy/on-failure-record.js';
import { expireRecords, initialSegment, nextStreamStep, type InvocationOutcome, type Segment, type StreamPolicyConfig } from '../policy/stream-step.js';
import type { FunctionRunner, InvokeResult } from '../runner/types.js';
import type { BatchContext } from './batch-context.js';
import type { FailureRecordBuilder } from './failure-records.js';
import { sleep } from './sleep.js';

/** Where discarded records go; null = nowhere (they are dropped and counted). */
export interface DiscardTarget {
  deliver(records: readonly object[], signal: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

export interface StreamBatchContext extends BatchContext {
  /** Builds the Lambda event for records of one shard / partition. */
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
  readonly failureRecords: FailureRecordBuilder;
  readonly runner: FunctionRunner;
  readonly destination: DiscardTarget | null;
  readonly functionArn: string;
  readonly random: () => number;
  /** Aborted on a graceful stop: no new retry starts; the unsettled rest is read again after a restart. */
  readonly stopSignal: AbortSignal;
}

export interface StreamBatchHooks {
  /** Records done (succeeded, filtered, or delivered on failure), in shard order. */
  settle(records: readonly SourceRecord[]): void;
  /** Retries used by the head of what is left, stored with the checkpoint so a restart does not reset it. */
  persistAttempt(retries: number): Promise<void>;
  /** Every answer of an invocation that settled records (tumbling windows read `state` from it). */
  onResponse?(payload: unknown): void;
}

export type StreamBatchResult = { readonly kind: 'settled' } | { readonly kind: 'interrupted' };

function toOutcome(result: InvokeResult): InvocationOutcome {
  if (result.status === 'ok') return { kind: 'ok', payload: result.payload };
  return result.kind === 'throttled' ? { kind: 'throttled' } : { kind: 'function-error' };
}

function responseInfo(result: InvokeResult | null): FunctionResponseInfo | null {
  if (result === null) return null;
  return { statusCode: 200, executedVersion: '$LATEST', functionError: result.status === 'error' ? 'Unhandled' : null };
}

export async function runStreamBatch(ctx: StreamBatchContext, shard: string, records: readonly SourceRecord[], initialRetries: number, hooks: StreamBatchHooks): Promise<StreamBatchResult> {
  const { pipeline, metrics, events, logger } = ctx;
  const labels = { pipeline: pipeline.name };
  metrics.polledEvents.inc(labels, records.length);
  const matched = records.filter((r) => ctx.matcher.matches(r));
  const filteredCount = records.length - matched.length;
  if (filteredCount > 0) {
    // Filtered-out stream records are skipped: the iterator moves past them.
    metrics.filteredOutEvents.inc(labels, filteredCount);
    events.emit('records-discarded', { pipeline: pipeline.name, shard, reason: 'filtered', count: filteredCount });
  }
  // Settle filtered records as soon as everything before them is settled, to keep the checkpoint in order.
  const matchedIds = new Set(matched.map((r) => r.id));
  const doneIds = new Set<string>();
  let cursor = 0;
  const settleThrough = (): void => {
    const out: SourceRecord[] = [];
    while (cursor < records.length) {
      const record = records[cursor];
      if (record === undefined) break;
      if (matchedIds.has(record.id) && !doneIds.has(record.id)) break;
      out.push(record);
      cursor += 1;
    }
    if (out.length > 0) hooks.settle(out);
  };
  settleThrough();
  const policy: StreamPolicyConfig = {
    maximumRetryAttempts: pipeline.maximumRetryAttempts,
    maximumRecordAgeMs: pipeline.maximumRecordAgeMs,
    bisectBatchOnFunctionError: pipeline.bisectBatchOnFunctionError,
    reportBatchItemFailures: pipeline.reportBatchItemFailures,
    tumblingWindow: pipeline.tumblingWindowMs > 0,
    backoff: DEFAULT_BACKOFF,
    ...(pipeline.source.type === 'kafka' ? { normalizeId: normalizeKafkaItemId } : {}),
  };
  const markDone = (done: readonly SourceRecord[]): void => {
    for (const record of done) doneIds.add(record.id);
    settleThrough();
  };
  let segments: Segment<SourceRecord>[] = matched.length === 0 ? [] : [initialSegment(matched, initialRetries)];
  let lastResult: InvokeResult | null = null;

  while (segments.length > 0) {
    const head = segments[0];
    if (head === undefined) break;
    if (ctx.invokeSignal.aborted) return { kind: 'interrupted' };
    const { expired, segment } = expireRecords(head, policy, ctx.now());
    if (expired.length > 0) {
      const delivered = await discard(ctx, shard, expired, 'RecordAgeExceeded', head.retries, lastResult);
      if (!delivered) return { kind: 'interrupted' };
      markDone(expired);
    }
    if (segment === null) {
      segments = segments.slice(1);
      continue;
    }
    const batchId = randomUUID();
    const newest = segment.records[segment.records.length - 1];
    if (newest !== undefined) metrics.iteratorAge.set({ pipeline: pipeline.name, shard }, Math.max(0, (ctx.now() - newest.arrivedAtMs) / 1000));
    metrics.concurrentExecutions.inc(labels);
    const result = await safeInvoke(ctx.runner, ctx.toEvent(segment.records), { deadlineMs: ctx.now() + pipeline.function.timeoutMs, signal: ctx.invokeSignal });
    metrics.concurrentExecutions.dec(labels);
    lastResult = result;
    metrics.invokedEvents.inc(labels, segment.records.length);
    metrics.invocationDuration.observe(labels, result.durationMs / 1000);
    if (result.coldStart) metrics.coldStarts.inc(labels);
    if (ctx.invokeSignal.aborted) return { kind: 'interrupted' };
    const step = nextStreamStep(segment, toOutcome(result), policy, ctx.random);
    const size = segment.records.length;
    if (result.status === 'ok' && step.completed.length > 0) hooks.onResponse?.(result.payload);
    if (step.kind === 'done') {
      metrics.invocations.inc({ ...labels, outcome: 'ok' });
      events.emit('batch-invoked', { pipeline: pipeline.name, shard, batchId, size, durationMs: result.durationMs, failedIds: [] });
      markDone(step.completed);
      segments = segments.slice(1);
      continue;
    }
    const failedCount = size - step.completed.length;
    metrics.failedInvokeEvents.inc(labels, failedCount);
    if (result.status === 'error') {
      metrics.invocations.inc({ ...labels, outcome: result.kind === 'timeout' ? 'timeout' : 'error' });
      events.emit('batch-failed', { pipeline: pipeline.name, shard, batchId, size, kind: result.kind, ...result.error });
    } else {
      metrics.invocations.inc({ ...labels, outcome: 'partial' });
      events.emit('batch-invoked', { pipeline: pipeline.name, shard, batchId, size, durationMs: result.durationMs, failedIds: segment.records.slice(step.completed.length).map((r) => r.id) });
    }
    markDone(step.completed);
    if (step.kind === 'discard') {
      const delivered = await discard(ctx, shard, step.records, step.condition, step.approximateInvokeCount - 1, lastResult);
      if (!delivered) return { kind: 'interrupted' };
      markDone(step.records);
      segments = segments.slice(1);
      continue;
    }
    segments = [...step.next, ...segments.slice(1)];
    const nextHead = segments[0];
    logger.debug({ shard, batchId, reason: step.reason, delayMs: step.delayMs, retries: nextHead?.retries }, 'stream batch continues');
    if (step.delayMs > 0) {
      if (ctx.stopSignal.aborted) return { kind: 'interrupted' };
      await hooks.persistAttempt(nextHead?.retries ?? 0);
      await sleep(step.delayMs, ctx.stopSignal);
      if (ctx.stopSignal.aborted) return { kind: 'interrupted' };
    }
  }
  return { kind: 'settled' };
}

/**
 * Sends discarded records to the on-failure destination, retrying until it succeeds: if the destination fails,
 * nothing is settled (DESIGN §1). Returns false when shutdown interrupted it.
 */
async function discard(
  ctx: StreamBatchContext,
  shard: string,
  records: readonly SourceRecord[],
  condition: StreamDiscardCondition,
  retries: number,
  lastResult: InvokeResult | null,
): Promise<boolean> {
  const labels = { pipeline: ctx.pipeline.name };
  if (ctx.destination === null) {
    ctx.metrics.droppedEvents.inc(labels, records.length);
    ctx.events.emit('records-discarded', { pipeline: ctx.pipeline.name, shard, reason: 'dropped', count: records.length });
    ctx.logger.warn({ shard, count: records.length, condition }, 'records dropped (no on-failure destination)');
    return true;
  }
  const failureRecords = ctx.failureRecords({
    shard,
    records,
    condition,
    approximateInvokeCount: lastResult === null ? 0 : retries + 1,
    response: responseInfo(lastResult),
    requestId: randomUUID(),
    functionArn: ctx.functionArn,
    timestamp: isoTimestamp(ctx.now()),
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ctx.destination.deliver(failureRecords, ctx.invokeSignal);
      ctx.metrics.onFailureDeliveredEvents.inc(labels, records.length);
      ctx.events.emit('records-discarded', { pipeline: ctx.pipeline.name, shard, reason: 'on-failure', count: records.length });
      return true;
    } catch (error) {
      ctx.logger.error({ shard, attempt, err: error instanceof Error ? error.message : 'unknown' }, 'on-failure destination failed; nothing is checkpointed until it succeeds');
      if (ctx.invokeSignal.aborted) return false;
      await sleep(backoffDelayMs(attempt, DEFAULT_BACKOFF, ctx.random), ctx.invokeSignal);
      if (ctx.invokeSignal.aborted) return false;
    }
  }
}
