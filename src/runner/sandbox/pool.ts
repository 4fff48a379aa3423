/**
 * The execution environments of one function: idle sandboxes are reused (most recently used first, the warmest),
 * and the pool grows to as many sandboxes as there are concurrent invocations — the pipeline bounds that
 * concurrency, as Lambda scales environments with concurrent requests. `provisionedConcurrency` sandboxes are
 * initialised up front and replaced when one is discarded, like Lambda's provisioned concurrency.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 * https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 */
import type { Logger } from '../../observability/logger.js';
import type { FunctionErrorInfo } from '../types.js';
import type { InitializationType } from './environment.js';
import type { InitOutcome, Sandbox } from './sandbox.js';

export interface SandboxPoolOptions {
  /** Starts a new sandbox; `onIdleDeath` must be wired to `pool.forget`. */
  readonly spawn: (initializationType: InitializationType) => Sandbox;
  readonly provisionedConcurrency: number;
  readonly logger: Logger;
}

/** What an invocation gets from the pool. */
export type Acquired =
  | {
      readonly status: 'ready';
      readonly sandbox: Sandbox;
      /** The invocation waited for an on-demand init (Lambda's cold start). */
      readonly coldStart: boolean;
      readonly initDurationMs: number | null;
    }
  | { readonly status: 'init-failed'; readonly outcome: Extract<InitOutcome, { status: 'failed' }> }
  | { readonly status: 'aborted' };

async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return 'aborted';
  let onAbort = (): void => undefined;
  const abortion = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, abortion]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export class SandboxPool {
  readonly #options: SandboxPoolOptions;
  /** Initialised and free; the last one is the most recently used. */
  #idle: Sandbox[] = [];
  /** Provisioned sandboxes still in their init phase that no invocation has claimed yet. */
  readonly #warming = new Set<Sandbox>();
  readonly #all = new Set<Sandbox>();
  #closed = false;
  /** A provisioned init failed: stop re-provisioning (it would fail the same way, in a loop). */
  #provisioningFailed = false;

  constructor(options: SandboxPoolOptions) {
    this.#options = options;
  }

  /** Live sandboxes (initialising, idle or busy). */
  get size(): number {
    return this.#all.size;
  }

  get idle(): number {
    return this.#idle.length;
  }

  /** Starts the provisioned sandboxes (Lambda initialises them before any traffic). */
  provision(): void {
    this.#replenish();
  }

  /** Resolves when every provisioned sandbox started so far has finished its init phase. */
  async provisioned(): Promise<void> {
    await Promise.all([...this.#warming].map((sandbox) => sandbox.ready));
  }

  /** An idle sandbox, a provisioned one still warming up, or a new on-demand one (a cold start). */
  async acquire(signal: AbortSignal): Promise<Acquired> {
    if (this.#closed) return { status: 'aborted' };
    const idle = this.#idle.pop();
    if (idle !== undefined) return { status: 'ready', sandbox: idle, coldStart: false, initDurationMs: null };
    const [warming] = this.#warming;
    if (warming !== undefined) {
      this.#warming.delete(warming);
      const outcome = await untilAborted(warming.ready, signal);
      // Closed while waiting (the service is stopping): close() terminated it; spawn nothing after it.
      if (outcome === 'aborted' || this.#closed) return this.#abandon(warming);
      if (outcome.status === 'ready' && warming.state === 'idle') return { status: 'ready', sandbox: warming, coldStart: false, initDurationMs: null };
      this.#provisionFailed(warming, outcome);
    }
    const sandbox = this.#spawn('on-demand');
    const outcome = await untilAborted(sandbox.ready, signal);
    // An init that ends after close() is the shutdown's doing, not the function's: aborted, and never kept.
    if (outcome === 'aborted' || this.#closed) return this.#abandon(sandbox);
    if (outcome.status === 'failed') {
      // Lambda retries a failed init on the next invocation: this sandbox is gone, the next acquire spawns anew.
      this.forget(sandbox);
      return { status: 'init-failed', outcome };
    }
    if (sandbox.state !== 'idle') {
      this.forget(sandbox);
      return { status: 'aborted' };
    }
    return { status: 'ready', sandbox, coldStart: true, initDurationMs: outcome.initDurationMs };
  }

  /**
   * After an invocation: a sandbox still idle goes back to the pool; a dead one is forgotten; a draining one (a
   * callback handler whose event loop is not empty yet) goes back once its loop empties, as Lambda reuses the
   * environment only then — invocations meanwhile get another sandbox.
   */
  release(sandbox: Sandbox): void {
    if (sandbox.state === 'draining' && !this.#closed) {
      void sandbox.whenReusable().then((reusable) => {
        if (reusable && this.#all.has(sandbox) && !this.#closed) this.#idle.push(sandbox);
        else void this.discard(sandbox);
      });
      return;
    }
    if (sandbox.state !== 'idle' || this.#closed) {
      void this.discard(sandbox);
      return;
    }
    this.#idle.push(sandbox);
  }

  /** Terminates a sandbox and forgets it. */
  async discard(sandbox: Sandbox): Promise<void> {
    this.forget(sandbox);
    await sandbox.terminate();
  }

  /** A sandbox died or was discarded: drop every reference, keep provisioned concurrency up. */
  forget(sandbox: Sandbox, error?: FunctionErrorInfo): void {
    if (!this.#all.delete(sandbox)) return;
    this.#idle = this.#idle.filter((candidate) => candidate !== sandbox);
    this.#warming.delete(sandbox);
    if (error !== undefined) this.#options.logger.warn({ errorType: error.errorType, errorMessage: error.errorMessage }, 'sandbox died between invocations; discarded');
    this.#replenish();
  }

  /** Shutdown: terminates every sandbox, busy ones included (their invocations end as aborted). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#all];
    this.#all.clear();
    this.#idle = [];
    this.#warming.clear();
    await Promise.all(all.map((sandbox) => sandbox.terminate()));
  }

  #spawn(initializationType: InitializationType): Sandbox {
    const sandbox = this.#options.spawn(initializationType);
    this.#all.add(sandbox);
    return sandbox;
  }

  #abandon(sandbox: Sandbox): Acquired {
    void this.discard(sandbox);
    return { status: 'aborted' };
  }

  #provisionFailed(sandbox: Sandbox, outcome: InitOutcome): void {
    if (outcome.status === 'failed') {
      this.#provisioningFailed = true;
      this.#options.logger.error({ errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage }, 'provisioned sandbox failed to initialise');
    }
    this.forget(sandbox);
  }

  #replenish(): void {
    if (this.#closed || this.#provisioningFailed) return;
    let provisioned = 0;
    for (const sandbox of this.#all) if (sandbox.initializationType === 'provisioned-concurrency') provisioned += 1;
    for (; provisioned < this.#options.provisionedConcurrency; provisioned += 1) {
      const sandbox = this.#spawn('provisioned-concurrency');
      this.#warming.add(sandbox);
      void sandbox.ready.then((outcome) => {
        if (!this.#warming.delete(sandbox)) return; // claimed by an invocation, or forgotten, meanwhile
        if (outcome.status === 'ready' && sandbox.state === 'idle' && !this.#closed) this.#idle.push(sandbox);
        else this.#provisionFailed(sandbox, outcome);
      });
    }
  }
}
