/**
 * How a runner's result counts for asynchronous invocation (policy/async-step.ts), and what the invocation record
 * and the dead-letter message say about it. Pure.
 *
 * AWS: "Function errors include errors returned by the function's code and errors returned by the function's
 * runtime, such as timeouts"; throttles (429) and system errors (500-series) are retried without using attempts.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * Tributary's mapping: a throw, a timeout, a crash of the sandbox, an unusable answer — function errors; a 429 of an
 * `http` or `lambda` function — a throttle; an endpoint that never answered (connection refused) or answered 5xx
 * without a function error — a system error.
 */
import type { AsyncOutcome } from '../../policy/async-step.js';
import type { AsyncResponse } from '../../policy/async-invocation-record.js';
import type { InvokeResult } from '../../runner/types.js';

export function asyncOutcomeOf(result: InvokeResult): AsyncOutcome {
  if (result.status === 'ok') return { kind: 'success' };
  switch (result.kind) {
    case 'throttled':
      return { kind: 'throttled' };
    case 'crashed':
      // The sandbox died (a function error) or the function's endpoint could not be reached (it never answered).
      return result.functionError === undefined && result.statusCode === undefined ? { kind: 'system-error' } : { kind: 'function-error' };
    case 'bad-response':
      return result.functionError === undefined && (result.statusCode ?? 0) >= 500 ? { kind: 'system-error' } : { kind: 'function-error' };
    case 'threw':
    case 'timeout':
    case 'payload-too-large':
      return { kind: 'function-error' };
  }
}

/** Invoke's answer for the record's `responseContext` / `responsePayload`. */
export function asyncResponseOf(result: InvokeResult): AsyncResponse {
  const common = { statusCode: result.statusCode ?? 200, executedVersion: result.executedVersion ?? '$LATEST' };
  if (result.status === 'ok') return { ...common, functionError: null, payload: result.payload ?? null };
  return { ...common, functionError: result.functionError ?? 'Unhandled', payload: { errorType: result.error.errorType, errorMessage: result.error.errorMessage } };
}

/** The dead-letter message's `ErrorCode` and `ErrorMessage` for the last result (null: never invoked). */
export function deadLetterCause(result: InvokeResult | null, outcome: AsyncOutcome | null): { readonly code: number; readonly message: string } {
  if (result === null || result.status === 'ok') return { code: 200, message: '' };
  const message = `${result.error.errorType}: ${result.error.errorMessage}`;
  if (outcome?.kind === 'throttled') return { code: 429, message };
  if (outcome?.kind === 'system-error') return { code: result.statusCode ?? 500, message };
  return { code: result.statusCode ?? 200, message: result.error.errorMessage };
}
