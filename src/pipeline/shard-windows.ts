/** The tumbling-window state of one shard lane (see tumbling-window.ts for the AWS rules). */
import type { SourceRecord } from '../connector/types.js';
import type { StreamBatchContext, StreamBatchResult } from './stream-executor.js';
import { finalInvoke, splitByWindow, stateFrom, stateTooLarge, windowEvent, type Window } from './tumbling-window.js';

export type RunWindowBatch = (ctx: StreamBatchContext, records: readonly SourceRecord[], onResponse: (payload: unknown) => void) => Promise<StreamBatchResult>;

export class ShardWindows {
  readonly #ctx: StreamBatchContext;
  readonly #context: { readonly shardId: string; readonly eventSourceARN: string };
  readonly #signal: AbortSignal;
  #window: Window | null = null;

  constructor(ctx: StreamBatchContext, shardId: string, eventSourceARN: string, signal: AbortSignal) {
    this.#ctx = ctx;
    this.#context = { shardId, eventSourceARN };
    this.#signal = signal;
  }

  /** Runs a batch window by window; closes a window when records of a later one arrive. */
  async process(batch: readonly SourceRecord[], run: RunWindowBatch): Promise<StreamBatchResult> {
    const windowMs = this.#ctx.pipeline.tumblingWindowMs;
    for (const part of splitByWindow(batch, windowMs, this.#window?.startMs ?? null)) {
      if (this.#window !== null && part.startMs > this.#window.startMs && !(await this.close(false))) return { kind: 'interrupted' };
      this.#window ??= { startMs: part.startMs, endMs: part.startMs + windowMs, state: {} };
      const window = this.#window;
      let tooLarge = false;
      const ctx: StreamBatchContext = { ...this.#ctx, toEvent: (records) => windowEvent(this.#ctx.toEvent(records), window, this.#context, false, false) };
      const result = await run(ctx, part.records, (payload) => {
        window.state = stateFrom(payload);
        tooLarge = stateTooLarge(window.state);
      });
      if (result.kind === 'interrupted') return result;
      if (tooLarge && !(await this.close(true))) return { kind: 'interrupted' };
    }
    return { kind: 'settled' };
  }

  /** Closes the current window once its end has passed (called when a shard is idle). */
  async closeIfDue(): Promise<boolean> {
    if (this.#window === null || this.#ctx.now() < this.#window.endMs) return true;
    return this.close(false);
  }

  /** The final invocation for the current window; `terminatedEarly` keeps the window open with empty state. */
  async close(terminatedEarly: boolean): Promise<boolean> {
    const window = this.#window;
    if (window === null) return true;
    const event = windowEvent({ Records: [] }, window, this.#context, true, terminatedEarly);
    const ok = await finalInvoke(this.#ctx.runner, event, this.#ctx.pipeline.function.timeoutMs, this.#ctx.now, this.#ctx.random, this.#signal);
    if (!ok) return false;
    this.#window = terminatedEarly ? { ...window, state: {} } : null;
    return true;
  }
}
