/**
 * Lambda's Node.js runtime errors for a failed init phase, as its runtime interface client reports them:
 * a missing module → `Runtime.ImportModuleError`, a syntax error → `Runtime.UserCodeSyntaxError`, a missing or
 * non-function export → `Runtime.HandlerNotFound`; any other error thrown by the module's top-level code is
 * reported as itself. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
import { basename } from 'node:path';
import { TributaryError } from '../../errors.js';
import { toFunctionError } from '../call-handler.js';
import type { FunctionErrorInfo } from '../types.js';

/** `Error: message` the way the runtime prints a wrapped error in `errorMessage`. */
function described(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : 'unknown error';
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** The handler file itself does not exist under any of the extensions Lambda tries. */
export function moduleNotFound(handlerFile: string): FunctionErrorInfo {
  return { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: Cannot find module '${basename(handlerFile)}'` };
}

/** Maps what `loadHandler` threw to Lambda's init error. */
export function initError(error: unknown, handlerFile: string, handlerExport: string): FunctionErrorInfo {
  if (error instanceof TributaryError && error.code === 'HANDLER_NOT_FOUND') {
    return { errorType: 'Runtime.HandlerNotFound', errorMessage: `${basename(handlerFile)}.${handlerExport} is undefined or not exported` };
  }
  const cause = error instanceof TributaryError && error.code === 'HANDLER_LOAD_FAILED' ? error.cause : error;
  if (cause instanceof SyntaxError) return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: described(cause) };
  const code = errorCode(cause);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: described(cause) };
  }
  return toFunctionError(cause);
}

/** `Runtime.UnhandledPromiseRejection`: the runtime wraps the rejection reason, message `Name: message`. */
export function unhandledRejection(reason: unknown): FunctionErrorInfo {
  return { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: reason instanceof Error ? described(reason) : safeString(reason) };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unknown reason';
  }
}
