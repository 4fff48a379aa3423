/**
 * One execution environment: a worker thread that loads the handler once (init) and then runs one invocation
 * at a time (invoke) until it is terminated (shutdown), as in Lambda's execution environment lifecycle.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 * A timeout, a crash (`process.exit`, heap exhaustion, an uncaught exception or unhandled rejection) or an abort
 * terminates the worker: the sandbox is then `dead` and must not be reused; the pool starts a fresh one (a new
 * cold start), as Lambda resets the environment after such failures. A handler that throws keeps it warm.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { TributaryError } from '../../errors.js';
import type { FunctionErrorInfo, InvokeErrorKind } from '../types.js';
import type { InitializationType } from './environment.js';
import { sandboxExecArgv } from './exec-argv.js';
import type { InvokeEvent, InvokeMessage, LogMessage, SandboxMessage, SandboxWorkerData } from './protocol.js';
import { aborted, drainTimedOut, exitError, initTimedOut, invalidEvent, outOfMemory, timedOut, workerFailed } from './sandbox-errors.js';

/**
 * The worker's first module, next to this file: `worker-entry.ts` when this module runs from the TypeScript
 * sources (vitest, `node x.ts`), `worker-entry.js` when it runs from `dist/` (see worker-entry.ts).
 */
export function workerEntryUrl(from: string = import.meta.url): URL {
  return new URL(from.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js', from);
}

/** Starts the worker with the service's Node options minus entry-point ones; without any if Node refuses them. */
function startWorker(entry: URL, options: WorkerOptions): Worker {
  try {
    return new Worker(entry, { ...options, execArgv: sandboxExecArgv(process.execArgv) });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(entry, { ...options, execArgv: [] });
  }
}

export interface SandboxOptions {
  readonly workerData: SandboxWorkerData;
  readonly env: Readonly<Record<string, string>>;
  readonly initializationType: InitializationType;
  /** Lambda's limit on the init phase: 10 s. */
  readonly initTimeoutMs: number;
  /** Called when the sandbox dies while no invocation is running (e.g. an unhandled rejection after a response). */
  readonly onIdleDeath: (sandbox: Sandbox, error: FunctionErrorInfo) => void;
  /** Receives the handler's console entries (Lambda's text format). */
  readonly onLog?: (message: LogMessage) => void;
}

export type InitOutcome =
  | { readonly status: 'ready'; readonly initDurationMs: number; readonly handlerArity: number }
  | {
      readonly status: 'failed';
      readonly kind: 'crashed' | 'timeout';
      readonly error: FunctionErrorInfo;
      readonly initDurationMs: number;
      readonly stack?: readonly string[];
    };

export type SandboxInvokeOutcome =
  | { readonly status: 'ok'; readonly payload: unknown; readonly durationMs: number }
  | {
      readonly status: 'error';
      readonly kind: InvokeErrorKind;
      readonly error: FunctionErrorInfo;
      readonly durationMs: number;
      /** True when the sandbox was terminated and must not be reused. */
      readonly discarded: boolean;
    };

/** `draining`: the invocation answered, but its `callback` waits for the event loop to empty before reuse. */
export type SandboxState = 'initialising' | 'idle' | 'busy' | 'draining' | 'dead';

interface PendingInvocation {
  readonly requestId: string;
  readonly timeoutMs: number;
  readonly started: number;
  readonly settle: (outcome: SandboxInvokeOutcome) => void;
}

export class Sandbox {
  readonly initializationType: InitializationType;
  /** Settles once, when the init phase ends (successfully or not). */
  readonly ready: Promise<InitOutcome>;
  readonly #worker: Worker;
  readonly #options: SandboxOptions;
  readonly #initStarted = performance.now();
  readonly #initTimer: NodeJS.Timeout;
  #settleInit: (outcome: InitOutcome) => void = () => undefined;
  #state: SandboxState = 'initialising';
  #invocation: PendingInvocation | null = null;
  #maxMemoryUsedMb = 0;
  #handlerArity = 0;
  #drainTimer: NodeJS.Timeout | undefined;
  #drainWaiters: ((reusable: boolean) => void)[] = [];

  constructor(entry: URL, options: SandboxOptions) {
    this.#options = options;
    this.initializationType = options.initializationType;
    this.ready = new Promise<InitOutcome>((resolve) => {
      this.#settleInit = resolve;
    });
    this.#worker = startWorker(entry, {
      workerData: options.workerData,
      env: { ...options.env },
      name: `tributary-sandbox:${options.workerData.functionName}`,
      // memorySize bounds the sandbox's heap; past it V8 stops the worker with ERR_WORKER_OUT_OF_MEMORY.
      resourceLimits: { maxOldGenerationSizeMb: options.workerData.memorySizeMb },
    });
    // Idle sandboxes must not keep a library user's process alive; a running invocation has its own timer.
    this.#worker.unref();
    this.#worker.on('message', (message: SandboxMessage) => this.#onMessage(message));
    this.#worker.on('error', (error: Error) => this.#onError(error));
    this.#worker.on('exit', (code: number) => this.#die('crashed', (requestId) => exitError(code, requestId)));
    this.#initTimer = setTimeout(() => this.#kill('timeout', initTimedOut(options.initTimeoutMs)), options.initTimeoutMs);
    this.#initTimer.unref();
  }

  get state(): SandboxState {
    return this.#state;
  }

  /** The handler's declared parameter count, known once the init phase succeeded. */
  get handlerArity(): number {
    return this.#handlerArity;
  }

  /** Peak memory of this sandbox's isolate so far (see worker-main.ts). */
  get maxMemoryUsedMb(): number {
    return this.#maxMemoryUsedMb;
  }

  /**
   * Runs one invocation; the sandbox must be idle. `timeoutMs` is the function's budget from now: past it the
   * worker is terminated (which stops even a handler spinning in a loop) and the result is a timeout.
   */
  invoke(event: InvokeEvent, requestId: string, timeoutMs: number, signal: AbortSignal, traceId: string): Promise<SandboxInvokeOutcome> {
    if (this.#state === 'dead') {
      // Died after the pool handed it out (cannot happen within one tick, but never throw for it).
      return Promise.resolve({ status: 'error', kind: 'crashed', error: workerFailed(new Error('the sandbox is no longer running'), requestId), durationMs: 0, discarded: true });
    }
    if (this.#state !== 'idle') throw new TributaryError('INTERNAL', `sandbox is ${this.#state}, not idle`);
    return new Promise<SandboxInvokeOutcome>((resolve) => {
      const started = performance.now();
      const onAbort = (): void => this.#kill('timeout', aborted());
      const timer = setTimeout(() => this.#kill('timeout', timedOut(timeoutMs)), timeoutMs);
      const settle = (outcome: SandboxInvokeOutcome): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const message: InvokeMessage = { type: 'invoke', requestId, event, timeoutMs, traceId };
      try {
        this.#worker.postMessage(message);
      } catch (error) {
        // The event could not be cloned; the sandbox never saw it and stays idle and warm.
        settle({ status: 'error', kind: 'crashed', error: invalidEvent(error instanceof Error ? error.message : 'not cloneable'), durationMs: 0, discarded: false });
        return;
      }
      this.#state = 'busy';
      this.#invocation = { requestId, timeoutMs, started, settle };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Resolves when a `draining` sandbox can take the next invocation (true) or died meanwhile (false); at once for
   * any other state (true only when idle).
   */
  whenReusable(): Promise<boolean> {
    if (this.#state !== 'draining') return Promise.resolve(this.#state === 'idle');
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Shutdown: terminates the worker; a running invocation or init ends as aborted. Idempotent. */
  async terminate(): Promise<void> {
    this.#die('timeout', aborted, { notifyIdleDeath: false });
    await this.#worker.terminate();
  }

  #onMessage(message: SandboxMessage): void {
    if (this.#state === 'dead') return;
    switch (message.type) {
      case 'ready':
        this.#maxMemoryUsedMb = message.maxMemoryUsedMb;
        this.#handlerArity = message.handlerArity;
        this.#state = 'idle';
        clearTimeout(this.#initTimer);
        this.#settleInit({ status: 'ready', initDurationMs: this.#initElapsedMs(), handlerArity: message.handlerArity });
        return;
      case 'init-error':
        this.#state = 'dead';
        clearTimeout(this.#initTimer);
        this.#settleInit({
          status: 'failed',
          kind: 'crashed',
          error: message.error,
          initDurationMs: this.#initElapsedMs(),
          ...(message.stack === undefined ? {} : { stack: message.stack }),
        });
        void this.#worker.terminate();
        return;
      case 'log':
        this.#options.onLog?.(message);
        return;
      case 'drained':
        if (this.#state !== 'draining') return;
        clearTimeout(this.#drainTimer);
        this.#state = 'idle';
        this.#releaseDrainWaiters(true);
        return;
      case 'fatal':
        this.#kill('crashed', message.error);
        return;
      case 'result': {
        const invocation = this.#invocation;
        if (invocation === null || invocation.requestId !== message.requestId) return;
        this.#maxMemoryUsedMb = message.maxMemoryUsedMb;
        this.#invocation = null;
        this.#state = 'idle';
        if (message.status === 'ok' && message.drain) this.#startDrain(invocation);
        if (message.status === 'ok') {
          invocation.settle({ status: 'ok', payload: JSON.parse(message.json) as unknown, durationMs: message.durationMs });
        } else {
          invocation.settle({ status: 'error', kind: message.kind, error: message.error, durationMs: message.durationMs, discarded: false });
        }
        return;
      }
    }
  }

  /**
   * The response is out; the sandbox waits for its event loop to empty, within what is left of the function's
   * timeout. Past it the environment is reset, as Lambda does when a callback handler's loop never empties.
   */
  #startDrain(invocation: PendingInvocation): void {
    this.#state = 'draining';
    const left = Math.max(0, invocation.started + invocation.timeoutMs - performance.now());
    this.#drainTimer = setTimeout(() => this.#kill('timeout', drainTimedOut(invocation.timeoutMs)), left);
    // Shutdown must not wait for a handler's leftover timers.
    this.#drainTimer.unref();
  }

  #releaseDrainWaiters(reusable: boolean): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter(reusable);
  }

  /**
   * Lambda's Init Duration covers the whole init phase — runtime start and the function's module — so it is
   * timed here, from spawning the worker to its `ready`.
   */
  #initElapsedMs(): number {
    return performance.now() - this.#initStarted;
  }

  #onError(error: Error): void {
    const code = (error as { code?: unknown }).code;
    const memorySizeMb = this.#options.workerData.memorySizeMb;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      this.#maxMemoryUsedMb = Math.max(this.#maxMemoryUsedMb, memorySizeMb);
      this.#die('crashed', (requestId) => outOfMemory(memorySizeMb, requestId));
    } else {
      this.#die('crashed', (requestId) => workerFailed(error, requestId));
    }
  }

  /** Ends the sandbox on our side (timeout, abort, fatal) and terminates the worker. */
  #kill(kind: 'crashed' | 'timeout', error: FunctionErrorInfo): void {
    if (this.#state === 'dead') return;
    this.#die(kind, () => error);
    void this.#worker.terminate();
  }

  /** The sandbox is gone: settle whatever was waiting on it, exactly once. */
  #die(kind: 'crashed' | 'timeout', describe: (requestId: string | null) => FunctionErrorInfo, options = { notifyIdleDeath: true }): void {
    if (this.#state === 'dead') return;
    const previous = this.#state;
    this.#state = 'dead';
    clearTimeout(this.#initTimer);
    clearTimeout(this.#drainTimer);
    this.#releaseDrainWaiters(false);
    if (previous === 'initialising') {
      this.#settleInit({ status: 'failed', kind, error: describe(null), initDurationMs: this.#initElapsedMs() });
      return;
    }
    const invocation = this.#invocation;
    this.#invocation = null;
    if (invocation !== null) {
      const error = describe(invocation.requestId);
      invocation.settle({ status: 'error', kind, error, durationMs: performance.now() - invocation.started, discarded: true });
      return;
    }
    if (options.notifyIdleDeath) this.#options.onIdleDeath(this, describe(null));
  }
}
