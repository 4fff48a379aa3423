/**
 * Invoke's response (API_Invoke, InvocationResponse): 200 with the payload for RequestResponse, 202 for Event, 204
 * for DryRun; `X-Amz-Function-Error`, `X-Amz-Executed-Version` and, with `LogType: Tail`, `X-Amz-Log-Result` ("the
 * last 4 KB of the execution log, which is base64-encoded"). Pure.
 *
 * A response above the 6 MB synchronous limit is replaced by Lambda's own error, still with status 200:
 * `X-Amz-Function-Error: Unhandled` and `{"errorMessage": "Response payload size exceeded maximum allowed payload
 * size (6291556 bytes).", "errorType": "Function.ResponseSizeTooLarge"}` (as moto's and LocalStack's tests against
 * AWS record it).
 */
import { emptyResponse, type ApiResponse } from './api-request.js';
import { SYNC_RESPONSE_LIMIT_BYTES } from './invoke-request.js';
import type { InvokeOutcome } from './ports.js';

/** "The last 4 KB of the execution log". */
export const LOG_TAIL_BYTES = 4096;

const RESPONSE_TOO_LARGE = new TextEncoder().encode(
  JSON.stringify({
    errorMessage: `Response payload size exceeded maximum allowed payload size (${SYNC_RESPONSE_LIMIT_BYTES} bytes).`,
    errorType: 'Function.ResponseSizeTooLarge',
  }),
);

/** The HTTP response of an invocation outcome. */
export function invokeResponse(outcome: InvokeOutcome, logType: 'None' | 'Tail'): ApiResponse {
  if (outcome.kind === 'accepted') return emptyResponse(202);
  const tooLarge = outcome.payload.byteLength > SYNC_RESPONSE_LIMIT_BYTES;
  const functionError = tooLarge ? 'Unhandled' : outcome.functionError;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'X-Amz-Executed-Version': outcome.executedVersion,
  };
  if (functionError !== null) headers['X-Amz-Function-Error'] = functionError;
  if (logType === 'Tail' && outcome.log !== null) headers['X-Amz-Log-Result'] = logTail(outcome.log);
  return { status: 200, headers, body: tooLarge ? RESPONSE_TOO_LARGE : outcome.payload };
}

/** DryRun: "Validate parameter values and verify that the user or role has permission to invoke the function." */
export function dryRunResponse(): ApiResponse {
  return emptyResponse(204);
}

/**
 * The last 4 KB of `log`, base64. The cut is moved forward to a character boundary, so the tail always decodes as
 * UTF-8 (at most 3 bytes fewer than 4096).
 */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  let start = Math.max(0, bytes.byteLength - LOG_TAIL_BYTES);
  // Continuation bytes are 10xxxxxx: skip them so the tail starts at the first byte of a character.
  while (start < bytes.byteLength && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('base64');
}
