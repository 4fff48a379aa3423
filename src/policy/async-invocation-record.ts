/**
 * The invocation record asynchronous invocation sends to its destinations (OnSuccess / OnFailure), and the message of
 * its older dead-letter queue. Pure.
 *
 * Record (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html, "Example invocation
 * record"):
 *
 *   { "version": "1.0", "timestamp": "2019-11-14T18:16:05.568Z",
 *     "requestContext": { "requestId": "…", "functionArn": "arn:aws:lambda:…:function:my-function:$LATEST",
 *                         "condition": "RetriesExhausted", "approximateInvokeCount": 3 },
 *     "requestPayload": { …the event… },
 *     "responseContext": { "statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled" },
 *     "responsePayload": { "errorMessage": "…" } }
 *
 * `condition` is `Success`, `RetriesExhausted` or `EventAgeExceeded`; `functionError` appears only for a function
 * error. An event that was never invoked (it expired in the queue) has no response: AWS documents none, so the record
 * then ends at `requestPayload`. A payload that is not JSON (the caller's bytes are kept as sent) is carried as a
 * string.
 *
 * Dead-letter queue (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq):
 * "Lambda only sends the content of the event, without details about the response", with the message attributes
 * `RequestID` (String), `ErrorCode` (Number, "3-digit HTTP error code": 200 for a function error, the invocation
 * itself having succeeded) and `ErrorMessage` (String, "truncated to 1 KB").
 */
import { isoTimestamp } from './on-failure-record.js';

export type AsyncRecordCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The last invocation's answer, as Invoke would have returned it. */
export interface AsyncResponse {
  readonly statusCode: number;
  readonly executedVersion: string;
  /** `Unhandled` / `Handled`; null when the function succeeded. */
  readonly functionError: string | null;
  /** The function's response, or its error document. */
  readonly payload: unknown;
}

export interface AsyncRecordFacts {
  readonly requestId: string;
  /** Qualified: `…:function:<name>:$LATEST`, as AWS writes it. */
  readonly functionArn: string;
  readonly condition: AsyncRecordCondition;
  readonly approximateInvokeCount: number;
  /** The event's JSON text. */
  readonly payload: string;
  /** Null when the event was never invoked. */
  readonly response: AsyncResponse | null;
  readonly nowMs: number;
}

export interface AsyncInvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: AsyncRecordCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext?: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly responsePayload?: unknown;
}

export function asyncInvocationRecord(facts: AsyncRecordFacts): AsyncInvocationRecord {
  const head = {
    version: '1.0' as const,
    timestamp: isoTimestamp(facts.nowMs),
    requestContext: {
      requestId: facts.requestId,
      functionArn: facts.functionArn,
      condition: facts.condition,
      approximateInvokeCount: facts.approximateInvokeCount,
    },
    requestPayload: jsonOrText(facts.payload),
  };
  const response = facts.response;
  if (response === null) return head;
  return {
    ...head,
    responseContext: {
      statusCode: response.statusCode,
      executedVersion: response.executedVersion,
      ...(response.functionError === null ? {} : { functionError: response.functionError }),
    },
    responsePayload: response.payload ?? null,
  };
}

/** "Error message (truncated to 1 KB)". */
export const DEAD_LETTER_MESSAGE_BYTES = 1024;

/** A dead-letter queue message: the event as sent, and why it was discarded. */
export interface DeadLetterMessage {
  readonly body: string;
  readonly requestId: string;
  /** 3-digit HTTP code: 200 for a function error, 429 for throttles, 500 when the function never answered. */
  readonly errorCode: number;
  readonly errorMessage: string;
}

export function deadLetterMessage(facts: Pick<AsyncRecordFacts, 'requestId' | 'payload' | 'condition'>, errorCode: number, message: string): DeadLetterMessage {
  const text = message === '' ? facts.condition : message;
  return { body: facts.payload, requestId: facts.requestId, errorCode, errorMessage: truncateUtf8(text, DEAD_LETTER_MESSAGE_BYTES) };
}

/** At most `bytes` of UTF-8, cut at a character boundary. */
function truncateUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.byteLength <= bytes) return text;
  let end = bytes;
  // Continuation bytes are 10xxxxxx: back up to the first byte of a character.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return encoded.subarray(0, end).toString('utf8');
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
