/**
 * Lambda's function-error documents, shared by the runners that read a function's answer off the wire
 * (`http`, `lambda`). https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
import type { FunctionErrorInfo, InvokeErrorKind } from './types.js';

/** `errorType`s Lambda itself puts in a FunctionError payload when the sandbox, not the handler, failed. */
const TIMEOUT_TYPES = new Set(['Sandbox.Timedout', 'Sandbox.Timeout']);
const CRASH_TYPES = new Set(['Runtime.ExitError', 'Runtime.OutOfMemory']);
/**
 * The function answered, but Lambda could not return the answer: what the local runners report as `bad-response`
 * (payload-limits.ts), so every runner gives the same kind for the same handler.
 */
const BAD_RESPONSE_TYPES = new Set(['Function.ResponseSizeTooLarge']);

/** Keys of the error documents Lambda runtimes write (Node `trace`, Python `requestId`, Java `cause` …). */
const ERROR_DOCUMENT_KEYS = new Set(['errorType', 'errorMessage', 'stackTrace', 'trace', 'requestId', 'cause']);
const RIE_TIMEOUT = /^Task timed out after \d+(\.\d+)? seconds$/;

export function functionErrorKind(errorType: string): InvokeErrorKind {
  if (TIMEOUT_TYPES.has(errorType)) return 'timeout';
  if (CRASH_TYPES.has(errorType)) return 'crashed';
  if (BAD_RESPONSE_TYPES.has(errorType)) return 'bad-response';
  return 'threw';
}

/** `{ errorType, errorMessage }` from an error payload; `fallback` (the FunctionError value) when absent. */
export function errorInfoOf(payload: unknown, fallback: string): FunctionErrorInfo {
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    const record = payload as Record<string, unknown>;
    const errorType = typeof record['errorType'] === 'string' ? record['errorType'] : fallback;
    const errorMessage = typeof record['errorMessage'] === 'string' ? record['errorMessage'] : fallback;
    return { errorType, errorMessage };
  }
  return { errorType: fallback, errorMessage: typeof payload === 'string' && payload !== '' ? payload.slice(0, 256) : fallback };
}

/**
 * A function error reported without `FunctionError`, as the Runtime Interface Emulator does: a JSON object whose
 * keys are all error-document keys, with string `errorType` and `errorMessage`; or the RIE's timeout text.
 * `null` when the payload is an ordinary response.
 */
export function headerlessFunctionError(payload: unknown): { readonly kind: InvokeErrorKind; readonly error: FunctionErrorInfo } | null {
  if (typeof payload === 'string') {
    return RIE_TIMEOUT.test(payload.trim()) ? { kind: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: payload.trim() } } : null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const record = payload as Record<string, unknown>;
  if (typeof record['errorType'] !== 'string' || typeof record['errorMessage'] !== 'string') return null;
  if (!Object.keys(record).every((key) => ERROR_DOCUMENT_KEYS.has(key))) return null;
  const error = { errorType: record['errorType'], errorMessage: record['errorMessage'] };
  return { kind: functionErrorKind(error.errorType), error };
}

/**
 * A handler's error as Lambda reports it (the RIC's `toRapidResponse`): an Error's `name` and `message`; any other
 * value its `typeof` and `String(value)` (`context.fail()` with nothing → `string` / `handled`).
 */
export function toFunctionError(error: unknown): FunctionErrorInfo {
  if (error instanceof Error) return { errorType: error.name || 'Error', errorMessage: error.message };
  try {
    return { errorType: typeof error, errorMessage: String(error) };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with an error whose message could not be read' };
  }
}
