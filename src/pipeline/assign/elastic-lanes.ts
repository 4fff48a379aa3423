/**
 * The lane assigner of queue sources (SQS): interchangeable pollers, each running the one lane loop with the
 * per-record-ack executor — read a batch, invoke, settle, and only then read again, so concurrency never exceeds
 * the number of pollers and nothing is received without an invocation slot. Pollers scale up under backlog (a full
 * page, at most one every 200 ms: AWS adds up to 300 concurrent invocations a minute) and retire when a long poll
 * comes back empty while more than the idle minimum run. A poller that dies is replaced, and the messages it held
 * are released (heartbeat stopped, visible again) at once instead of staying hidden until the process exits.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 */
import type { LaneReader, QueueSource, Settlement, SourceRecord } from '../../connector/types.js';
import { sleep } from '../../connector/kit/sleep.js';
import { errorMessage, isTributaryError } from '../../errors.js';
import type { LaneTracer } from '../../observability/tracing/types.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../../policy/backoff.js';
import { MAX_LONG_POLL_MS } from '../batcher.js';
import { ackQueueExecutor } from '../execute/ack-executor.js';
import { admittedRead } from '../lane/admitted-read.js';
import { runLaneLoop } from '../lane/lane-loop.js';
import { resilientRead } from '../lane/resilient-read.js';
import { executorFor, laneLogger, type RunContext } from '../run-context.js';
import type { Assigner } from './assigner.js';

/** AWS adds at most 300 concurrent invocations a minute to an SQS mapping: one new poller every 200 ms (the source may say otherwise). */
const SCALE_UP_INTERVAL_MS = 200;
const SETTLE_ATTEMPTS = 5;
/** Wait before replacing a poller that died. */
const REPLACE_DELAY_MS = 1_000;

export class ElasticLanes implements Assigner {
  readonly #run: RunContext;
  readonly #source: QueueSource;
  readonly #lanes = new Map<string, Promise<void>>();
  #laneSeq = 0;
  #active = 0;
  #lastScaleUpMs = Number.NEGATIVE_INFINITY;
  #crashes = 0;

  constructor(run: RunContext, source: QueueSource) {
    this.#run = run;
    this.#source = source;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.#source.lanes.initial; i += 1) this.#spawn();
  }

  lanes(): number {
    return this.#active;
  }

