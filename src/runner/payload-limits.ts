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
import type { FunctionErrorInfo, InvokeOptions } from './types.js';

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

/** The event as the JSON text Invoke would carry, or null when it is not JSON at all (an in-process caller's bug). */
export function eventJson(event: unknown): string | null {
  try {
    return JSON.stringify(event) ?? 'null';
  } catch {
    return null;
  }
}

/** The request check on an event already serialised ({@link eventJson}); null when it fits. */
export function oversizedJson(json: string): FunctionErrorInfo | null {
  // UTF-8 is at most 3 bytes per UTF-16 unit: most events are decided without counting their bytes.
  if (json.length * 3 <= MAX_SYNC_PAYLOAD_BYTES) return null;
  const bytes = Buffer.byteLength(json, 'utf8');
  return bytes > MAX_SYNC_PAYLOAD_BYTES ? requestTooLarge(bytes) : null;
}

/** The caller's size bound (`InvokeOptions['sizeHintBytes']`) already proves the event fits. */
export function fitsByHint(sizeHintBytes: InvokeOptions['sizeHintBytes']): boolean {
  return sizeHintBytes !== undefined && sizeHintBytes <= MAX_SYNC_PAYLOAD_BYTES;
}

/** The request check every runner makes before invoking; null when the event fits. */
export function oversizedRequest(event: unknown): FunctionErrorInfo | null {
  const json = eventJson(event);
  // An unserialisable event is not this check's business: the runner reports it its own way.
  return json === null ? null : oversizedJson(json);
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
