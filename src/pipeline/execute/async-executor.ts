/**
 * The executor of asynchronous invocation (issue 14), the third next to the ack and stream executors: the lanes of a
 * function's internal queue (the embedded one, or an SQS queue) hand it up to 10 events at a time, and it runs each on
 * its own, as Lambda's pollers do — one event per invocation, never a batch — deciding with policy/async-step.ts:
 *
 * - not due yet → handed back for the rest of its wait; older than MaximumEventAgeInSeconds → discarded
 *   (`EventAgeExceeded`);
 * - waits for a slot of the function's reserved concurrency ("an async event waits"), at most until its age runs
 *   out; reserved concurrency 0 sends it straight to its failure destinations, as on AWS;
 * - success → the `Success` record to OnSuccess, then deleted;
 * - function error with attempts left → queued again with the attempt counted, due after AWS's wait (1 min, then
 *   2 min), the delivered copy deleted once the new one is stored;
 * - throttle or system error → handed back to the queue with AWS's growing wait (1 s … 5 min), no attempt used;
 * - discarded → the record to OnFailure and the event to the DeadLetterConfig queue, then deleted.
 *
 * At-least-once: an event is deleted only after what its decision needs was stored (the retry's copy, the records);
 * a destination that refuses is retried with back-off until it accepts or the pipeline stops — then the event is
 * handed back and runs again after the restart. Never throws: failures are data.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import type { QueueMessage, Settlement, SourceRecord } from '../../connector/types.js';
import { sleep } from '../../connector/kit/sleep.js';
import { errorMessage } from '../../errors.js';
import type { Metrics } from '../../observability/metrics.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../../policy/backoff.js';
import { admitAsyncEvent, nextAsyncStep, type AsyncOutcome, type AsyncRetryPolicy, type DiscardCondition } from '../../policy/async-step.js';
import { asyncInvocationRecord, deadLetterMessage, type AsyncRecordCondition, type DeadLetterMessage } from '../../policy/async-invocation-record.js';
import { safeInvoke } from '../../runner/safe-invoke.js';
import type { InvokeResult } from '../../runner/types.js';
import { decodeAsyncEvent, encodeAsyncEvent, type AsyncEvent } from './async-event.js';
import { asyncOutcomeOf, asyncResponseOf, deadLetterCause } from './async-outcome.js';
import type { ExecutorContext } from './context.js';
import type { QueueExecutor } from './queue-executor.js';

/** Where invocation records go (an SQS queue, a Kafka topic, a file, another function). */
export interface RecordTarget {
  readonly target: string;
  deliver(records: readonly object[], signal: AbortSignal): Promise<void>;
}

/** The DeadLetterConfig queue. */
export interface DeadLetterTarget {
  readonly target: string;
  send(message: DeadLetterMessage, signal: AbortSignal): Promise<void>;
}

/** A function's rules as they are now (the Lambda API may change them while the pipeline runs). */
export interface AsyncEventRules {
  readonly policy: AsyncRetryPolicy;
  readonly onSuccess: RecordTarget | null;
  readonly onFailure: RecordTarget | null;
  readonly deadLetter: DeadLetterTarget | null;
}

/** What the executor needs besides its lane; the lane's `runner` must not wait for concurrency itself. */
export interface AsyncExecutorPorts {
  readonly functionName: string;
  /** `…:function:<name>:$LATEST`, as AWS writes it in records. */
  readonly functionArn: string;
  /** A slot of the function's reserved concurrency, or null when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<{ release(): void } | null>;
  /** Reserved concurrency 0: the function accepts nothing. */
  blocked(): boolean;
  rules(signal: AbortSignal): Promise<AsyncEventRules>;
  /** Stores a message in the function's queue. */
  requeue(message: QueueMessage, signal: AbortSignal): Promise<void>;
  readonly metrics: Metrics;
}

type Settle = (settlement: Settlement) => Promise<void>;

export function asyncQueueExecutor(ports: AsyncExecutorPorts): QueueExecutor {
  return async (ctx, batch, settle) => {
    await Promise.all(batch.map((record) => runEvent(ctx, ports, record, settle)));
    // Failures are spaced by the queue (each event's own wait): the lane itself never backs off.
    return { functionFailed: false };
  };
}

const done = (record: SourceRecord): Settlement => ({ done: [record], redeliver: [], redeliverDelayMs: null });
const handBack = (record: SourceRecord, delayMs: number): Settlement => ({ done: [], redeliver: [record], redeliverDelayMs: Math.max(0, Math.round(delayMs)) });

