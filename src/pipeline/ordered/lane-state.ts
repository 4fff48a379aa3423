/**
 * What the lane engine stores with a stream shard's checkpoint (the lease's opaque `laneState`): the retry count of
 * each segment being retried, keyed by the position of its first record — never per shard, so with
 * parallelizationFactor > 1 a key lane that never failed does not inherit another's count — the starting position
 * pinned at a shard's first open (so a restart before the first checkpoint does not move LATEST forward), and the
 * tumbling window in progress. Versioned JSON; anything unreadable is ignored (the stored checkpoint still holds).
 */
import type { RetryMark } from '../../connector/types.js';

/**
 * A shard's start as pinned at its first open: LATEST is stored as the time it was opened — AT_TIMESTAMP where the
 * stream has it, else TRIM_HORIZON skipping what arrived before that time (DynamoDB Streams).
 */
export type PinnedStart =
  | { readonly kind: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly kind: 'TRIM_HORIZON'; readonly notBeforeMs: number | null };

/** A tumbling window in progress (policy: src/pipeline/windows). */
export interface StoredWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly state: unknown;
}

export interface LaneState {
  readonly retries: readonly RetryMark[];
  readonly pinnedStart: PinnedStart | null;
  readonly window: StoredWindow | null;
}

export const EMPTY_LANE_STATE: LaneState = { retries: [], pinnedStart: null, window: null };

interface Encoded {
  readonly v: 1;
  /** [position, retries] or [position, retries, through] (the segment's last position; earlier versions omit it). */
  readonly retries?: readonly (readonly [string | null, number] | readonly [string | null, number, string])[];
  readonly start?: PinnedStart;
  readonly window?: StoredWindow;
}

export function encodeLaneState(state: LaneState): string | null {
  if (state.retries.length === 0 && state.pinnedStart === null && state.window === null) return null;
  const out: Encoded = {
    v: 1,
    ...(state.retries.length > 0 ? { retries: state.retries.map((m) => (m.through === undefined ? [m.position, m.retries] : [m.position, m.retries, m.through])) } : {}),
    ...(state.pinnedStart === null ? {} : { start: state.pinnedStart }),
    ...(state.window === null ? {} : { window: state.window }),
  };
  return JSON.stringify(out);
}

/**
 * Reads a stored lane state. `legacyAttempt` is the older layout's single retry count of "the batch right after the
 * checkpoint": it becomes a mark for the first record read (position null).
 */
export function decodeLaneState(text: string | null, legacyAttempt = 0): LaneState {
  const legacy: LaneState = legacyAttempt > 0 ? { ...EMPTY_LANE_STATE, retries: [{ position: null, retries: legacyAttempt }] } : EMPTY_LANE_STATE;
  if (text === null || text === '') return legacy;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return legacy;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) return legacy;
  const doc = parsed as Partial<Encoded>;
  const retries = Array.isArray(doc.retries)
    ? doc.retries.flatMap((entry): RetryMark[] => {
        if (!Array.isArray(entry)) return [];
        const [position, count, through] = entry as unknown[];
        const validPosition = position === null || typeof position === 'string';
        if (!validPosition || typeof count !== 'number' || !Number.isSafeInteger(count) || count <= 0) return [];
        const mark = { position: position as string | null, retries: count };
        return [typeof through === 'string' ? { ...mark, through } : mark];
      })
    : legacy.retries;
  return { retries, pinnedStart: pinned(doc.start), window: windowOf(doc.window) };
}

function pinned(value: unknown): PinnedStart | null {
  if (typeof value !== 'object' || value === null) return null;
  const start = value as { kind?: unknown; timestampMs?: unknown };
  if (start.kind === 'TRIM_HORIZON') return { kind: 'TRIM_HORIZON', notBeforeMs: typeof (value as { notBeforeMs?: unknown }).notBeforeMs === 'number' ? (value as { notBeforeMs: number }).notBeforeMs : null };
  if (start.kind === 'AT_TIMESTAMP' && typeof start.timestampMs === 'number' && Number.isFinite(start.timestampMs)) return { kind: 'AT_TIMESTAMP', timestampMs: start.timestampMs };
  return null;
}

function windowOf(value: unknown): StoredWindow | null {
  if (typeof value !== 'object' || value === null) return null;
  const window = value as { startMs?: unknown; endMs?: unknown; state?: unknown };
  if (typeof window.startMs !== 'number' || typeof window.endMs !== 'number') return null;
  return { startMs: window.startMs, endMs: window.endMs, state: window.state ?? {} };
}
