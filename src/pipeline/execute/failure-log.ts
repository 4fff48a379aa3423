/**
 * The warn line of a failed invocation (issue 18 item 1): what Lambda writes to CloudWatch as `ERROR Invoke Error`,
 * plus what Tributary does next. Bounded: a handler's message or stack can be large and is untrusted.
 */
import type { Logger } from 'pino';
import type { InvokeResult } from '../../runner/types.js';

const MAX_MESSAGE_CHARS = 1_000;
const MAX_TRACE_LINES = 12;
const MAX_TRACE_CHARS = 2_000;

export interface FailureFacts {
  readonly batchId: string;
  readonly size: number;
  /** Invocations of these records so far, this one included (1 = the first). */
  readonly attempt: number;
  /** What happens next, in words: `retry in 2.0 s`, `bisect`, `on-failure destination`, `redelivery after the visibility timeout`… */
  readonly next: string;
}

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Logs a failed invocation at warn with the error type, message and a bounded stack. */
export function logInvocationFailure(logger: Logger, result: Extract<InvokeResult, { status: 'error' }>, facts: FailureFacts): void {
  const { errorType, errorMessage, trace } = result.error;
  const stack = trace === undefined ? undefined : bounded(trace.slice(0, MAX_TRACE_LINES).join('\n'), MAX_TRACE_CHARS);
  logger.warn(
    { batchId: facts.batchId, size: facts.size, attempt: facts.attempt, kind: result.kind, errorType, errorMessage: bounded(errorMessage, MAX_MESSAGE_CHARS), ...(stack === undefined ? {} : { stack }), next: facts.next },
    `function failed: ${errorType}: ${bounded(errorMessage, 200)} — ${facts.next}`,
  );
}

/** Logs a partial batch response (the invocation succeeded but named failed records). */
export function logPartialFailure(logger: Logger, failed: number, facts: FailureFacts): void {
  logger.warn({ batchId: facts.batchId, size: facts.size, failed, attempt: facts.attempt, next: facts.next }, `function reported ${failed} of ${facts.size} records failed — ${facts.next}`);
}

/** A delay in words for `next`. */
export function retryIn(delayMs: number): string {
  return `retry in ${(delayMs / 1000).toFixed(1)} s`;
}
