/**
 * One batch of a per-record-ack source (SQS): filter, invoke once, and decide what is deleted and what returns to
 * the queue (policy/ack-settlement.ts). Retries happen through the broker (visibility timeout, redrive policy), as
 * on AWS. Never throws: handler failures are data.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import type { Settlement, SourceRecord } from '../../connector/types.js';
import { decideAck, type InvocationVerdict } from '../../policy/ack-settlement.js';
import { parseBatchItemFailures } from '../../policy/partial-failures.js';
import type { ExecutorContext } from './context.js';
import { logInvocationFailure, logPartialFailure } from './failure-log.js';
import { invokeBatch, partitionByFilter, processingResult } from './invoke.js';
import type { QueueExecutor } from './queue-executor.js';

export interface AckOutcome {
  readonly settlement: Settlement;
  /** The function failed on the whole batch (error, timeout, unreadable partial response): the lane backs off. */
  readonly functionFailed: boolean;
}

/** What happens to messages that return to the queue, in words. */
const REDELIVERY = 'they return to the queue after its visibility timeout (its redrive policy decides when they go to its DLQ)';

export async function runAckBatch(ctx: ExecutorContext, records: readonly SourceRecord[], fifo: boolean): Promise<AckOutcome> {
  const { pipeline, metrics, events, logger } = ctx;
  const labels = { pipeline: pipeline.name };
  const { matched, filtered } = partitionByFilter(ctx, records);
  metrics.polledEvents.inc(labels, records.length);
  if (filtered.length > 0) {
    // Lambda deletes SQS messages that no filter matches. https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
    metrics.filteredOutEvents.inc(labels, filtered.length);
    events.emit('records-discarded', { pipeline: pipeline.name, shard: ctx.lane, reason: 'filtered', count: filtered.length });
  }
  if (matched.length === 0) return { settlement: { done: records, redeliver: [], redeliverDelayMs: null }, functionFailed: false };

  const { batchId, result } = await invokeBatch(ctx, matched);
  ctx.report(processingResult(result));
  const attempt = matched.reduce((max, r) => Math.max(max, r.receiveCount), 1);
  const size = matched.length;
  let verdict: InvocationVerdict;
  if (result.status === 'error') {
    verdict = { kind: 'function-error' };
    metrics.invocations.inc({ ...labels, outcome: result.kind === 'timeout' ? 'timeout' : 'error' });
    events.emit('batch-failed', { pipeline: pipeline.name, shard: ctx.lane, batchId, size, kind: result.kind, errorType: result.error.errorType, errorMessage: result.error.errorMessage });
    logInvocationFailure(logger, result, { batchId, size, attempt, next: `the whole batch fails: ${REDELIVERY}` });
  } else {
    verdict = parseBatchItemFailures(result.payload, { reportBatchItemFailures: pipeline.reportBatchItemFailures, batchIds: () => new Set(matched.map((r) => r.id)) });
    if (verdict.kind === 'invalid') {
      metrics.invocations.inc({ ...labels, outcome: 'error' });
      ctx.report('PROBLEM: Invalid batchItemFailures response');
      events.emit('batch-failed', { pipeline: pipeline.name, shard: ctx.lane, batchId, size, kind: 'bad-response', errorType: 'InvalidBatchItemFailures', errorMessage: verdict.reason });
      logger.warn({ batchId, size, attempt, reason: verdict.reason }, `invalid batchItemFailures response: the whole batch fails, as on AWS — ${REDELIVERY}`);
    } else {
      metrics.invocations.inc({ ...labels, outcome: verdict.kind === 'partial' ? 'partial' : 'ok' });
      const failedIds = verdict.kind === 'partial' ? verdict.failedIds : [];
      events.emit('batch-invoked', { pipeline: pipeline.name, shard: ctx.lane, batchId, size, durationMs: result.durationMs, failedIds });
      if (failedIds.length > 0) logPartialFailure(logger, failedIds.length, { batchId, size, attempt, next: fifo ? `the failed messages and the rest of their groups: ${REDELIVERY}` : REDELIVERY });
    }
  }
  const decision = decideAck(matched, verdict, fifo);
  const wholeBatchFailed = verdict.kind === 'function-error' || verdict.kind === 'invalid';
  // FailedInvokeEventCount includes events named in a non-empty batchItemFailures. https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
  const failedCount = wholeBatchFailed ? matched.length : verdict.kind === 'partial' ? verdict.failedIds.length : 0;
  if (failedCount > 0) metrics.failedInvokeEvents.inc(labels, failedCount);
  logger.debug({ batchId, size, done: decision.done.length, redeliver: decision.redeliver.length, durationMs: result.durationMs }, 'batch settled');
  return {
    settlement: { done: [...filtered, ...decision.done], redeliver: decision.redeliver, redeliverDelayMs: null },
    functionFailed: wholeBatchFailed,
  };
}

/** The ack executor as a lane's {@link QueueExecutor}: one invocation, then one settlement. */
export function ackQueueExecutor(fifo: boolean): QueueExecutor {
  return async (ctx, batch, settle) => {
    const outcome = await runAckBatch(ctx, batch, fifo);
    await settle(outcome.settlement);
    return { functionFailed: outcome.functionFailed };
  };
}
