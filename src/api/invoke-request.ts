/**
 * Invoke's request (API_Invoke): `X-Amz-Invocation-Type`, `X-Amz-Log-Type`, `X-Amz-Client-Context`, the `Qualifier`
 * query parameter and the payload, checked against Lambda's limits. Pure.
 *
 * Limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): 6 MB for a synchronous request
 * and response; 1 MB for an asynchronous request since AWS raised it from 256 KB in 2025 ("serverless services now
 * support payloads up to 1 MB", AWS Compute Blog; API_Invoke, checked 2026-12: "For synchronous invocations, the
 * maximum payload size is 6 MB. For asynchronous invocations, the maximum payload size is 1 MB."). Lambda's messages for an oversized request, as observed:
 * "Request must be smaller than 6291456 bytes for the InvokeFunction operation" (synchronous) and "<n> byte payload
 * is too large for the Event invocation type (limit <limit> bytes)" (asynchronous), both RequestEntityTooLargeException.
 */
import { invalidRequestContent, requestTooLarge, validationError } from './api-errors.js';

/** 6 MiB: the synchronous request limit Lambda enforces. */
export const SYNC_REQUEST_LIMIT_BYTES = 6_291_456;
/** 6 MiB + 100 bytes: the synchronous response limit ("maximum allowed payload size (6291556 bytes)"). */
export const SYNC_RESPONSE_LIMIT_BYTES = 6_291_556;
/** 1 MiB: the asynchronous request limit since the 2025 increase. */
export const ASYNC_REQUEST_LIMIT_BYTES = 1_048_576;
/** `X-Amz-Client-Context`: "Up to 3,583 bytes of base64-encoded data" (API_Invoke). */
export const CLIENT_CONTEXT_LIMIT_BYTES = 3583;

export type ApiInvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/** Invoke's parameters besides the function. */
export interface InvokeParameters {
  readonly invocationType: ApiInvocationType;
  readonly logType: 'None' | 'Tail';
  readonly clientContext: Readonly<Record<string, unknown>> | null;
  /** The event as JSON bytes (`{}` for an empty body). */
  readonly payload: Uint8Array;
}

const EMPTY_EVENT = new TextEncoder().encode('{}');

/**
 * Parse and check Invoke's headers and body.
 * @throws LambdaApiError ValidationException, RequestEntityTooLargeException or InvalidRequestContentException.
 */
export function parseInvokeParameters(headers: Readonly<Record<string, string>>, body: Uint8Array): InvokeParameters {
  const invocationType = headers['x-amz-invocation-type'] ?? 'RequestResponse';
  const logType = headers['x-amz-log-type'] ?? 'None';
  const violations: string[] = [];
  if (!isInvocationType(invocationType)) {
    violations.push(`Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  if (!isLogType(logType)) violations.push(`Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`);
  if (!isInvocationType(invocationType) || !isLogType(logType)) throw validationError(violations);
  checkSize(invocationType, body.byteLength);
  const clientContextHeader = headers['x-amz-client-context'];
  return {
    invocationType,
    logType,
    clientContext: clientContextHeader === undefined || clientContextHeader === '' ? null : decodeClientContext(clientContextHeader),
    payload: eventPayload(body),
  };
}

function isLogType(value: string): value is 'None' | 'Tail' {
  return value === 'None' || value === 'Tail';
}

function isInvocationType(value: string): value is ApiInvocationType {
  return value === 'RequestResponse' || value === 'Event' || value === 'DryRun';
}

/** The request limit of an invocation type. */
export function requestLimitBytes(invocationType: ApiInvocationType): number {
  return invocationType === 'Event' ? ASYNC_REQUEST_LIMIT_BYTES : SYNC_REQUEST_LIMIT_BYTES;
}

/**
 * @throws LambdaApiError RequestEntityTooLargeException with Lambda's message for `invocationType`.
 */
export function checkSize(invocationType: ApiInvocationType, size: number): void {
  const limit = requestLimitBytes(invocationType);
  if (size <= limit) return;
  if (invocationType === 'Event') throw requestTooLarge(`${size} byte payload is too large for the Event invocation type (limit ${limit} bytes)`);
  throw requestTooLarge(`Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
}

/** An empty body is the event `{}`; anything else must be JSON (Lambda refuses other payloads). */
function eventPayload(body: Uint8Array): Uint8Array {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  if (text.trim() === '') return EMPTY_EVENT;
  try {
    JSON.parse(text);
  } catch (error) {
    throw invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${error instanceof Error ? error.message : 'invalid JSON'}`);
  }
  return body;
}

/** `X-Amz-Client-Context`: base64 of a JSON object (the handler's `context.clientContext`). */
function decodeClientContext(header: string): Readonly<Record<string, unknown>> {
  if (header.length > CLIENT_CONTEXT_LIMIT_BYTES) {
    throw invalidRequestContent(`Client context must be at most ${CLIENT_CONTEXT_LIMIT_BYTES} bytes of base64-encoded data (got ${header.length})`);
  }
  const refused = invalidRequestContent('Client context must be a valid Base64-encoded JSON object.');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(header)) throw refused;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    throw refused;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refused;
  return parsed as Readonly<Record<string, unknown>>;
}
