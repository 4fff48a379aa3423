/**
 * `Marker` / `MaxItems` paging of the List operations. Pure.
 *
 * Items are sorted by a key (a mapping's UUID, a function's name), and a marker is the opaque (base64url) key of the
 * last item returned: the next page starts at the first key after it, so deleting or adding items between calls
 * never repeats or skips one that existed throughout. AWS caps a page whatever MaxItems says: 100 event source
 * mappings, 50 functions, 50 event-invoke configs (API_ListEventSourceMappings, API_ListFunctions,
 * API_ListFunctionEventInvokeConfigs).
 */
import { invalidParameter, validationError } from './api-errors.js';

/** One page and the marker of the next one (null on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextMarker: string | null;
}

/** How a list pages. */
export interface PagingRule {
  /** Items per page when MaxItems is absent and at most (AWS's per-response cap). */
  readonly pageCap: number;
  /** The model's maximum of MaxItems (a larger value is a ValidationException). */
  readonly maxItemsLimit: number;
}

export const MAPPING_PAGING: PagingRule = { pageCap: 100, maxItemsLimit: 10_000 };
export const FUNCTION_PAGING: PagingRule = { pageCap: 50, maxItemsLimit: 10_000 };
export const INVOKE_CONFIG_PAGING: PagingRule = { pageCap: 50, maxItemsLimit: 50 };

/**
 * Parse `MaxItems` (a query string value) against the model's range.
 * @throws LambdaApiError ValidationException in AWS's words.
 */
export function parseMaxItems(raw: string | null, rule: PagingRule): number | null {
  if (raw === null) return null;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) throw invalidParameter(`Invalid MaxItems: ${raw} is not an integer`);
  if (value < 1) throw validationError([`Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1`]);
  if (value > rule.maxItemsLimit) {
    throw validationError([`Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to ${rule.maxItemsLimit}`]);
  }
  return value;
}

/**
 * The page of `items` (any order; sorted here by `keyOf`) after `marker`.
 * @throws LambdaApiError InvalidParameterValueException for a marker this API did not issue.
 */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, marker: string | null, maxItems: number | null, rule: PagingRule): Page<T> {
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const after = marker === null ? null : decodeMarker(marker);
  const start = after === null ? 0 : firstAfter(sorted, keyOf, after);
  const size = Math.min(maxItems ?? rule.pageCap, rule.pageCap);
  const pageItems = sorted.slice(start, start + size);
  const last = pageItems.at(-1);
  const more = start + size < sorted.length;
  return { items: pageItems, nextMarker: more && last !== undefined ? encodeMarker(keyOf(last)) : null };
}

function firstAfter<T>(sorted: readonly T[], keyOf: (item: T) => string, key: string): number {
  const index = sorted.findIndex((item) => compare(keyOf(item), key) > 0);
  return index === -1 ? sorted.length : index;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MARKER_PREFIX = 'tributary:';

function encodeMarker(key: string): string {
  return Buffer.from(`${MARKER_PREFIX}${key}`, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(marker) ? Buffer.from(marker, 'base64url').toString('utf8') : '';
  if (!text.startsWith(MARKER_PREFIX)) throw invalidParameter(`Invalid Marker: ${marker} (pass the NextMarker of a previous response)`);
  return text.slice(MARKER_PREFIX.length);
}