async function runEvent(ctx: ExecutorContext, ports: AsyncExecutorPorts, record: SourceRecord, settle: Settle): Promise<void> {
  const fn = { function: ports.functionName };
  const event = decodeAsyncEvent(textOf(record.filterPayload));
  if (event === null || !isJson(event.payload)) {
    // Not ours (someone else wrote to the queue) or damaged: it can never be invoked.
    ctx.logger.error({ messageId: record.id }, 'dropped a message of the asynchronous queue that is not an event Tributary stored');
    ports.metrics.asyncEventsDropped.inc({ ...fn, condition: 'Malformed' });
    ports.metrics.asyncEventsDequeued.inc(fn);
    await settle(done(record));
    return;
  }
  let rules: AsyncEventRules;
  try {
    rules = await ports.rules(ctx.stopSignal);
  } catch (error) {
    ctx.logger.warn({ requestId: event.requestId, err: errorMessage(error) }, 'cannot read the asynchronous-invocation settings yet; the event waits');
    await settle(handBack(record, DEFAULT_BACKOFF.baseMs));
    return;
  }
  const run: EventRun = { ctx, ports, rules, record, event, settle };
  const facts = { enqueuedAtMs: event.enqueuedAtMs, attempts: event.attempts, throttles: Math.max(0, record.receiveCount - 1), dueAtMs: event.dueAtMs };
  const admission = admitAsyncEvent(facts, ctx.now(), rules.policy);
  if (admission.kind === 'defer') return settle(handBack(record, admission.delayMs));
  if (admission.kind === 'discard') return discard(run, admission.condition, event.attempts, null, null);
  if (ports.blocked()) return discard(run, 'RetriesExhausted', event.attempts, null, { kind: 'blocked' });

  // "An async event waits" for the function's concurrency — but no longer than its age allows.
  const waited = AbortSignal.any([ctx.stopSignal, AbortSignal.timeout(admission.waitLimitMs)]);
  const slot = await ports.acquire(waited);
  if (slot === null) {
    if (ctx.stopSignal.aborted) return settle(handBack(record, 0));
    return discard(run, 'EventAgeExceeded', event.attempts, null, null);
  }
  let result: InvokeResult;
  try {
    result = await invoke(ctx, ports, event);
  } finally {
    slot.release();
  }
  if (ctx.invokeSignal.aborted) {
    // Shutdown ran out of time mid-invocation: not an answer of the function; the event runs again after the restart.
    await settle(handBack(record, 0));
    return;
  }
  const outcome = asyncOutcomeOf(result);
  const step = nextAsyncStep(facts, outcome, ctx.now(), rules.policy, ctx.random);
  switch (step.kind) {
    case 'succeeded':
      if (rules.onSuccess !== null && !(await deliverRecord(run, rules.onSuccess, 'Success', event.attempts + 1, result))) return settle(handBack(record, 0));
      ports.metrics.asyncEventsDequeued.inc(fn);
      return settle(done(record));
    case 'retry': {
      const dueAtMs = ctx.now() + step.delayMs;
      const copy = encodeAsyncEvent({ ...event, attempts: step.attempts, dueAtMs });
      ctx.logger.warn({ requestId: event.requestId, attempt: step.attempts, nextInMs: step.delayMs, errorType: errorTypeOf(result) }, 'asynchronous invocation failed; retrying after the wait');
      try {
        await ports.requeue({ body: copy, delayMs: step.delayMs }, ctx.invokeSignal);
      } catch (error) {
        // The attempt is not recorded: the delivered copy comes back after the same wait and runs with its old count.
        ctx.logger.error({ requestId: event.requestId, err: errorMessage(error) }, 'could not queue the retry; the event comes back as it was');
        return settle(handBack(record, step.delayMs));
      }
      return settle(done(record));
    }
    case 'redeliver':
      ctx.logger.info({ requestId: event.requestId, kind: outcome.kind, nextInMs: step.delayMs }, 'asynchronous invocation throttled; the event waits in the queue (no attempt used)');
      return settle(handBack(record, step.delayMs));
    case 'discard':
      return discard(run, step.condition, step.attempts, result, outcome);
  }
}

