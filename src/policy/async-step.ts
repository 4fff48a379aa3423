/**
 * The decisions of asynchronous invocation (Invoke with `InvocationType: Event`), as Lambda makes them for the events
 * of its internal queue. Pure: no clock, no I/O; the time and the randomness are passed in.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 *
 * AWS rules followed:
 * - A function error (an error returned by the code or the runtime, a timeout) is retried up to MaximumRetryAttempts
 *   times (0–2, default 2): "a one-minute wait between the first two attempts, and two minutes between the second
 *   and third attempts". An event that fails every attempt is discarded with condition `RetriesExhausted`.
 * - Throttles (429) and system errors (500-series) return the event to the queue and are retried without using an
 *   attempt, "for up to 6 hours by default", the interval growing "exponentially from 1 second after the first
 *   attempt to a maximum of 5 minutes".
 * - MaximumEventAgeInSeconds (60–21,600, default 21,600): an event older than that is discarded with condition
 *   `EventAgeExceeded`, whether it was never invoked or is waiting for a retry.
 * - Reserved concurrency 0: "Lambda begins sending new events to the configured dead-letter queue or the on-failure
 *   event destination, without any retries" (invocation-async-retain-records.html); AWS does not name the condition,
 *   Tributary uses `RetriesExhausted`.
 *
 * Where AWS is silent, we decided: a retry whose delay would end at or past the event's maximum age is not waited
 * for — the event is discarded as `EventAgeExceeded` at once (it would be on AWS when the retry came due).
 *
 * Beyond AWS (off by default, `extendedRetries`): more than 2 retries, each after an exponential back-off with jitter
 * (a delay in [cap/2, cap], cap = initial·2^(retry−1) up to the maximum).
 */
import { backoffDelayMs } from './backoff.js';

/** AWS's waits before the second and the third attempt. */
export const AWS_RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** AWS's throttle / system-error back-off: from 1 s, doubling, to 5 min. */
export const THROTTLE_BACKOFF = { baseMs: 1_000, maxMs: 300_000 } as const;
/** MaximumRetryAttempts: AWS's range and default. */
export const MAXIMUM_RETRY_ATTEMPTS = { min: 0, max: 2, default: 2 } as const;
/** MaximumEventAgeInSeconds: AWS's range and default (6 hours). */
export const MAXIMUM_EVENT_AGE_SECONDS = { min: 60, max: 21_600, default: 21_600 } as const;

/** How retries of function errors are spaced. */
export type AsyncRetryDelays =
  /** AWS: 1 minute, then 2 minutes (at most 2 retries). */
  | { readonly kind: 'aws' }
  /** Beyond AWS: exponential back-off with jitter. */
  | { readonly kind: 'exponential'; readonly initialMs: number; readonly maximumMs: number };

/** One function's asynchronous-invocation rules, in ms. */
export interface AsyncRetryPolicy {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeMs: number;
  readonly retryDelays: AsyncRetryDelays;
  /**
   * Multiplies every wait and the maximum age: 1 in production. Tests of a running service shorten AWS's
   * minute-long waits with it (TRIBUTARY_ASYNC_TIME_SCALE) instead of sleeping minutes.
   */
  readonly timeScale: number;
}

/** AWS's defaults: 2 retries after 1 and 2 minutes, 6 hours of age. */
export const AWS_ASYNC_POLICY: AsyncRetryPolicy = {
  maximumRetryAttempts: MAXIMUM_RETRY_ATTEMPTS.default,
  maximumEventAgeMs: MAXIMUM_EVENT_AGE_SECONDS.default * 1000,
  retryDelays: { kind: 'aws' },
  timeScale: 1,
};

/** What is known of one queued event when it is delivered. */
export interface AsyncEventFacts {
  /** When Invoke accepted it. */
  readonly enqueuedAtMs: number;
  /** Invocations already made (the approximateInvokeCount so far). */
  readonly attempts: number;
  /** Deliveries since the last invocation that were throttled or hit a system error. */
  readonly throttles: number;
  /** Not to be invoked before this time (a retry's wait); null = at once. */
  readonly dueAtMs: number | null;
}

export type DiscardCondition = 'RetriesExhausted' | 'EventAgeExceeded';

/** Before an invocation. */
export type AsyncAdmission =
  /** Invoke now; the event may wait up to `waitLimitMs` for a free slot of the function's concurrency. */
  | { readonly kind: 'invoke'; readonly waitLimitMs: number }
  /** Not due yet (delivered early: a queue whose delays are shorter than the wait). */
  | { readonly kind: 'defer'; readonly delayMs: number }
  | { readonly kind: 'discard'; readonly condition: DiscardCondition };

