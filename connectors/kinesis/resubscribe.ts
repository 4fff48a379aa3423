/**
 * When a shard's reader may call SubscribeToShard again. Pure: the reader carries it out.
 *
 * AWS's rules (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html):
 * - "You can make one call to SubscribeToShard per second per registered consumer per shard" → at most one attempt
 *   per {@link SUBSCRIBE_INTERVAL_MS}, also for the routine renewal after the 5-minute subscription ends;
 * - "If you call SubscribeToShard again with the same ConsumerARN and ShardId within 5 seconds of a successful call,
 *   you'll get a ResourceInUseException" → after a connection failed, wait until 5 s after the last successful call
 *   rather than spend an attempt on a certain refusal;
 * - failures (ResourceInUseException when another subscriber holds the shard, throttling, the network) back off
 *   exponentially with jitter, reset by the next event received.
 */
import { backoffDelayMs, type BackoffOptions } from '../../src/connector/index.js';

export const SUBSCRIBE_INTERVAL_MS = 1_000;
export const TAKEOVER_WINDOW_MS = 5_000;
export const RESUBSCRIBE_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

export interface SubscriptionHistory {
  readonly now: number;
  /** When the last SubscribeToShard call was made; null before the first. */
  readonly lastAttemptAt: number | null;
  /** When the last SubscribeToShard call that succeeded was made. */
  readonly lastSuccessAt: number | null;
  /** Attempts or connections that failed since an event was last received. */
  readonly failures: number;
}

/** Milliseconds to wait before the next SubscribeToShard call (0: now). */
export function resubscribeDelayMs(history: SubscriptionHistory, random: () => number): number {
  const { now, lastAttemptAt, lastSuccessAt, failures } = history;
  let at = now;
  if (lastAttemptAt !== null) at = Math.max(at, lastAttemptAt + SUBSCRIBE_INTERVAL_MS);
  if (failures > 0) {
    at = Math.max(at, now + backoffDelayMs(failures, RESUBSCRIBE_BACKOFF, random));
    if (lastSuccessAt !== null) at = Math.max(at, lastSuccessAt + TAKEOVER_WINDOW_MS);
  }
  return at - now;
}
