/**
 * Calls a library user's handler in this process (the `in-process` runner) as close to Lambda's Node.js runtime as a
 * shared process allows (see legacy-invocation.ts):
 *
 * - a returned promise decides (or an earlier callback / `context.done|succeed|fail`);
 * - a handler of fewer than three parameters that returns a value (not `undefined`) answers with it, as nodejs24.x's
 *   runtime (which awaits the handler's result) does — library handlers are often plain `(event) => result`;
 * - otherwise (callback-style handlers, or nothing returned) the first callback / `context.done|succeed|fail` ends
 *   it, else `null` once the invocation's own pending work is done — the closest this process can come to "the event
 *   loop is empty" (pending-work.ts), which the nodejs22.x runtime waits for.
 *
 * The response is serialised as Lambda does (JSON, 6 MB) and the parsed copy handed on, so the caller never shares
 * objects with the handler. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { createLambdaContext } from './context.js';
import { toFunctionError } from './function-error.js';
import { startLegacyInvocation, type Completion, type LegacyInvocation } from './legacy-invocation.js';
import { serializeResponse } from './payload-limits.js';
import { trackPendingWork, type PendingWork } from './pending-work.js';
import type { InvokeResult, LambdaHandler } from './types.js';

export { toFunctionError } from './function-error.js';

export interface CallOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly coldStart: boolean;
  /** This invocation's X-Ray header for `context.xRayTraceId` (the process environment is the service's). */
  readonly xRayTraceId?: string;
  /** `context.awsRequestId`; default a new UUID. */
  readonly requestId?: string;
}

/** What Lambda answers for a function it ran: 200 from `$LATEST`; errors are `Unhandled`. */
const RESPONSE = { statusCode: 200, executedVersion: '$LATEST' } as const;

/** An `async function` always returns a promise: its invocation never waits for the event loop. */
function isAsyncFunction(handler: LambdaHandler): boolean {
  return handler.constructor.name === 'AsyncFunction';
}

export async function callHandler(handler: LambdaHandler, event: unknown, options: CallOptions): Promise<InvokeResult> {
  const started = options.now();
  const elapsed = (): number => options.now() - started;
  const { coldStart } = options;
  return new Promise<InvokeResult>((resolve) => {
    let settled = false;
    let work: PendingWork | null = null;
    const finish = (result: InvokeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      work?.close();
      options.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const complete = (completion: Completion): void => {
      if (completion.outcome === 'error') {
        finish({ status: 'error', kind: 'threw', error: toFunctionError(completion.error), durationMs: elapsed(), coldStart, ...RESPONSE, functionError: 'Unhandled' });
        return;
      }
      const response = serializeResponse(completion.payload);
      if (response.status === 'error') {
        finish({ status: 'error', kind: 'bad-response', error: response.error, durationMs: elapsed(), coldStart, ...RESPONSE, functionError: 'Unhandled' });
        return;
      }
      finish({ status: 'ok', payload: JSON.parse(response.json) as unknown, durationMs: elapsed(), coldStart, ...RESPONSE });
    };
    const onAbort = (): void =>
      finish({ status: 'error', kind: 'timeout', error: { errorType: 'Aborted', errorMessage: 'invocation aborted by shutdown' }, durationMs: elapsed(), coldStart });
    const timer = setTimeout(() => {
      const seconds = ((options.deadlineMs - started) / 1000).toFixed(2);
      const error = { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` };
      finish({ status: 'error', kind: 'timeout', error, durationMs: elapsed(), coldStart, ...RESPONSE, functionError: 'Unhandled' });
    }, Math.max(0, options.deadlineMs - started));
    options.signal.addEventListener('abort', onAbort, { once: true });
    const start = (): LegacyInvocation =>
      startLegacyInvocation(handler, event, (callbacks) => createLambdaContext(callbacks, options), complete, handler.length < 3 ? 'answer' : 'ignore');
    if (isAsyncFunction(handler)) {
      start();
      return;
    }
    let invocation: LegacyInvocation | null = null;
    const tracked = trackPendingWork(start, () => invocation?.loopEmpty());
    invocation = tracked.value;
    work = tracked.work;
    if (settled || invocation.finished || invocation.returnedPromise) work.close();
    else work.check();
  });
}
