/**
 * One asynchronous invocation as it waits in a queue (embedded or SQS): a header line of JSON with what the policy
 * needs (request id, function, when Invoke accepted it, attempts made, when the next attempt is due), then the event
 * exactly as the caller sent it. The event is never re-encoded, so a queued event costs its own size plus about 200
 * bytes, and the function gets the caller's bytes. Pure.
 *
 *   tributary-async/1 {"requestId":"…","functionName":"orders","enqueuedAtMs":1700000000000,"attempts":0,"dueAtMs":null}
 *   {"the":"event"}
 */

const MAGIC = 'tributary-async/1 ';

/** What travels with a queued event. */
export interface AsyncEventHeader {
  /** Invoke's `x-amzn-RequestId`: the function's `awsRequestId` and the record's `requestId`. */
  readonly requestId: string;
  readonly functionName: string;
  /** When Invoke accepted the event (its age counts from here). */
  readonly enqueuedAtMs: number;
  /** Invocations already made. */
  readonly attempts: number;
  /** A retry's due time; null = at once. */
  readonly dueAtMs: number | null;
}

export interface AsyncEvent extends AsyncEventHeader {
  /** The event's JSON text. */
  readonly payload: string;
}

/** The message body of `event`. */
export function encodeAsyncEvent(event: AsyncEvent): string {
  const header: AsyncEventHeader = {
    requestId: event.requestId,
    functionName: event.functionName,
    enqueuedAtMs: event.enqueuedAtMs,
    attempts: event.attempts,
    dueAtMs: event.dueAtMs,
  };
  return `${MAGIC}${JSON.stringify(header)}\n${event.payload}`;
}

/** The event of a message body, or null when it is not one (written by something else, or damaged). */
export function decodeAsyncEvent(body: string): AsyncEvent | null {
  if (!body.startsWith(MAGIC)) return null;
  const newline = body.indexOf('\n');
  if (newline < 0) return null;
  let header: unknown;
  try {
    header = JSON.parse(body.slice(MAGIC.length, newline));
  } catch {
    return null;
  }
  if (typeof header !== 'object' || header === null) return null;
  const h = header as Record<string, unknown>;
  const dueAtMs = h['dueAtMs'];
  if (typeof h['requestId'] !== 'string' || typeof h['functionName'] !== 'string') return null;
  if (!Number.isSafeInteger(h['enqueuedAtMs']) || !Number.isSafeInteger(h['attempts']) || (dueAtMs !== null && !Number.isSafeInteger(dueAtMs))) return null;
  return {
    requestId: h['requestId'],
    functionName: h['functionName'],
    enqueuedAtMs: h['enqueuedAtMs'] as number,
    attempts: h['attempts'] as number,
    dueAtMs: dueAtMs as number | null,
    payload: body.slice(newline + 1),
  };
}
