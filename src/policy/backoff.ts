/**
 * Retry back-off. AWS does not document its intervals for ESM retries (reference §3.4, §9), so we use
 * capped exponential back-off with "full jitter" on the upper half, which keeps retries of many lanes apart.
 */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry). `random` returns [0, 1) and is injected so tests are exact.
 * Result is in [cap/2, cap] where cap = min(maxMs, baseMs·2^(attempt−1)).
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.max(0, Math.min(30, attempt - 1));
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(cap / 2 + (cap / 2) * random());
}
