/**
 * Runs a handler function in this process. Used for library users' in-process handlers and, until the
 * worker-thread sandboxes land (issue: function runners), for `module` handlers: the handler is loaded once
 * (the cold start) and then invoked warm. A timeout reports a `timeout` error to the policy; an in-process
 * handler cannot be killed, so its late result is ignored.
 */
import type { FunctionRunner, InvokeOptions, InvokeResult, LambdaHandler } from './types.js';
import { callHandler } from './call-handler.js';

export interface InProcessRunnerOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  /** Returns the handler; called once, lazily, on the first invocation (the cold start). */
  readonly load: () => Promise<LambdaHandler>;
  readonly now?: () => number;
}

export class InProcessRunner implements FunctionRunner {
  readonly functionName: string;
  readonly #options: InProcessRunnerOptions;
  readonly #now: () => number;
  #handler: Promise<LambdaHandler> | null = null;

  constructor(options: InProcessRunnerOptions) {
    this.functionName = options.functionName;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const coldStart = this.#handler === null;
    if (this.#handler === null) this.#handler = this.#options.load();
    let handler: LambdaHandler;
    try {
      handler = await this.#handler;
    } catch (error) {
      this.#handler = null; // the next invocation tries the init again, as Lambda does after an init error
      const message = error instanceof Error ? error.message : 'handler init failed';
      return { status: 'error', kind: 'crashed', error: { errorType: 'Runtime.ImportModuleError', errorMessage: message }, durationMs: 0, coldStart };
    }
    return callHandler(handler, event, {
      functionName: this.functionName,
      memorySizeMb: this.#options.memorySizeMb,
      region: this.#options.region,
      deadlineMs: options.deadlineMs,
      signal: options.signal,
      now: this.#now,
      coldStart,
    });
  }

  async close(): Promise<void> {
    this.#handler = null;
  }
}