  async drained(): Promise<void> {
    while (this.#lanes.size > 0) await Promise.all(this.#lanes.values());
  }

  #spawn(): void {
    const id = `poller-${this.#laneSeq++}`;
    this.#setActive(this.#active + 1);
    const run = this.#runLane(id).finally(() => {
      this.#lanes.delete(id);
      this.#run.health.forget(`poller ${id}`);
    });
    this.#lanes.set(id, run);
  }

  #setActive(count: number): void {
    this.#active = count;
    this.#run.metrics.pollers.set({ pipeline: this.#run.config.name }, count);
  }

  async #runLane(id: string): Promise<void> {
    const run = this.#run;
    const { config } = run;
    const source = this.#source;
    const logger = laneLogger(run, id);
    const reader: LaneReader = source.openLane(id);
    const component = `poller ${id}`;
    const ctx = { ...executorFor(run, source, id, logger), invokeSignal: run.invokeSignal, stopSignal: run.stopSignal };
    let functionFailures = 0;
    const executeBatch = run.queueExecutor ?? ackQueueExecutor(source.capabilities.ordering === 'per-group');
    // Nothing is received while the function is at its reserved concurrency (admitted-read.ts).
    const admission = admittedRead(
      resilientRead(reader, run.stopSignal, run.random, {
        failed: (error, consecutive) => {
          run.metrics.pollingErrors.inc({ pipeline: config.name });
          if (!isTributaryError(error, 'SOURCE_THROTTLED')) run.health.failed(component, error);
          if (consecutive === 1 || consecutive % 10 === 0) run.recordError(error, 'SOURCE_READ_FAILED');
        },
        recovered: () => run.health.ok(component),
      }, ctx.tracer),
      run.runner.admit?.bind(run.runner),
      run.stopSignal,
    );
    const exit = await runLaneLoop({
      read: admission.read,
      batching: { batchSize: config.batchSize, windowMs: config.maximumBatchingWindowMs, pageSize: source.capabilities.pageSize, idleWaitMs: MAX_LONG_POLL_MS },
      signal: run.stopSignal,
      now: run.now,
      onCollected: (lastReadCount) => {
        if (lastReadCount >= source.capabilities.pageSize) this.#scaleUp();
      },
      // An empty long poll: this poller is not needed right now.
      onIdle: async () => {
        admission.release();
        return this.#active > source.lanes.idleMin ? 'retire' : 'continue';
      },
      execute: async (batch) => {
        const outcome = await executeBatch(ctx, batch, (settlement) => this.#settle(id, settlement, ctx.tracer));
        admission.release();
        if (outcome.functionFailed) {
          // Lambda backs off after function errors instead of hammering the function.
          functionFailures += 1;
          await sleep(backoffDelayMs(functionFailures, DEFAULT_BACKOFF, run.random), run.stopSignal);
        } else functionFailures = 0;
        return 'next';
      },
    });
    admission.release();
    this.#setActive(this.#active - 1);
    if (exit.kind === 'stopped' && exit.held.length > 0) await this.#settle(id, { done: [], redeliver: exit.held, redeliverDelayMs: 0 }, ctx.tracer);
    if (exit.kind === 'crashed') {
      // A poller that died unexpectedly gives back what it held and is replaced: the pipeline never silently
      // loses its pollers, and its messages never stay hidden behind a heartbeat nobody will stop.
      run.recordError(exit.error, 'INTERNAL');
      await reader.release?.(exit.held).catch((error: unknown) => logger.warn({ err: errorMessage(error) }, 'could not release the messages of a dead poller'));
      this.#crashes += 1;
      if (!run.stopSignal.aborted) {
        await sleep(Math.max(REPLACE_DELAY_MS, backoffDelayMs(this.#crashes, DEFAULT_BACKOFF, run.random)), run.stopSignal);
        if (!run.stopSignal.aborted) this.#spawn();
      }
    } else {
      this.#crashes = 0;
    }
    await reader.close().catch(() => undefined);
  }

  #scaleUp(): void {
    const lanes = this.#source.lanes;
    if (this.#run.stopSignal.aborted) return;
    const now = this.#run.now();
    if (this.#active >= lanes.max || now - this.#lastScaleUpMs < (lanes.scaleUpIntervalMs ?? SCALE_UP_INTERVAL_MS)) return;
    this.#lastScaleUpMs = now;
    this.#spawn();
  }

  /** Settling must happen even while stopping; transient failures are retried a few times. */
  async #settle(id: string, settlement: Settlement, tracer: LaneTracer | undefined): Promise<void> {
    const run = this.#run;
    // One `delete` span over every attempt (README "Tracing"), linked to the invocations it settles.
    const span = tracer?.settle({ kind: 'ack', done: settlement.done, redeliver: settlement.redeliver });
    let lastError: unknown;
    for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt += 1) {
      try {
        await this.#source.settle(settlement, AbortSignal.timeout(30_000));
        if (settlement.done.length > 0) run.metrics.deletedEvents.inc({ pipeline: run.config.name }, settlement.done.length);
        span?.end({ kind: 'ok' });
        return;
      } catch (error) {
        lastError = error;
        run.recordError(error, 'SETTLE_FAILED');
        run.metrics.commitErrors.inc({ pipeline: run.config.name });
        if (attempt < SETTLE_ATTEMPTS) await sleep(backoffDelayMs(attempt, { baseMs: 200, maxMs: 5000 }, run.random));
      }
    }
    span?.end({ kind: 'failed', reason: 'SETTLE_FAILED', error: lastError });
    const records: readonly SourceRecord[] = [...settlement.done, ...settlement.redeliver];
    run.logger.error({ lane: id, done: settlement.done.length, records: records.length }, 'could not settle a batch; its records will be delivered again');
  }
}
