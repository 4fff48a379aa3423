/**
 * One batch of a per-record-ack source (SQS): filter, invoke once, and decide what is deleted and what
 * returns to the queue. Retries happen through the broker (visibility timeout, redrive policy), as on AWS.
 * Never throws: handler failures are data.
 */
import { safeInvoke } from '../runner/safe-invoke.js';
import { randomUUID } from 'node:crypto';
import type { PullSource, Settlement, SourceRecord } from '../connector/types.js';
import { decideAck, type InvocationVerdict } from '../policy/ack-settlement.js';
import { parseBatchItemFailures } from '../policy/partial-failures.js';
import type { FunctionRunner } from '../runner/types.js';
import type { BatchContext } from './batch-context.js';

export interface AckOutcome {
  readonly settlement: Settlement;
  /** The function failed on the whole batch (error, timeout, unreadable partial response). */
  readonly functionFailed: boolean;
}

export async function runAckBatch(ctx: BatchContext, source: PullSource, runner: FunctionRunner, shard: string, records: readonly SourceRecord[]): Promise<AckOutcome> {
  const { pipeline, metrics, events, logger } = ctx;
  const labels = { pipeline: pipeline.name };
  const matched: SourceRecord[] = [];
  const filtered: SourceRecord[] = [];
  for (const record of records) (ctx.matcher.matches(record) ? matched : filtered).push(record);
  metrics.polledEvents.inc(labels, records.length);
  if (filtered.length > 0) {
    // Lambda deletes SQS messages that no filter matches. https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
    metrics.filteredOutEvents.inc(labels, filtered.length);
    events.emit('records-discarded', { pipeline: pipeline.name, shard, reason: 'filtered', count: filtered.length });
  }
  if (matched.length === 0) return { settlement: { done: records, redeliver: [], redeliverDelayMs: null }, functionFailed: false };

  const batchId = randomUUID();
  const event = source.toEvent(matched);
  metrics.concurrentExecutions.inc(labels);
  const result = await safeInvoke(runner, event, { deadlineMs: ctx.now() + pipeline.function.timeoutMs, signal: ctx.invokeSignal });
  metrics.concurrentExecutions.dec(labels);
  metrics.invokedEvents.inc(labels, matched.length);
  metrics.invocationDuration.observe(labels, result.durationMs / 1000);
  if (result.coldStart) metrics.coldStarts.inc(labels);

  let verdict: InvocationVerdict;
  if (result.status === 'error') {
    verdict = { kind: 'function-error' };
    metrics.invocations.inc({ ...labels, outcome: result.kind === 'timeout' ? 'timeout' : 'error' });
    events.emit('batch-failed', { pipeline: pipeline.name, shard, batchId, size: matched.length, kind: result.kind, ...result.error });
    logger.warn({ batchId, shard, size: matched.length, kind: result.kind, errorType: result.error.errorType }, 'function failed on the batch; it returns to the queue');
  } else {
    verdict = parseBatchItemFailures(result.payload, { reportBatchItemFailures: pipeline.reportBatchItemFailures, batchIds: new Set(matched.map((r) => r.id)) });
    if (verdict.kind === 'invalid') {
      metrics.invocations.inc({ ...labels, outcome: 'error' });
      events.emit('batch-failed', { pipeline: pipeline.name, shard, batchId, size: matched.length, kind: 'bad-response', errorType: 'InvalidBatchItemFailures', errorMessage: verdict.reason });
      logger.warn({ batchId, reason: verdict.reason }, 'invalid batchItemFailures response: the whole batch failed, as on AWS');
    } else {
      metrics.invocations.inc({ ...labels, outcome: verdict.kind === 'partial' ? 'partial' : 'ok' });
      const failedIds = verdict.kind === 'partial' ? verdict.failedIds : [];
      events.emit('batch-invoked', { pipeline: pipeline.name, shard, batchId, size: matched.length, durationMs: result.durationMs, failedIds });
    }
  }
  const decision = decideAck(matched, verdict, source.capabilities.ordering === 'per-group');
  const wholeBatchFailed = verdict.kind === 'function-error' || verdict.kind === 'invalid';
  // FailedInvokeEventCount includes events named in a non-empty batchItemFailures. https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
  const failedCount = wholeBatchFailed ? matched.length : verdict.kind === 'partial' ? verdict.failedIds.length : 0;
  if (failedCount > 0) metrics.failedInvokeEvents.inc(labels, failedCount);
  logger.debug({ batchId, shard, size: matched.length, done: decision.done.length, redeliver: decision.redeliver.length, durationMs: result.durationMs }, 'batch settled');
  return {
    settlement: { done: [...filtered, ...decision.done], redeliver: decision.redeliver, redeliverDelayMs: null },
    functionFailed: wholeBatchFailed,
  };
}