/** How an invocation ended, for the policy. */
export type AsyncOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'function-error' }
  /** 429: the function (or what runs it) refused for concurrency. */
  | { readonly kind: 'throttled' }
  /** The function never answered: its endpoint was unreachable, a 5xx without a function error. */
  | { readonly kind: 'system-error' }
  /** Reserved concurrency 0: the function accepts nothing. */
  | { readonly kind: 'blocked' };

/** After an invocation. */
export type AsyncStep =
  | { readonly kind: 'succeeded' }
  /** Function error with attempts left: queue the event again, `attempts` made, to run after `delayMs`. */
  | { readonly kind: 'retry'; readonly attempts: number; readonly delayMs: number }
  /** Throttle or system error: hand the event back for `delayMs`; no attempt used. */
  | { readonly kind: 'redeliver'; readonly delayMs: number }
  | { readonly kind: 'discard'; readonly condition: DiscardCondition; readonly attempts: number };

/** When the event's maximum age runs out. */
export function expiresAtMs(facts: Pick<AsyncEventFacts, 'enqueuedAtMs'>, policy: AsyncRetryPolicy): number {
  return facts.enqueuedAtMs + policy.maximumEventAgeMs * policy.timeScale;
}

/** Whether a delivered event is invoked now. */
export function admitAsyncEvent(facts: AsyncEventFacts, nowMs: number, policy: AsyncRetryPolicy): AsyncAdmission {
  const expiry = expiresAtMs(facts, policy);
  if (nowMs >= expiry) return { kind: 'discard', condition: 'EventAgeExceeded' };
  if (facts.dueAtMs !== null && facts.dueAtMs > nowMs) {
    return facts.dueAtMs >= expiry ? { kind: 'discard', condition: 'EventAgeExceeded' } : { kind: 'defer', delayMs: facts.dueAtMs - nowMs };
  }
  return { kind: 'invoke', waitLimitMs: expiry - nowMs };
}

/** What follows an invocation that ended with `outcome` at `nowMs`. `random` is [0, 1). */
export function nextAsyncStep(facts: AsyncEventFacts, outcome: AsyncOutcome, nowMs: number, policy: AsyncRetryPolicy, random: () => number): AsyncStep {
  const expiry = expiresAtMs(facts, policy);
  switch (outcome.kind) {
    case 'success':
      return { kind: 'succeeded' };
    case 'blocked':
      return { kind: 'discard', condition: 'RetriesExhausted', attempts: facts.attempts };
    case 'function-error': {
      const attempts = facts.attempts + 1;
      if (attempts > policy.maximumRetryAttempts) return { kind: 'discard', condition: 'RetriesExhausted', attempts };
      const delayMs = retryDelayMs(attempts, policy, random);
      if (nowMs + delayMs >= expiry) return { kind: 'discard', condition: 'EventAgeExceeded', attempts };
      return { kind: 'retry', attempts, delayMs };
    }
    case 'throttled':
    case 'system-error': {
      const delayMs = throttleDelayMs(facts.throttles + 1, policy);
      if (nowMs + delayMs >= expiry) return { kind: 'discard', condition: 'EventAgeExceeded', attempts: facts.attempts };
      return { kind: 'redeliver', delayMs };
    }
  }
}

/** The wait after failed attempt number `attempt` (1 = the first invocation). */
export function retryDelayMs(attempt: number, policy: AsyncRetryPolicy, random: () => number): number {
  const delays = policy.retryDelays;
  const unscaled =
    delays.kind === 'aws'
      ? AWS_RETRY_DELAYS_MS[Math.min(attempt, AWS_RETRY_DELAYS_MS.length) - 1] ?? AWS_RETRY_DELAYS_MS[1]
      : backoffDelayMs(attempt, { baseMs: delays.initialMs, maxMs: delays.maximumMs }, random);
  return Math.round(unscaled * policy.timeScale);
}

/** The wait after throttle number `throttle` (1 = the first): 1 s, 2 s, 4 s … 5 min. */
export function throttleDelayMs(throttle: number, policy: Pick<AsyncRetryPolicy, 'timeScale'>): number {
  const exponent = Math.max(0, Math.min(30, throttle - 1));
  return Math.round(Math.min(THROTTLE_BACKOFF.maxMs, THROTTLE_BACKOFF.baseMs * 2 ** exponent) * policy.timeScale);
}
