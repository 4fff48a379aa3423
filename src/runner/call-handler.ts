/**
 * Call a Lambda handler the way the Node.js runtime does: an async handler's promise, or a callback-style
 * handler's callback (whichever settles first), bounded by the deadline.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { createLambdaContext } from './context.js';
import type { FunctionErrorInfo, InvokeResult, LambdaHandler } from './types.js';

export interface CallOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly coldStart: boolean;
}

/** Lambda reports `errorType` as the error's name and `errorMessage` as its message. */
export function toFunctionError(error: unknown): FunctionErrorInfo {
  if (error instanceof Error) return { errorType: error.name || 'Error', errorMessage: error.message };
  if (typeof error === 'string') return { errorType: 'string', errorMessage: error };
  return { errorType: 'Error', errorMessage: 'handler failed with a non-Error value' };
}

export async function callHandler(handler: LambdaHandler, event: unknown, options: CallOptions): Promise<InvokeResult> {
  const started = options.now();
  const elapsed = (): number => options.now() - started;
  const { coldStart } = options;
  return new Promise<InvokeResult>((resolve) => {
    let settled = false;
    const finish = (result: InvokeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (error: unknown): void =>
      finish({ status: 'error', kind: 'threw', error: toFunctionError(error), durationMs: elapsed(), coldStart });
    const succeed = (payload: unknown): void => finish({ status: 'ok', payload, durationMs: elapsed(), coldStart });
    const onAbort = (): void =>
      finish({
        status: 'error',
        kind: 'timeout',
        error: { errorType: 'Aborted', errorMessage: 'invocation aborted by shutdown' },
        durationMs: elapsed(),
        coldStart,
      });
    const timer = setTimeout(() => {
      const seconds = ((options.deadlineMs - started) / 1000).toFixed(2);
      finish({
        status: 'error',
        kind: 'timeout',
        error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` },
        durationMs: elapsed(),
        coldStart,
      });
    }, Math.max(0, options.deadlineMs - started));
    options.signal.addEventListener('abort', onAbort, { once: true });
    const callback = (error?: unknown, result?: unknown): void => {
      if (error !== undefined && error !== null) fail(error);
      else succeed(result);
    };
    const context = createLambdaContext({ ...options, callback });
    try {
      const returned = handler(event, context, callback);
      // Async handlers: the promise decides. Callback handlers (arity 3) that return nothing wait for the callback.
      if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(succeed, fail);
      } else if (handler.length < 3) {
        succeed(returned);
      }
    } catch (error) {
      fail(error);
    }
  });
}
