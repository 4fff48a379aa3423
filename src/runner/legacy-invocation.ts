/**
 * How Lambda's Node.js runtime interface client (RIC, the `Runtime` / `CallbackContext` / `BeforeExitListener` of
 * aws-lambda-nodejs-runtime-interface-client, the runtime of nodejs22.x and earlier) ends an invocation:
 *
 * - a handler that returns a Promise: its settlement is the answer (`then(context.succeed, context.fail)`);
 * - any other return value is IGNORED: the invocation ends at the first call of `callback(err, result)`,
 *   `context.done(err, result)`, `context.succeed(result)` or `context.fail(err)` — only the first call counts;
 * - if none is ever called, it ends with `null` once the event loop is empty (the runtime's default `beforeExit`
 *   listener);
 * - a synchronous throw is `callback(err)`.
 *
 * After a successful `callback`, with `context.callbackWaitsForEmptyEventLoop` true (the default), the response is
 * sent but the environment is not reused until the event loop is empty; `context.done/succeed/fail`, errors and
 * promises release it at once. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 *
 * This module is the pure state machine: the caller says when the event loop (or what stands for it) is empty.
 */
import type { LambdaCallback, LambdaContext, LambdaHandler } from './types.js';

/** How an invocation ended. `waitForEmptyLoop`: keep the environment until the event loop is empty. */
export type Completion =
  | { readonly outcome: 'ok'; readonly payload: unknown; readonly waitForEmptyLoop: boolean; readonly via: CompletionSource }
  | { readonly outcome: 'error'; readonly error: unknown; readonly via: CompletionSource };

export type CompletionSource = 'promise' | 'return' | 'callback' | 'context' | 'empty-event-loop' | 'throw';

/**
 * What a non-promise return value means: `ignore` (the RIC of nodejs22.x and earlier, the default), or `answer` —
 * the value, unless it is `undefined`, is the response, as nodejs24.x's runtime awaits the handler's result.
 */
export type ReturnValueRule = 'ignore' | 'answer';

/** The callback-related part of Lambda's context, as the RIC builds it. */
export interface CallbackContext {
  callbackWaitsForEmptyEventLoop: boolean;
  done(error?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}

export interface LegacyInvocation {
  /** Whether the invocation has ended (a later callback is a no-op). */
  readonly finished: boolean;
  /** The handler returned a Promise: its settlement decides, the event loop does not matter. */
  readonly returnedPromise: boolean;
  /** The event loop is empty: ends a handler that called nothing with `null` (no-op once finished). */
  loopEmpty(): void;
}

/**
 * Calls `handler` with Lambda's callback semantics. `buildContext` adds the environment fields (function name, request
 * id, remaining time…) to the callback context; `complete` is called exactly once.
 */
export function startLegacyInvocation(
  handler: LambdaHandler,
  event: unknown,
  buildContext: (callbacks: CallbackContext) => LambdaContext,
  complete: (completion: Completion) => void,
  returnValue: ReturnValueRule = 'ignore',
): LegacyInvocation {
  let finished = false;
  let waitForEmptyLoop = true;
  const finish = (completion: Completion): void => {
    if (finished) return;
    finished = true;
    complete(completion);
  };
  const isError = (error: unknown): boolean => error !== undefined && error !== null;
  const done = (via: CompletionSource) => (error?: unknown, result?: unknown): void =>
    finish(isError(error) ? { outcome: 'error', error, via } : { outcome: 'ok', payload: result, waitForEmptyLoop: false, via });
  const callback: LambdaCallback = (error, result) =>
    finish(isError(error) ? { outcome: 'error', error, via: 'callback' } : { outcome: 'ok', payload: result, waitForEmptyLoop, via: 'callback' });
  const contextDone = done('context');
  const callbacks: CallbackContext = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitForEmptyLoop = value;
    },
    done: contextDone,
    succeed: (result) => contextDone(null, result),
    // The RIC fails with the string "handled" when `fail()` gets no error.
    fail: (error) => contextDone(isError(error) ? error : 'handled'),
  };
  const context = buildContext(callbacks);
  let returnedPromise = false;
  try {
    const returned = handler(event, context, callback);
    // The RIC checks `instanceof Promise`; a thenable that is not a Promise is ignored like any other value.
    if (returned instanceof Promise) {
      returnedPromise = true;
      const settled = done('promise');
      returned.then(
        (result: unknown) => settled(null, result),
        (error: unknown) => settled(isError(error) ? error : 'handled'),
      );
    } else if (returnValue === 'answer' && returned !== undefined) {
      done('return')(null, returned);
    }
  } catch (error) {
    finish({ outcome: 'error', error, via: 'throw' });
  }
  return {
    get finished() {
      return finished;
    },
    returnedPromise,
    loopEmpty: () => finish({ outcome: 'ok', payload: null, waitForEmptyLoop: false, via: 'empty-event-loop' }),
  };
}
