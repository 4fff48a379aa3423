/**
 * Lambda's synchronous invocation payload quotas and its response serialisation, shared by every runner so a
 * function behind `module`, `in-process`, `http` or `lambda` fails the same way:
 *
 * - a request (the event as JSON) over 6 MB is refused before invoking — Invoke answers 413
 *   `RequestEntityTooLargeException: Request must be smaller than 6291456 bytes for the InvokeFunction operation`;
 * - a response over the limit is the function error `Function.ResponseSizeTooLarge`, "Response payload size (N bytes)
 *   exceeded maximum allowed payload size (6291556 bytes)." — the number Lambda prints (6 MiB + 100 bytes);
 * - a response is `JSON.stringify(result)` (`undefined` → `null`); one that cannot be serialised (circular, BigInt, a
 *   throwing `toJSON`) is `Runtime.MarshalError`.
 *
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
 */
import type { FunctionErrorInfo } from './types.js';

/** 6 MB (6,291,456 bytes): Invoke's request quota for `RequestResponse`. */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
/** The response limit Lambda enforces and prints in `Function.ResponseSizeTooLarge`. */
export const MAX_SYNC_RESPONSE_BYTES = 6_291_556;

/** The Invoke error for a request over {@link MAX_SYNC_PAYLOAD_BYTES} (the service's own message). */
export function requestTooLarge(bytes: number): FunctionErrorInfo {
  return {
    errorType: 'RequestEntityTooLargeException',
    errorMessage: `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation (got ${bytes})`,
  };
}

/** The function error for a response over {@link MAX_SYNC_RESPONSE_BYTES}. */
export function responseTooLarge(bytes: number): FunctionErrorInfo {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${MAX_SYNC_RESPONSE_BYTES} bytes).`,
  };
}

/** The event as the bytes Invoke would carry, or null when it is not JSON at all (an in-process caller's bug). */
export function encodeEvent(event: unknown): Buffer | null {
  try {
    return Buffer.from(JSON.stringify(event) ?? 'null', 'utf8');
  } catch {
    return null;
  }
}

/** The request check every runner makes before invoking; null when the event fits. */
export function oversizedRequest(event: unknown): FunctionErrorInfo | null {
  const bytes = encodeEvent(event);
  // An unserialisable event is not this check's business: the runner reports it its own way.
  return bytes !== null && bytes.byteLength > MAX_SYNC_PAYLOAD_BYTES ? requestTooLarge(bytes.byteLength) : null;
}

export type SerializedResponse =
  | { readonly status: 'ok'; readonly json: string }
  | { readonly status: 'error'; readonly error: FunctionErrorInfo };

/** `JSON.stringify` of a handler's result as Lambda's Node.js runtime sends it, size-checked. */
export function serializeResponse(result: unknown): SerializedResponse {
  let json: string;
  try {
    json = JSON.stringify(result === undefined ? null : result) ?? 'null';
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'not serializable';
    return { status: 'error', error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${reason}` } };
  }
  return checkResponseSize(json);
}

/** A response already serialised (the `http` runner's body): over the limit it is `Function.ResponseSizeTooLarge`. */
export function checkResponseSize(json: string): SerializedResponse {
  const bytes = Buffer.byteLength(json, 'utf8');
  return bytes > MAX_SYNC_RESPONSE_BYTES ? { status: 'error', error: responseTooLarge(bytes) } : { status: 'ok', json };
}
