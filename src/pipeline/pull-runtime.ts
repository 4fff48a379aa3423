/**
 * Elastic pollers for a pull source (SQS): each poller reads a batch, invokes, settles, and only then reads again,
 * so concurrency never exceeds the number of pollers. Pollers scale up under backlog and retire when idle.
 */
import type { Lane, PullSource, Settlement, SourceRecord } from '../connector/types.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../policy/backoff.js';
import { runAckBatch } from './ack-executor.js';
import type { BatchContext } from './batch-context.js';
import { MAX_LONG_POLL_MS, MAX_PAYLOAD_BYTES, collectBatch } from './batcher.js';
import type { RuntimeContext, SourceRuntime } from './runtime.js';
import { sleep } from './sleep.js';

/** AWS adds at most 300 concurrent invocations a minute to an SQS mapping: one new poller every 200 ms. */
const SCALE_UP_INTERVAL_MS = 200;
const SETTLE_ATTEMPTS = 5;

export class PullRuntime implements SourceRuntime {
  readonly #ctx: RuntimeContext;
  readonly #source: PullSource;
  readonly #lanes = new Map<string, Promise<void>>();
  #laneSeq = 0;
  #active = 0;
  #lastScaleUpMs = 0;

  constructor(ctx: RuntimeContext, source: PullSource) {
    this.#ctx = ctx;
    this.#source = source;
  }

  async start(): Promise<void> {
    const lanes = this.#source.capabilities.lanes;
    const initial = lanes.kind === 'elastic' ? lanes.initial : 1;
    for (let i = 0; i < initial; i += 1) this.#spawn();
  }

  lanes(): number {
    return this.#active;
  }

  async drained(): Promise<void> {
    while (this.#lanes.size > 0) await Promise.all(this.#lanes.values());
  }

  async close(): Promise<void> {
    await this.#source.close();
  }

  #spawn(): void {
    const lane: Lane = { id: `poller-${this.#laneSeq++}` };
    this.#setActive(this.#active + 1);
    const run = this.#run(lane)
      .catch((error: unknown) => {
        // A poller that died unexpectedly is replaced, so the pipeline never silently loses its pollers.
        this.#ctx.recordError(error, 'INTERNAL');
        this.#setActive(this.#active - 1);
        if (!this.#ctx.stopSignal.aborted) setTimeout(() => this.#ctx.stopSignal.aborted || this.#spawn(), 1000).unref();
      })
      .finally(() => this.#lanes.delete(lane.id));
    this.#lanes.set(lane.id, run);
  }

  #setActive(count: number): void {
    this.#active = count;
    this.#ctx.metrics.pollers.set({ pipeline: this.#ctx.config.name }, count);
  }

  async #run(lane: Lane): Promise<void> {
    const { config, stopSignal: signal } = this.#ctx;
    const source = this.#source;
    const lanes = source.capabilities.lanes;
    const idleMin = lanes.kind === 'elastic' ? lanes.idleMin : 1;
    const batchCtx: BatchContext = { ...this.#ctx, pipeline: config, logger: this.#ctx.logger.child({ lane: lane.id }) };
    let carry: readonly SourceRecord[] = [];
    let readFailures = 0;
    let functionFailures = 0;
    const read = async (maxRecords: number, waitMs: number): Promise<readonly SourceRecord[]> => {
      try {
        const records = await source.read(lane, { maxRecords, waitMs, signal });
        readFailures = 0;
        return records;
      } catch (error) {
        if (signal.aborted) return [];
        readFailures += 1;
        this.#ctx.metrics.pollingErrors.inc({ pipeline: config.name });
        this.#ctx.recordError(error, 'SOURCE_READ_FAILED');
        await sleep(backoffDelayMs(readFailures, DEFAULT_BACKOFF, this.#ctx.random), signal);
        return [];
      }
    };
    while (!signal.aborted) {
      const collected = await collectBatch(read, carry, {
        batchSize: config.batchSize,
        windowMs: config.maximumBatchingWindowMs,
        pageSize: lanes.pageSize,
        maxPayloadBytes: MAX_PAYLOAD_BYTES,
        idleWaitMs: MAX_LONG_POLL_MS,
        now: this.#ctx.now,
        signal,
      });
      carry = collected.carry;
      if (collected.batch.length === 0) {
        // An empty long poll: this poller is not needed right now.
        if (this.#active > idleMin && !signal.aborted) {
          this.#setActive(this.#active - 1);
          return;
        }
        continue;
      }
      if (collected.lastReadCount >= lanes.pageSize) this.#scaleUp();
      const outcome = await runAckBatch(batchCtx, source, this.#ctx.runner, collected.batch[0]?.shard ?? lane.id, collected.batch);
      await this.#settle(lane, outcome.settlement);
      this.#ctx.report(outcome.functionFailed ? 'PROBLEM: Function call failed' : 'OK');
      if (outcome.functionFailed) {
        // Lambda backs off after function errors instead of hammering the function.
        functionFailures += 1;
        await sleep(backoffDelayMs(functionFailures, DEFAULT_BACKOFF, this.#ctx.random), signal);
      } else {
        functionFailures = 0;
      }
    }
    this.#setActive(this.#active - 1);
    if (carry.length > 0) await this.#settle(lane, { done: [], redeliver: carry, redeliverDelayMs: 0 });
  }

  #scaleUp(): void {
    const lanes = this.#source.capabilities.lanes;
    if (lanes.kind !== 'elastic' || this.#ctx.stopSignal.aborted) return;
    const now = this.#ctx.now();
    if (this.#active >= lanes.max || now - this.#lastScaleUpMs < SCALE_UP_INTERVAL_MS) return;
    this.#lastScaleUpMs = now;
    this.#spawn();
  }

  /** Settling must happen even while stopping; transient failures are retried a few times. */
  async #settle(lane: Lane, settlement: Settlement): Promise<void> {
    for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt += 1) {
      try {
        await this.#source.settle(lane, settlement, AbortSignal.timeout(30_000));
        if (settlement.done.length > 0) this.#ctx.metrics.deletedEvents.inc({ pipeline: this.#ctx.config.name }, settlement.done.length);
        return;
      } catch (error) {
        this.#ctx.recordError(error, 'SETTLE_FAILED');
        if (attempt < SETTLE_ATTEMPTS) await sleep(backoffDelayMs(attempt, { baseMs: 200, maxMs: 5000 }, this.#ctx.random));
      }
    }
    this.#ctx.logger.error({ lane: lane.id, done: settlement.done.length }, 'could not settle a batch; its records will be delivered again');
  }
}
