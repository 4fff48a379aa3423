/**
 * The HTTP request and response as the pure layers of the API see them: no sockets, no streams. The server
 * (http-server.ts) builds an `ApiRequest` from node:http and writes an `ApiResponse` back.
 */

/** One received request, body already read (within the size limit). */
export interface ApiRequest {
  readonly method: string;
  /** The path as sent on the wire (still percent-encoded), without the query string. */
  readonly rawPath: string;
  /** Query parameters, percent-decoded; a repeated name keeps every value in order. */
  readonly query: ReadonlyMap<string, readonly string[]>;
  /** Header names lower-cased; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** This request's `x-amzn-RequestId`. */
  readonly requestId: string;
  /** Aborted when the caller disconnects. */
  readonly signal: AbortSignal;
}

/** What to send back. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** null: no body (202 Event, 204). */
  readonly body: Uint8Array | null;
}

/** A JSON response (Lambda's documents are `application/json`). */
export function jsonResponse(status: number, document: unknown, headers: Readonly<Record<string, string>> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: new TextEncoder().encode(JSON.stringify(document)) };
}

/** A response without a body. */
export function emptyResponse(status: number, headers: Readonly<Record<string, string>> = {}): ApiResponse {
  return { status, headers, body: null };
}

/** The first value of a query parameter, or null. */
export function queryValue(request: Pick<ApiRequest, 'query'>, name: string): string | null {
  return request.query.get(name)?.[0] ?? null;
}

/**
 * Parse a raw query string (`a=1&b=x%20y`) into decoded values. `+` is kept as a plus sign: AWS SDKs encode spaces
 * as `%20`, and SigV4 canonicalization (sigv4-verify.ts) must see exactly the characters that were signed.
 * Malformed percent-escapes are kept literally.
 */
export function parseQueryString(raw: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeLoosely(at === -1 ? pair : pair.slice(0, at));
    const value = at === -1 ? '' : decodeLoosely(pair.slice(at + 1));
    query.set(name, [...(query.get(name) ?? []), value]);
  }
  return query;
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
