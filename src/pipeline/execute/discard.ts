/**
 * Records the stream policy discards (retries exhausted, too old, too large) go to the on-failure destination; they
 * count as settled only once it accepted them (DESIGN §1). A destination that keeps refusing holds the lane — the
 * safe default — or, with `onFailureDeliveryExhausted: drop`, the records are dropped after a bounded number of
 * attempts, counted and logged, as AWS counts DestinationDeliveryFailures and moves on.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
import { randomUUID } from 'node:crypto';
import type { SourceRecord } from '../../connector/types.js';
import { errorMessage } from '../../errors.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../../policy/backoff.js';
import { isoTimestamp, type DiscardCondition, type FunctionResponseInfo } from '../../policy/on-failure-record.js';
import type { InvokeResult } from '../../runner/types.js';
import { sleep } from '../../connector/kit/sleep.js';
import { deliveryCounts } from '../../destination/delivery-accounting.js';
import type { DeliveryReport } from '../../destination/types.js';
import type { StreamExecutorContext } from './context.js';

/** Where discarded records go. */
export interface DiscardTarget {
  deliver(records: readonly object[], signal: AbortSignal): Promise<void>;
  /** `deliver`, naming the records the destination dropped for good (an SNS message over 256 KB). */
  deliverAndReport?(records: readonly object[], signal: AbortSignal): Promise<DeliveryReport>;
  close?(): Promise<void>;
}

/** Attempts before `onFailureDeliveryExhausted: drop` gives up on a delivery. */
export const DELIVERY_ATTEMPTS_BEFORE_DROP = 5;

export interface DiscardFacts {
  readonly condition: DiscardCondition;
  /** Invocations of the records (0 when never invoked). */
  readonly approximateInvokeCount: number;
  /** The last invocation's result, for `responseContext`; null when never invoked. */
  readonly lastResult: InvokeResult | null;
}

/** The Invoke API response of the last invocation, as the runner reported it. */
export function responseInfo(result: InvokeResult | null, qualifier: string | null): FunctionResponseInfo | null {
  if (result === null || (result.status === 'error' && result.kind === 'payload-too-large')) return null;
  return {
    statusCode: result.statusCode ?? 200,
    executedVersion: result.executedVersion ?? qualifier ?? '$LATEST',
    functionError: result.status === 'error' ? (result.functionError ?? 'Unhandled') : null,
  };
}

/**
 * Delivers (or drops) discarded records. Returns false when interrupted by shutdown before the records were
 * delivered: they are then not settled and are read again after a restart.
 */
export async function discardRecords(ctx: StreamExecutorContext, records: readonly SourceRecord[], facts: DiscardFacts): Promise<boolean> {
  const { metrics, events, logger, pipeline } = ctx;
  const labels = { pipeline: pipeline.name };
  const drop = (why: string): true => {
    metrics.droppedEvents.inc(labels, records.length);
    events.emit('records-discarded', { pipeline: pipeline.name, shard: ctx.lane, reason: 'dropped', count: records.length });
    logger.warn({ count: records.length, condition: facts.condition, first: records[0]?.id }, `records dropped (${why})`);
    return true;
  };
  if (ctx.destination === null || ctx.failureRecords === null) return drop(`${facts.condition}; no on-failure destination`);
  const failureRecords = ctx.failureRecords({
    shard: ctx.lane,
    records,
    condition: facts.condition,
    approximateInvokeCount: facts.approximateInvokeCount,
    response: responseInfo(facts.lastResult, qualifierOf(ctx)),
    requestId: randomUUID(),
    functionArn: ctx.functionArn,
    timestamp: isoTimestamp(ctx.now()),
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const report = await deliverTo(ctx.destination, failureRecords, ctx.invokeSignal);
      // A record the destination dropped for good counts as AWS counts it: DestinationDeliveryFailures and
      // DroppedEventCount, never delivered (src/destination/delivery-accounting.ts).
      const counts = deliveryCounts(report, failureRecords.length, records.length);
      if (counts.deliveryFailures > 0) metrics.destinationDeliveryFailures.inc(labels, counts.deliveryFailures);
      if (counts.droppedEvents > 0) {
        metrics.droppedEvents.inc(labels, counts.droppedEvents);
        events.emit('records-discarded', { pipeline: pipeline.name, shard: ctx.lane, reason: 'dropped', count: counts.droppedEvents });
        logger.warn({ count: counts.droppedEvents, condition: facts.condition, reasons: report.dropped.map((d) => d.reason) }, 'records dropped by the on-failure destination');
      }
      if (counts.deliveredEvents > 0) {
        metrics.onFailureDeliveredEvents.inc(labels, counts.deliveredEvents);
        events.emit('records-discarded', { pipeline: pipeline.name, shard: ctx.lane, reason: 'on-failure', count: counts.deliveredEvents });
        logger.warn({ count: counts.deliveredEvents, condition: facts.condition, first: records[0]?.id, invokeCount: facts.approximateInvokeCount }, 'records sent to the on-failure destination');
      }
      return true;
    } catch (error) {
      if (ctx.invokeSignal.aborted) return false;
      metrics.destinationDeliveryFailures.inc(labels);
      const exhausted = pipeline.onFailureDeliveryExhausted === 'drop' && attempt >= DELIVERY_ATTEMPTS_BEFORE_DROP;
      logger.error(
        { attempt, err: errorMessage(error), count: records.length },
        exhausted ? 'on-failure destination failed for good' : 'on-failure destination failed; nothing is settled until it succeeds',
      );
      if (exhausted) return drop(`the on-failure destination refused ${attempt} times (onFailureDeliveryExhausted: drop)`);
      await (ctx.sleep ?? sleep)(backoffDelayMs(attempt, ctx.backoff ?? DEFAULT_BACKOFF, ctx.random), ctx.invokeSignal);
      if (ctx.invokeSignal.aborted) return false;
    }
  }
}

const NOTHING_DROPPED: DeliveryReport = { dropped: [] };

async function deliverTo(destination: DiscardTarget, records: readonly object[], signal: AbortSignal): Promise<DeliveryReport> {
  if (destination.deliverAndReport !== undefined) return destination.deliverAndReport(records, signal);
  await destination.deliver(records, signal);
  return NOTHING_DROPPED;
}

function qualifierOf(ctx: StreamExecutorContext): string | null {
  const fn = ctx.pipeline.function;
  return fn.type === 'lambda' ? fn.qualifier : null;
}
