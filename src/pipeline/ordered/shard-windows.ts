/** The tumbling-window state of one shard lane (see tumbling-window.ts for the AWS rules). */
import type { SourceRecord } from '../../connector/types.js';
import type { FunctionRunner } from '../../runner/types.js';
import type { StreamBatchResult } from '../execute/stream-executor.js';
import type { StoredWindow } from './lane-state.js';
import { finalInvoke, splitByWindow, stateFrom, stateTooLarge, windowEvent, type Window } from './tumbling-window.js';

/** Runs records of one window with the window's event shape; `onResponse` receives each answer's payload. */
export type RunWindowBatch = (
  toEvent: (records: readonly SourceRecord[]) => unknown,
  records: readonly SourceRecord[],
  onResponse: (payload: unknown) => void,
) => Promise<StreamBatchResult>;

export interface ShardWindowsOptions {
  readonly windowMs: number;
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
  readonly runner: FunctionRunner;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly signal: AbortSignal;
  /** The window restored with the checkpoint (12.11: the state survives a restart). */
  readonly restored: StoredWindow | null;
  /** The window changed (new state, closed): store it with the next checkpoint. */
  readonly changed: () => void;
}

export class ShardWindows {
  readonly #o: ShardWindowsOptions;
  #window: Window | null;

  constructor(options: ShardWindowsOptions) {
    this.#o = options;
    this.#window = options.restored === null ? null : { ...options.restored };
  }

  /** The window in progress, to store with the checkpoint. */
  snapshot(): StoredWindow | null {
    return this.#window === null ? null : { startMs: this.#window.startMs, endMs: this.#window.endMs, state: this.#window.state };
  }

  /** Runs a batch window by window; closes a window when records of a later one arrive. */
  async process(batch: readonly SourceRecord[], run: RunWindowBatch): Promise<StreamBatchResult> {
    const { windowMs, shardId, eventSourceARN } = this.#o;
    for (const part of splitByWindow(batch, windowMs, this.#window?.startMs ?? null)) {
      if (this.#window !== null && part.startMs > this.#window.startMs && !(await this.close(false))) return 'interrupted';
      this.#window ??= { startMs: part.startMs, endMs: part.startMs + windowMs, state: {} };
      const window = this.#window;
      let tooLarge = false;
      const toEvent = (records: readonly SourceRecord[]): unknown => windowEvent(this.#o.toEvent(records), window, { shardId, eventSourceARN }, false, false);
      const result = await run(toEvent, part.records, (payload) => {
        window.state = stateFrom(payload);
        tooLarge = stateTooLarge(window.state);
        this.#o.changed();
      });
      if (result === 'interrupted') return result;
      if (tooLarge && !(await this.close(true))) return 'interrupted';
    }
    return 'settled';
  }

  /** Closes the current window once its end has passed (called when a shard is idle). */
  async closeIfDue(): Promise<boolean> {
    if (this.#window === null || this.#o.now() < this.#window.endMs) return true;
    return this.close(false);
  }

  /** The final invocation for the current window; `terminatedEarly` keeps the window open with empty state. */
  async close(terminatedEarly: boolean): Promise<boolean> {
    const window = this.#window;
    if (window === null) return true;
    const event = windowEvent({ Records: [] }, window, { shardId: this.#o.shardId, eventSourceARN: this.#o.eventSourceARN }, true, terminatedEarly);
    const ok = await finalInvoke(this.#o.runner, event, this.#o.timeoutMs, this.#o.now, this.#o.random, this.#o.signal);
    if (!ok) return false;
    this.#window = terminatedEarly ? { ...window, state: {} } : null;
    this.#o.changed();
    return true;
  }
}