async function invoke(ctx: ExecutorContext, ports: AsyncExecutorPorts, event: AsyncEvent): Promise<InvokeResult> {
  const labels = { pipeline: ctx.pipeline.name };
  const started = ctx.now();
  ports.metrics.asyncEventAge.observe({ function: ports.functionName }, Math.max(0, started - event.enqueuedAtMs) / 1000);
  ctx.metrics.concurrentExecutions.inc(labels);
  const result = await safeInvoke(ctx.runner, JSON.parse(event.payload), {
    deadlineMs: started + ctx.pipeline.function.timeoutMs,
    signal: ctx.invokeSignal,
    requestId: event.requestId,
  });
  ctx.metrics.concurrentExecutions.dec(labels);
  ctx.metrics.invokedEvents.inc(labels);
  ctx.metrics.invocationDuration.observe(labels, result.durationMs / 1000);
  if (result.coldStart) ctx.metrics.coldStarts.inc(labels);
  if (result.status === 'ok') {
    ctx.metrics.invocations.inc({ ...labels, outcome: 'ok' });
    ctx.report('OK');
  } else {
    ctx.metrics.invocations.inc({ ...labels, outcome: result.kind === 'timeout' ? 'timeout' : 'error' });
    ctx.metrics.invokeErrors.inc({ ...labels, kind: result.kind });
    ctx.metrics.failedInvokeEvents.inc(labels);
    ctx.report(`PROBLEM: Function call failed (${result.error.errorType})`);
    ctx.events.emit('batch-failed', { pipeline: ctx.pipeline.name, shard: ctx.lane, batchId: event.requestId, size: 1, kind: result.kind, errorType: result.error.errorType, errorMessage: result.error.errorMessage });
  }
  return result;
}

/** What one event's decision is carried out with. */
interface EventRun {
  readonly ctx: ExecutorContext;
  readonly ports: AsyncExecutorPorts;
  readonly rules: AsyncEventRules;
  readonly record: SourceRecord;
  readonly event: AsyncEvent;
  readonly settle: Settle;
}

/** Sends a discarded event to OnFailure and the dead-letter queue, then deletes it (hands it back when stopping). */
async function discard(run: EventRun, condition: DiscardCondition, attempts: number, result: InvokeResult | null, outcome: AsyncOutcome | null): Promise<void> {
  const { ctx, ports, rules, record, event } = run;
  const fn = { function: ports.functionName };
  const onFailure = rules.onFailure;
  if (onFailure !== null && !(await deliverRecord(run, onFailure, condition, attempts, result))) return run.settle(handBack(record, 0));
  const dlq = rules.deadLetter;
  if (dlq !== null) {
    const cause = deadLetterCause(result, outcome);
    const message = deadLetterMessage({ requestId: event.requestId, payload: event.payload, condition }, cause.code, cause.message);
    if (!(await withRetries(run, dlq.target, (signal) => dlq.send(message, signal)))) return run.settle(handBack(record, 0));
  }
  ports.metrics.asyncEventsDropped.inc({ ...fn, condition });
  ports.metrics.asyncEventsDequeued.inc(fn);
  const sentTo = [onFailure?.target, dlq?.target].filter((target) => target !== undefined);
  ctx.events.emit('records-discarded', { pipeline: ctx.pipeline.name, shard: ctx.lane, reason: sentTo.length > 0 ? 'on-failure' : 'dropped', count: 1 });
  ctx.logger.warn(
    { requestId: event.requestId, condition, approximateInvokeCount: attempts, sentTo },
    sentTo.length > 0 ? 'asynchronous event discarded; its record was sent' : 'asynchronous event discarded (no OnFailure destination nor dead-letter queue)',
  );
  return run.settle(done(record));
}

/** Delivers the invocation record of `condition`; false when the pipeline stopped first. */
function deliverRecord(run: EventRun, target: RecordTarget, condition: AsyncRecordCondition, attempts: number, result: InvokeResult | null): Promise<boolean> {
  const { ctx, ports, event } = run;
  const record = asyncInvocationRecord({
    requestId: event.requestId,
    functionArn: ports.functionArn,
    condition,
    approximateInvokeCount: attempts,
    payload: event.payload,
    response: result === null ? null : asyncResponseOf(result),
    nowMs: ctx.now(),
  });
  return withRetries(run, target.target, (signal) => target.deliver([record], signal));
}

/**
 * Runs `deliver` until it succeeds (true) or the pipeline stops (false): a destination that refuses holds the event,
 * never loses its record. Each failure counts in DestinationDeliveryFailures.
 */
async function withRetries(run: EventRun, target: string, deliver: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
  const { ctx } = run;
  for (let attempt = 1; ; attempt += 1) {
    if (ctx.stopSignal.aborted) return false;
    try {
      await deliver(ctx.invokeSignal);
      if (attempt > 1) ctx.logger.info({ destination: target, attempts: attempt }, 'destination accepted the record');
      return true;
    } catch (error) {
      ctx.metrics.destinationDeliveryFailures.inc({ pipeline: ctx.pipeline.name });
      ctx.logger.error({ destination: target, attempt, requestId: run.event.requestId, err: errorMessage(error) }, 'destination refused the record; the event is kept until it accepts');
      await sleep(backoffDelayMs(attempt, DEFAULT_BACKOFF, ctx.random), ctx.stopSignal);
    }
  }
}

function textOf(payload: string | Uint8Array | null): string {
  if (payload === null) return '';
  return typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function errorTypeOf(result: InvokeResult): string | null {
  return result.status === 'error' ? result.error.errorType : null;
}
