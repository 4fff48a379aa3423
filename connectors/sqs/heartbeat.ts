/**
 * Visibility heartbeat: while a message is in flight (batching, invoking), keep pushing its visibility timeout
 * out by the queue's own `VisibilityTimeout`, so a slow handler never causes a duplicate delivery
 * (peer pitfall: bento #878 extended with a fixed value). `release` stops the heartbeat for messages and waits
 * for a tick in progress, so no extension can land after a delete (peer pitfall: sqs-consumer #303).
 */
import type { Logger } from 'pino';

export interface HeartbeatTarget {
  readonly id: string;
  readonly receiptHandle: string;
}

export type ExtendFn = (entries: readonly HeartbeatTarget[], timeoutSeconds: number, signal: AbortSignal) => Promise<readonly { id: string; code: string }[]>;

export class VisibilityHeartbeat {
  readonly #tracked = new Map<string, HeartbeatTarget>();
  readonly #extend: ExtendFn;
  readonly #timeoutSeconds: number;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();

  constructor(options: { extend: ExtendFn; visibilityTimeoutSeconds: number; logger: Logger }) {
    this.#extend = options.extend;
    this.#timeoutSeconds = options.visibilityTimeoutSeconds;
    this.#logger = options.logger;
  }

  /** Extend every third of the visibility timeout: two chances to succeed before a message could reappear. */
  get intervalMs(): number {
    return Math.max(500, Math.floor((this.#timeoutSeconds * 1000) / 3));
  }

  track(targets: readonly HeartbeatTarget[]): void {
    if (this.#timeoutSeconds <= 0) return;
    for (const target of targets) this.#tracked.set(target.id, target);
    if (this.#timer === null && this.#tracked.size > 0) {
      this.#timer = setInterval(() => {
        this.#tick = this.#tick.then(() => this.#beat());
      }, this.intervalMs);
      this.#timer.unref();
    }
  }

  async release(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#tracked.delete(id);
    if (this.#tracked.size === 0 && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    await this.#tick;
  }

  async stop(): Promise<void> {
    this.#tracked.clear();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    await this.#tick;
  }

  async #beat(): Promise<void> {
    const targets = [...this.#tracked.values()];
    for (let i = 0; i < targets.length; i += 10) {
      const chunk = targets.slice(i, i + 10).filter((t) => this.#tracked.has(t.id));
      if (chunk.length === 0) continue;
      try {
        const failed = await this.#extend(chunk, this.#timeoutSeconds, this.#abort.signal);
        for (const failure of failed) {
          this.#logger.warn({ messageId: failure.id, code: failure.code }, 'visibility extension refused');
        }
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        this.#logger.warn({ err: error }, 'visibility heartbeat failed; will retry next tick');
      }
    }
  }
}
