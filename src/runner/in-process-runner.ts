/**
 * Runs a library user's handler function in this process: loaded once (the cold start), then invoked warm, with
 * Lambda's handler semantics (call-handler.ts) and payload limits (a request over 6 MB is refused before the call;
 * the response is serialised as JSON, its parsed copy handed on). A timeout reports a `timeout` error to the
 * policy; an in-process handler cannot be killed, so its late result is ignored. It shares the service's process:
 * its `process.env` is the service's own (there is no sandbox environment), and "the event loop is empty" means
 * "the invocation's own async work is done" (pending-work.ts).
 */
import type { FunctionRunner, InvokeOptions, InvokeResult, LambdaHandler, PrepareResult } from './types.js';
import { callHandler } from './call-handler.js';
import { fitsByHint, oversizedRequest } from './payload-limits.js';
import { callbackStyleWarning } from './prepare-warnings.js';
import { traceHeader } from './trace-id.js';

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
    const tooLarge = fitsByHint(options.sizeHintBytes) ? null : oversizedRequest(event);
    if (tooLarge !== null) return { status: 'error', kind: 'payload-too-large', error: tooLarge, durationMs: 0, coldStart: false };
    const coldStart = this.#handler === null;
    const loaded = await this.#load();
    if (loaded.status === 'error') {
      return { status: 'error', kind: 'crashed', error: loaded.error, durationMs: 0, coldStart, statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' };
    }
    return callHandler(loaded.handler, event, {
      functionName: this.functionName,
      memorySizeMb: this.#options.memorySizeMb,
      region: this.#options.region,
      deadlineMs: options.deadlineMs,
      signal: options.signal,
      now: this.#now,
      coldStart,
      xRayTraceId: options.trace?.xRay ?? traceHeader(this.#now()),
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    });
  }

  /** Loads the handler (the function is already in memory: this only runs `load`) and warns about callback style. */
  async prepare(): Promise<PrepareResult> {
    const loaded = await this.#load();
    if (loaded.status === 'error') return { status: 'error', error: loaded.error };
    const warning = callbackStyleWarning(this.functionName, loaded.handler.length);
    return { status: 'ok', warnings: warning === null ? [] : [warning] };
  }

  async close(): Promise<void> {
    this.#handler = null;
  }

  async #load(): Promise<{ readonly status: 'ok'; readonly handler: LambdaHandler } | { readonly status: 'error'; readonly error: { errorType: string; errorMessage: string } }> {
    this.#handler ??= this.#options.load();
    try {
      return { status: 'ok', handler: await this.#handler };
    } catch (error) {
      this.#handler = null; // the next invocation tries the init again, as Lambda does after an init error
      const message = error instanceof Error ? error.message : 'handler init failed';
      return { status: 'error', error: { errorType: 'Runtime.ImportModuleError', errorMessage: message } };
    }
  }
}
