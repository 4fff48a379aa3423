/**
 * One invocation of a batch, with the bookkeeping every executor shares: the event, the payload-size guard, the
 * metrics Lambda defines (InvokedEventCount, ConcurrentExecutions, IteratorAge…), and the typed events. The
 * executors decide what the result means; this only carries it out once, the same way for every source.
 */
import { randomUUID } from 'node:crypto';
import type { SourceRecord } from '../../connector/types.js';
import { safeInvoke } from '../../runner/safe-invoke.js';
import type { InvokeOptions, InvokeResult } from '../../runner/types.js';
import { MAX_PAYLOAD_BYTES } from '../batcher.js';
import type { ExecutorContext } from './context.js';

export interface Invocation {
  readonly batchId: string;
  readonly result: InvokeResult;
}

/** Bytes of the event around its records (`{"Records":[…]}` and the window fields): a generous upper bound. */
const ENVELOPE_SLACK_BYTES = 4 * 1024;

/** Invokes the function with the event of `records`; never throws (handler failures are data). */
export async function invokeBatch(ctx: ExecutorContext, records: readonly SourceRecord[], toEvent = ctx.toEvent): Promise<Invocation> {
  const { metrics, pipeline } = ctx;
  const labels = { pipeline: pipeline.name };
  const batchId = randomUUID();
  const bytes = records.reduce((sum, r) => sum + r.sizeBytes + 1, 0);
  if (bytes + ENVELOPE_SLACK_BYTES > MAX_PAYLOAD_BYTES && records.length === 1) {
    // A single record over the limit can never be invoked (Lambda: RequestEntityTooLargeException).
    metrics.invokeErrors.inc({ ...labels, kind: 'payload-too-large' });
    return { batchId, result: tooLarge(bytes) };
  }
  const newest = records[records.length - 1];
  if (ctx.iteratorAge && newest !== undefined) {
    metrics.iteratorAge.set({ pipeline: pipeline.name, shard: ctx.lane }, Math.max(0, (ctx.now() - newest.arrivedAtMs) / 1000));
  }
  metrics.concurrentExecutions.inc(labels);
  // The records' sizes bound the event's (a tumbling window's event adds its state: no bound then).
  const sizeHint = toEvent === ctx.toEvent ? { sizeHintBytes: bytes + ENVELOPE_SLACK_BYTES } : {};
  // The batch id is the invocation's request id (context.awsRequestId, faas.invocation_id), so logs and spans agree.
  // Tracing off: no tracer, so no span and no per-record work (the producers' contexts are read only when on).
  const span = ctx.tracer?.invocation(records, batchId);
  const trace = span?.trace ?? null;
  const deadlineMs = ctx.now() + pipeline.function.timeoutMs;
  const options: InvokeOptions =
    trace === null ? { deadlineMs, signal: ctx.invokeSignal, requestId: batchId, ...sizeHint } : { deadlineMs, signal: ctx.invokeSignal, requestId: batchId, trace, ...sizeHint };
  const result = await safeInvoke(ctx.runner, toEvent(records), options);
  span?.end(result);
  metrics.concurrentExecutions.dec(labels);
  if (result.status === 'error') metrics.invokeErrors.inc({ ...labels, kind: result.kind });
  if (result.status === 'error' && result.kind === 'payload-too-large') return { batchId, result };
  metrics.invokedEvents.inc(labels, records.length);
  metrics.invocationDuration.observe(labels, result.durationMs / 1000);
  if (result.coldStart) metrics.coldStarts.inc(labels);
  return { batchId, result };
}

function tooLarge(bytes: number): InvokeResult {
  return {
    status: 'error',
    kind: 'payload-too-large',
    error: { errorType: 'RequestTooLargeException', errorMessage: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation (got about ${bytes})` },
    durationMs: 0,
    coldStart: false,
  };
}

/** The records filterCriteria lets through, and the others (one pass; without filters, everything matches). */
export function partitionByFilter(ctx: Pick<ExecutorContext, 'matcher'>, records: readonly SourceRecord[]): { matched: readonly SourceRecord[]; filtered: readonly SourceRecord[] } {
  const matched: SourceRecord[] = [];
  const filtered: SourceRecord[] = [];
  for (const record of records) (ctx.matcher.matches(record) ? matched : filtered).push(record);
  return { matched, filtered };
}

/** Lambda's LastProcessingResult for an invocation's result. */
export function processingResult(result: InvokeResult): string {
  if (result.status === 'ok') return 'OK';
  switch (result.kind) {
    case 'throttled':
      return 'PROBLEM: Function call throttled';
    case 'payload-too-large':
      return 'PROBLEM: Function payload too large';
    case 'threw':
    case 'timeout':
    case 'crashed':
    case 'bad-response':
      return `PROBLEM: Function call failed (${result.error.errorType})`;
  }
}
