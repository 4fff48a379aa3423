/**
 * A consumer-group source (Kafka): the source drives fetching and committing; for each batch of one partition the
 * core runs Lambda's stream error handling in place (retries, bisect, partial failures, record age, on-failure
 * destination) and hands back the settled prefix, which is all the source may commit.
 */
import type { GroupSource, PartitionBatch, PartitionBatchResult, SourceRecord } from '../connector/types.js';
import type { FailureRecordBuilder } from './failure-records.js';
import { offsetLagAfterBatch } from './offset-lag.js';
import type { RuntimeContext, SourceRuntime } from './runtime.js';
import { runStreamBatch, type DiscardTarget } from './stream-executor.js';

export interface GroupRuntimeOptions {
  readonly destination: DiscardTarget | null;
  readonly functionArn: string;
  readonly failureRecords: FailureRecordBuilder;
}

export class GroupRuntime implements SourceRuntime {
  readonly #ctx: RuntimeContext;
  readonly #source: GroupSource;
  readonly #options: GroupRuntimeOptions;
  readonly #active = new Set<string>();
  #running: Promise<void> | null = null;

  constructor(ctx: RuntimeContext, source: GroupSource, options: GroupRuntimeOptions) {
    this.#ctx = ctx;
    this.#source = source;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#running = this.#source.run((batch) => this.#process(batch), this.#ctx.stopSignal).catch((error: unknown) => this.#ctx.recordError(error, 'SOURCE_UNAVAILABLE'));
  }

  lanes(): number {
    return this.#active.size;
  }

  async drained(): Promise<void> {
    await this.#running;
  }

  async close(): Promise<void> {
    await this.#source.close();
  }

  async #process(batch: PartitionBatch): Promise<PartitionBatchResult> {
    const { config } = this.#ctx;
    this.#active.add(batch.partition);
    this.#ctx.metrics.pollers.set({ pipeline: config.name }, this.#active.size);
    const settled: SourceRecord[] = [];
    try {
      const revokedOrHardStop = AbortSignal.any([this.#ctx.invokeSignal, batch.signal]);
      const result = await runStreamBatch(
        {
          ...this.#ctx,
          pipeline: config,
          logger: this.#ctx.logger.child({ partition: batch.partition }),
          invokeSignal: revokedOrHardStop,
          stopSignal: AbortSignal.any([this.#ctx.stopSignal, batch.signal]),
          toEvent: (records) => this.#source.toEvent(records),
          failureRecords: this.#options.failureRecords,
          destination: this.#options.destination,
          functionArn: this.#options.functionArn,
        },
        batch.partition,
        batch.records,
        batch.retries,
        { settle: (records) => settled.push(...records), persistAttempt: (retries) => batch.persistAttempt(retries) },
      );
      this.#ctx.report(result.kind === 'settled' ? 'OK' : 'PROBLEM: interrupted');
      if (settled.length > 0) this.#ctx.metrics.committedEvents.inc({ pipeline: config.name }, settled.length);
      const lag = offsetLagAfterBatch(batch, settled);
      if (lag !== null) this.#ctx.metrics.offsetLag.set({ pipeline: config.name, partition: batch.partition }, lag);
      return { settled };
    } finally {
      this.#active.delete(batch.partition);
      this.#ctx.metrics.pollers.set({ pipeline: config.name }, this.#active.size);
    }
  }
}
