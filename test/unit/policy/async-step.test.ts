import { describe, expect, it } from 'vitest';
import {
  AWS_ASYNC_POLICY,
  admitAsyncEvent,
  nextAsyncStep,
  retryDelayMs,
  throttleDelayMs,
  type AsyncEventFacts,
  type AsyncRetryPolicy,
} from '../../../src/policy/async-step.js';

const MIN = 60_000;
const T0 = 1_700_000_000_000;
const zero = (): number => 0;
const facts = (over: Partial<AsyncEventFacts> = {}): AsyncEventFacts => ({ enqueuedAtMs: T0, attempts: 0, throttles: 0, dueAtMs: null, ...over });
const policy = (over: Partial<AsyncRetryPolicy> = {}): AsyncRetryPolicy => ({ ...AWS_ASYNC_POLICY, ...over });

describe('nextAsyncStep: function errors (AWS: two more attempts, 1 minute then 2 minutes apart)', () => {
  it('retries after 1 minute, then after 2 minutes, then discards with RetriesExhausted after the third attempt', () => {
    const first = nextAsyncStep(facts(), { kind: 'function-error' }, T0 + 100, AWS_ASYNC_POLICY, zero);
    expect(first).toEqual({ kind: 'retry', attempts: 1, delayMs: MIN });
    const second = nextAsyncStep(facts({ attempts: 1 }), { kind: 'function-error' }, T0 + MIN + 200, AWS_ASYNC_POLICY, zero);
    expect(second).toEqual({ kind: 'retry', attempts: 2, delayMs: 2 * MIN });
    const third = nextAsyncStep(facts({ attempts: 2 }), { kind: 'function-error' }, T0 + 3 * MIN + 300, AWS_ASYNC_POLICY, zero);
    expect(third).toEqual({ kind: 'discard', condition: 'RetriesExhausted', attempts: 3 });
  });

  it('MaximumRetryAttempts 0 discards after the first attempt; 1 after the second', () => {
    expect(nextAsyncStep(facts(), { kind: 'function-error' }, T0, policy({ maximumRetryAttempts: 0 }), zero)).toEqual({ kind: 'discard', condition: 'RetriesExhausted', attempts: 1 });
    expect(nextAsyncStep(facts({ attempts: 1 }), { kind: 'function-error' }, T0, policy({ maximumRetryAttempts: 1 }), zero)).toEqual({ kind: 'discard', condition: 'RetriesExhausted', attempts: 2 });
  });

  it('a retry that would come due at or after the maximum age is EventAgeExceeded at once', () => {
    const short = policy({ maximumEventAgeMs: 60_000 });
    expect(nextAsyncStep(facts(), { kind: 'function-error' }, T0 + 1, short, zero)).toEqual({ kind: 'discard', condition: 'EventAgeExceeded', attempts: 1 });
    const roomy = policy({ maximumEventAgeMs: 60_002 });
    expect(nextAsyncStep(facts(), { kind: 'function-error' }, T0 + 1, roomy, zero)).toEqual({ kind: 'retry', attempts: 1, delayMs: MIN });
  });

  it('success ends the event', () => {
    expect(nextAsyncStep(facts({ attempts: 2 }), { kind: 'success' }, T0, AWS_ASYNC_POLICY, zero)).toEqual({ kind: 'succeeded' });
  });

  it('reserved concurrency 0 discards without invoking or retrying', () => {
    expect(nextAsyncStep(facts(), { kind: 'blocked' }, T0, AWS_ASYNC_POLICY, zero)).toEqual({ kind: 'discard', condition: 'RetriesExhausted', attempts: 0 });
  });
});

describe('nextAsyncStep: throttles and system errors (no attempt used, 1 s doubling to 5 min, until the age runs out)', () => {
  it('redelivers with a growing wait and never counts an attempt', () => {
    const waits = [0, 1, 2, 3, 8, 9, 20].map((throttles) => nextAsyncStep(facts({ throttles }), { kind: 'throttled' }, T0, AWS_ASYNC_POLICY, zero));
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000].map((delayMs) => ({ kind: 'redeliver', delayMs })));
    expect(nextAsyncStep(facts({ attempts: 2 }), { kind: 'system-error' }, T0, AWS_ASYNC_POLICY, zero)).toEqual({ kind: 'redeliver', delayMs: 1_000 });
  });

  it('an event throttled near the end of its age is EventAgeExceeded, with the attempts made so far', () => {
    const nearEnd = T0 + AWS_ASYNC_POLICY.maximumEventAgeMs - 500;
    expect(nextAsyncStep(facts({ attempts: 1 }), { kind: 'throttled' }, nearEnd, AWS_ASYNC_POLICY, zero)).toEqual({ kind: 'discard', condition: 'EventAgeExceeded', attempts: 1 });
  });
});

describe('admitAsyncEvent', () => {
  it('invokes a due event, with at most the rest of its age to wait for concurrency', () => {
    expect(admitAsyncEvent(facts(), T0 + 1_000, AWS_ASYNC_POLICY)).toEqual({ kind: 'invoke', waitLimitMs: AWS_ASYNC_POLICY.maximumEventAgeMs - 1_000 });
  });

  it('defers an event delivered before its retry is due, and discards one whose retry falls after its age', () => {
    expect(admitAsyncEvent(facts({ dueAtMs: T0 + 5_000 }), T0 + 1_000, AWS_ASYNC_POLICY)).toEqual({ kind: 'defer', delayMs: 4_000 });
    const short = policy({ maximumEventAgeMs: 60_000 });
    expect(admitAsyncEvent(facts({ dueAtMs: T0 + 60_000 }), T0 + 1_000, short)).toEqual({ kind: 'discard', condition: 'EventAgeExceeded' });
  });

  it('discards an event older than MaximumEventAgeInSeconds before invoking it', () => {
    const short = policy({ maximumEventAgeMs: 60_000 });
    expect(admitAsyncEvent(facts(), T0 + 60_000, short)).toEqual({ kind: 'discard', condition: 'EventAgeExceeded' });
    expect(admitAsyncEvent(facts(), T0 + 59_999, short)).toEqual({ kind: 'invoke', waitLimitMs: 1 });
  });
});

describe('time scale and extended retries (beyond AWS)', () => {
  it('the time scale shortens every wait and the age alike', () => {
    const fast = policy({ timeScale: 0.001 });
    expect(retryDelayMs(1, fast, zero)).toBe(60);
    expect(retryDelayMs(2, fast, zero)).toBe(120);
    expect(throttleDelayMs(1, fast)).toBe(1);
    expect(admitAsyncEvent(facts(), T0 + 21_600, fast)).toEqual({ kind: 'discard', condition: 'EventAgeExceeded' });
  });

  it('extendedRetries allows more than 2 retries with exponential back-off and jitter', () => {
    const extended = policy({ maximumRetryAttempts: 5, retryDelays: { kind: 'exponential', initialMs: 10_000, maximumMs: 40_000 } });
    const delays = [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, extended, () => 0.999999));
    expect(delays).toEqual([10_000, 20_000, 40_000, 40_000]);
    expect(retryDelayMs(3, extended, zero)).toBe(20_000);
    expect(nextAsyncStep(facts({ attempts: 4 }), { kind: 'function-error' }, T0, extended, zero)).toMatchObject({ kind: 'retry', attempts: 5 });
    expect(nextAsyncStep(facts({ attempts: 5 }), { kind: 'function-error' }, T0, extended, zero)).toEqual({ kind: 'discard', condition: 'RetriesExhausted', attempts: 6 });
  });
});
