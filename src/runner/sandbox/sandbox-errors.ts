/**
 * The errors the Lambda service itself reports when an execution environment fails, as opposed to errors the
 * handler returns. https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
import type { FunctionErrorInfo } from '../types.js';

const prefix = (requestId: string | null): string => (requestId === null ? '' : `RequestId: ${requestId} `);

/** Lambda's timeout message: `Task timed out after 3.00 seconds`. */
export function timedOut(timeoutMs: number): FunctionErrorInfo {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` };
}

/**
 * A callback handler answered, but its event loop was still busy when the function's timeout came
 * (`callbackWaitsForEmptyEventLoop` true): the environment is reset. The answer had already been delivered.
 */
export function drainTimedOut(timeoutMs: number): FunctionErrorInfo {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds waiting for an empty event loop after the callback (set context.callbackWaitsForEmptyEventLoop = false to answer without waiting)`,
  };
}

/** The init phase did not finish within Lambda's init limit (10 s for on-demand functions). */
export function initTimedOut(timeoutMs: number): FunctionErrorInfo {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Init timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` };
}

/** The service stopped (or the caller aborted) while the invocation was running; same shape as `callHandler`'s. */
export function aborted(): FunctionErrorInfo {
  return { errorType: 'Aborted', errorMessage: 'invocation aborted by shutdown' };
}

/** The handler's code ended the runtime (`process.exit`, in a worker: the worker only). */
export function exitError(code: number, requestId: string | null): FunctionErrorInfo {
  return { errorType: 'Runtime.ExitError', errorMessage: `${prefix(requestId)}Error: Runtime exited with error: exit status ${code}` };
}

/** The sandbox's heap reached `memorySize` (the worker's `maxOldGenerationSizeMb`). */
export function outOfMemory(memorySizeMb: number, requestId: string | null): FunctionErrorInfo {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `${prefix(requestId)}Error: Runtime exited with error: JavaScript heap out of memory (Memory Size: ${memorySizeMb} MB)`,
  };
}

/** An event that is not JSON (circular, a BigInt): Lambda refuses a non-JSON payload before invoking. */
export function invalidEvent(reason: string): FunctionErrorInfo {
  return { errorType: 'InvalidRequestContentException', errorMessage: `Could not send the event to the sandbox: ${reason}` };
}

/** Any other worker failure (should not happen: the worker reports its own uncaught errors as `fatal`). */
export function workerFailed(error: unknown, requestId: string | null): FunctionErrorInfo {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return { errorType: 'Runtime.ExitError', errorMessage: `${prefix(requestId)}Error: Runtime exited with error: ${message}` };
}
