/**
 * JSON request bodies: parsed once, then navigated without trusting their shape (they come from any caller).
 */
import { LambdaApiError } from './api-errors.js';

/** A parsed JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** `value` when it is a JSON object, else an empty one. */
export function asRecord(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

/**
 * The body of a control-plane request as a JSON object; an empty body is `{}`.
 * @throws LambdaApiError SerializationException-like InvalidRequestContentException when it is not a JSON object.
 */
export function parseJsonBody(body: Uint8Array): JsonObject {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body).trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LambdaApiError('InvalidRequestContentException', `Could not parse request body into json: ${error instanceof Error ? error.message : 'invalid JSON'}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LambdaApiError('InvalidRequestContentException', 'Could not parse request body into json: expected a JSON object');
  }
  return parsed as JsonObject;
}
