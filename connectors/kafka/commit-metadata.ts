/**
 * Retry state in the offset commit's metadata (Kafka keeps it with the committed offset of each partition): the
 * retry count of each segment being retried, by the offset of its first record, with the offset of its last. The
 * common case — the segment at the committed offset is being retried — is written as
 * `{"tributaryAttempt": n, "tributaryThrough": "<offset>"}` (older versions wrote and read the first key only);
 * anything else as `{"tributaryRetries": [["<offset>", n, "<through>"], …]}`. Unreadable metadata means no retries.
 */
import type { RetryMark } from '../../src/connector/index.js';

/** Commit metadata for `marks` at committed offset `offset`; null when there is nothing to keep. */
export function encodeCommitMetadata(marks: readonly RetryMark[], offset: string): string | null {
  const placed = marks.map((m) => ({ ...m, position: m.position ?? offset })).filter((m) => m.retries > 0);
  if (placed.length === 0) return null;
  const [only] = placed;
  if (placed.length === 1 && only !== undefined && only.position === offset) {
    return JSON.stringify({ tributaryAttempt: only.retries, ...(only.through === undefined ? {} : { tributaryThrough: only.through }) });
  }
  return JSON.stringify({ tributaryRetries: placed.map((m) => (m.through === undefined ? [m.position, m.retries] : [m.position, m.retries, m.through])) });
}

/** The retry marks in commit metadata written by {@link encodeCommitMetadata} at committed offset `offset`. */
export function decodeCommitMetadata(metadata: string | null, offset: string | null): RetryMark[] {
  if (metadata === null || metadata === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const doc = parsed as { tributaryAttempt?: unknown; tributaryThrough?: unknown; tributaryRetries?: unknown };
  if (typeof doc.tributaryAttempt === 'number' && Number.isSafeInteger(doc.tributaryAttempt) && doc.tributaryAttempt > 0) {
    const mark = { position: offset, retries: doc.tributaryAttempt };
    return [isOffset(doc.tributaryThrough) ? { ...mark, through: doc.tributaryThrough } : mark];
  }
  if (!Array.isArray(doc.tributaryRetries)) return [];
  return doc.tributaryRetries.flatMap((entry): RetryMark[] => {
    if (!Array.isArray(entry)) return [];
    const [position, retries, through] = entry as unknown[];
    if (!isOffset(position) || typeof retries !== 'number' || !Number.isSafeInteger(retries) || retries <= 0) return [];
    return [isOffset(through) ? { position, retries, through } : { position, retries }];
  });
}

function isOffset(value: unknown): value is string {
  return typeof value === 'string' && /^\d+$/.test(value);
}
