/**
 * A runner's `InvokeResult` as Invoke's answer (API_Invoke). Pure.
 *
 * - The function ran: 200 with its response, or with Lambda's error document and `X-Amz-Function-Error`
 *   (`Unhandled` for every error of today's runtimes: a throw, a timeout — `Sandbox.Timedout`, "Task timed out after
 *   3.00 seconds" —, a crash, an unserialisable response). The document is `{"errorType","errorMessage","trace"}`
 *   as the Node.js runtime writes it, with an empty `trace`: Tributary keeps stacks for its own logs (they name files
 *   of the host) and never sends them anywhere else.
 * - The function was not invoked: a request over the payload limit is 413 RequestEntityTooLargeException; a throttle
 *   (the `lambda` runner's TooManyRequestsException) is 429; any other failure to invoke (a `lambda` runner that
 *   cannot reach AWS, a stopped service) is Lambda's generic 500 ServiceException.
 */
import { requestTooLarge, serviceException, tooManyRequests, type LambdaApiError } from '../api/api-errors.js';
import type { InvokeOutcome } from '../api/ports.js';
import type { InvokeResult } from '../runner/types.js';

const encoder = new TextEncoder();

/** The outcome of `result`, or the API error to answer with. `log` is the captured log (Tail), else null. */
export function invokeOutcomeOf(result: InvokeResult, log: string | null): InvokeOutcome | LambdaApiError {
  const executedVersion = result.executedVersion ?? '$LATEST';
  if (result.status === 'ok') {
    return { kind: 'response', payload: encoder.encode(JSON.stringify(result.payload ?? null)), functionError: null, executedVersion, log };
  }
  switch (result.kind) {
    case 'payload-too-large':
      return requestTooLarge(result.error.errorMessage);
    case 'throttled':
      return result.error.errorType === 'TooManyRequestsException' ? tooManyRequests('ConcurrentInvocationLimitExceeded') : serviceException();
    case 'threw':
    case 'timeout':
    case 'crashed':
    case 'bad-response': {
      const document = { errorType: result.error.errorType, errorMessage: result.error.errorMessage, trace: [] };
      return { kind: 'response', payload: encoder.encode(JSON.stringify(document)), functionError: result.functionError ?? 'Unhandled', executedVersion, log };
    }
  }
}
