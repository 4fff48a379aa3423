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

/**
 * Node's type stripping refuses TypeScript that needs a compiler (enums, namespaces with values, parameter
 * properties, `import =`): https://nodejs.org/api/typescript.html#typescript-features
 */
const TYPESCRIPT_HINT =
  ' (Node runs .ts handlers by stripping types only: enums, namespaces, parameter properties and `import =` need a compiler — compile the handler with tsc or esbuild, or rewrite that syntax)';

/** Maps what `loadHandler` threw to Lambda's init error. */
export function initError(error: unknown): FunctionErrorInfo {
  if (error instanceof TributaryError && error.code === 'HANDLER_NOT_FOUND') {
    return { errorType: 'Runtime.HandlerNotFound', errorMessage: error.message };
  }
  const cause = error instanceof TributaryError && error.code === 'HANDLER_LOAD_FAILED' ? error.cause : error;
  if (cause instanceof SyntaxError) {
    const hint = errorCode(cause) === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? TYPESCRIPT_HINT : '';
    return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `${described(cause)}${hint}` };
  }
  const code = errorCode(cause);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: described(cause) };
  }
  return toFunctionError(cause);
}

/** The error's stack, at most `maxLines` lines (logs only; the message line first). */
export function boundedStack(error: unknown, maxLines: number): string[] | undefined {
  const cause = error instanceof TributaryError && error.cause !== undefined ? error.cause : error;
  if (!(cause instanceof Error) || typeof cause.stack !== 'string') return undefined;
  return cause.stack.split('\n').slice(0, maxLines).map((line) => line.slice(0, 500));
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
