/**
 * Retry state in the offset commit's metadata (Kafka keeps it with the committed offset of each partition): the
 * retry count of each segment being retried, by the offset of its first record. The common case — the record at the
 * committed offset is being retried — is written as `{"tributaryAttempt": n}`, the layout older versions wrote and
 * read; anything else as `{"tributaryRetries": [["<offset>", n], …]}`. Unreadable metadata means no retries.
 */
import type { RetryMark } from '../../src/connector/index.js';

/** Commit metadata for `marks` at committed offset `offset`; null when there is nothing to keep. */
export function encodeCommitMetadata(marks: readonly RetryMark[], offset: string): string | null {
  const placed = marks.map((m) => ({ position: m.position ?? offset, retries: m.retries })).filter((m) => m.retries > 0);
  if (placed.length === 0) return null;
  const [only] = placed;
  if (placed.length === 1 && only !== undefined && only.position === offset) return JSON.stringify({ tributaryAttempt: only.retries });
  return JSON.stringify({ tributaryRetries: placed.map((m) => [m.position, m.retries]) });
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
  const doc = parsed as { tributaryAttempt?: unknown; tributaryRetries?: unknown };
  if (typeof doc.tributaryAttempt === 'number' && Number.isSafeInteger(doc.tributaryAttempt) && doc.tributaryAttempt > 0) {
    return [{ position: offset, retries: doc.tributaryAttempt }];
  }
  if (!Array.isArray(doc.tributaryRetries)) return [];
  return doc.tributaryRetries.flatMap((entry): RetryMark[] => {
    if (!Array.isArray(entry)) return [];
    const [position, retries] = entry as unknown[];
    return typeof position === 'string' && /^\d+$/.test(position) && typeof retries === 'number' && Number.isSafeInteger(retries) && retries > 0
      ? [{ position, retries }]
      : [];
  });
}
