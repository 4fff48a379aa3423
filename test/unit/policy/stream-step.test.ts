import { describe, expect, it } from 'vitest';
import { nextStreamStep, type InvocationOutcome, type Segment, type StreamPolicyConfig, type StreamStep } from '../../../src/policy/stream-step.js';

interface Rec {
  readonly id: string;
  readonly arrivedAtMs: number;
}

const recs = (n: number): Rec[] => Array.from({ length: n }, (_, i) => ({ id: String(100 + i), arrivedAtMs: i }));
const ids = (records: readonly Rec[]) => records.map((r) => r.id);
const seg = (records: readonly Rec[], retries = 0): Segment<Rec> => ({ records, retries });
const zero = () => 0;

const base: StreamPolicyConfig = { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false };
const cfg = (over: Partial<StreamPolicyConfig> = {}): StreamPolicyConfig => ({ ...base, ...over });
const failures = (...failed: string[]): InvocationOutcome => ({ kind: 'ok', payload: { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) } });

/** A compact view of a step for table assertions. */
function view(step: StreamStep<Rec>) {
  switch (step.kind) {
    case 'done':
      return { kind: step.kind, completed: ids(step.completed) };
    case 'continue':
      return { kind: step.kind, reason: step.reason, completed: ids(step.completed), next: step.next.map((s) => ({ ids: ids(s.records), retries: s.retries })), delayMs: step.delayMs };
    case 'discard':
      return { kind: step.kind, condition: step.condition, completed: ids(step.completed), records: ids(step.records), count: step.approximateInvokeCount };
  }
}

describe('nextStreamStep: function errors and retries (MaximumRetryAttempts counts retries after the first invocation)', () => {
  it.each([
    // [name, retries used, maximumRetryAttempts, expected]
    ['first failure, 2 allowed', 0, 2, { kind: 'continue', reason: 'retry', completed: [], next: [{ ids: ['100', '101', '102'], retries: 1 }], delayMs: 500 }],
    ['second failure, 2 allowed', 1, 2, { kind: 'continue', reason: 'retry', completed: [], next: [{ ids: ['100', '101', '102'], retries: 2 }], delayMs: 1000 }],
    ['third failure, 2 allowed → discard (3 invocations)', 2, 2, { kind: 'discard', condition: 'RetryAttemptsExhausted', completed: [], records: ['100', '101', '102'], count: 3 }],
    ['no retries allowed', 0, 0, { kind: 'discard', condition: 'RetryAttemptsExhausted', completed: [], records: ['100', '101', '102'], count: 1 }],
    ['infinite (-1) after many', 9999, -1, { kind: 'continue', reason: 'retry', completed: [], next: [{ ids: ['100', '101', '102'], retries: 10000 }], delayMs: 30_000 }],
  ])('%s', (_name, retries, maximumRetryAttempts, expected) => {
    const step = nextStreamStep(seg(recs(3), retries), { kind: 'function-error' }, cfg({ maximumRetryAttempts }), zero);
    expect(view(step)).toEqual(expected);
  });

  it('uses the configured back-off and the injected randomness', () => {
    const step = nextStreamStep(seg(recs(1), 3), { kind: 'function-error' }, cfg({ maximumRetryAttempts: 10, backoff: { baseMs: 100, maxMs: 250 } }), () => 0.999999);
    expect(step).toMatchObject({ kind: 'continue', delayMs: 250 });
  });

  it.each([
    ['invalid identifier', { kind: 'ok', payload: { batchItemFailures: [{ itemIdentifier: '' }] } }],
    ['identifier not in the segment', { kind: 'ok', payload: { batchItemFailures: [{ itemIdentifier: '999' }] } }],
    ['response is not an object', { kind: 'ok', payload: 'nope' }],
  ] as const)('an invalid partial response (%s) is a complete failure', (_name, outcome) => {
    const step = nextStreamStep(seg(recs(3)), outcome, cfg({ reportBatchItemFailures: true }), zero);
    expect(view(step)).toMatchObject({ kind: 'continue', reason: 'retry', completed: [], next: [{ ids: ['100', '101', '102'], retries: 1 }] });
  });
});

describe('nextStreamStep: success', () => {
  it.each([
    ['null payload', null],
    ['empty object', {}],
    ['empty list', { batchItemFailures: [] }],
  ])('%s → done', (_name, payload) => {
    expect(view(nextStreamStep(seg(recs(3)), { kind: 'ok', payload }, cfg({ reportBatchItemFailures: true }), zero))).toEqual({ kind: 'done', completed: ['100', '101', '102'] });
  });

  it('ignores batchItemFailures without ReportBatchItemFailures', () => {
    expect(view(nextStreamStep(seg(recs(3)), failures('101'), cfg(), zero))).toEqual({ kind: 'done', completed: ['100', '101', '102'] });
  });

  it('an empty segment is done', () => {
    expect(view(nextStreamStep(seg([]), { kind: 'function-error' }, cfg(), zero))).toEqual({ kind: 'done', completed: [] });
  });
});

describe('nextStreamStep: bisect (splits do not consume retries)', () => {
  const bisect = cfg({ bisectBatchOnFunctionError: true });
  it.each([
    [2, ['100'], ['101']],
    [3, ['100', '101'], ['102']],
    [5, ['100', '101', '102'], ['103', '104']],
    [6, ['100', '101', '102'], ['103', '104', '105']],
  ])('a failed segment of %i splits into ceil(n/2) + floor(n/2), in order, no delay', (n, first, second) => {
    expect(view(nextStreamStep(seg(recs(n), 1), { kind: 'function-error' }, bisect, zero))).toEqual({
      kind: 'continue',
      reason: 'bisect',
      completed: [],
      next: [{ ids: first, retries: 1 }, { ids: second, retries: 1 }],
      delayMs: 0,
    });
  });

  it('bisects even when the retries are used up (the split is free)', () => {
    expect(view(nextStreamStep(seg(recs(2), 2), { kind: 'function-error' }, bisect, zero))).toMatchObject({ kind: 'continue', reason: 'bisect' });
  });

  it('a single record is retried, then discarded, as without bisect', () => {
    expect(view(nextStreamStep(seg(recs(1), 0), { kind: 'function-error' }, bisect, zero))).toMatchObject({ kind: 'continue', reason: 'retry', next: [{ ids: ['100'], retries: 1 }] });
    expect(view(nextStreamStep(seg(recs(1), 2), { kind: 'function-error' }, bisect, zero))).toMatchObject({ kind: 'discard', records: ['100'], count: 3 });
  });

  it('an invalid partial response bisects too', () => {
    const step = nextStreamStep(seg(recs(4)), failures('zzz'), cfg({ bisectBatchOnFunctionError: true, reportBatchItemFailures: true }), zero);
    expect(view(step)).toMatchObject({ kind: 'continue', reason: 'bisect' });
  });
});

describe('nextStreamStep: ReportBatchItemFailures (checkpoint at the lowest failed sequence number)', () => {
  const rbif = cfg({ reportBatchItemFailures: true });
  it.each([
    ['one failure in the middle', ['103'], 0, { kind: 'continue', reason: 'retry', completed: ['100', '101', '102'], next: [{ ids: ['103', '104', '105'], retries: 1 }], delayMs: 500 }],
    ['several, reported out of order', ['105', '102', '104'], 0, { kind: 'continue', reason: 'retry', completed: ['100', '101'], next: [{ ids: ['102', '103', '104', '105'], retries: 1 }], delayMs: 500 }],
    ['the first record', ['100'], 0, { kind: 'continue', reason: 'retry', completed: [], next: [{ ids: ['100', '101', '102', '103', '104', '105'], retries: 1 }], delayMs: 500 }],
    ['the last record', ['105'], 1, { kind: 'continue', reason: 'retry', completed: ['100', '101', '102', '103', '104'], next: [{ ids: ['105'], retries: 2 }], delayMs: 1000 }],
    ['retries used up: the rest is discarded, the prefix completes', ['104'], 2, { kind: 'discard', condition: 'RetryAttemptsExhausted', completed: ['100', '101', '102', '103'], records: ['104', '105'], count: 3 }],
  ])('%s', (_name, failed, retries, expected) => {
    expect(view(nextStreamStep(seg(recs(6), retries), failures(...failed), rbif, zero))).toEqual(expected);
  });

  describe('with bisect also on: "bisected at the returned sequence number"', () => {
    const both = cfg({ reportBatchItemFailures: true, bisectBatchOnFunctionError: true });
    it('splits at the lowest failed record without consuming a retry', () => {
      expect(view(nextStreamStep(seg(recs(6), 1), failures('104', '103'), both, zero))).toEqual({
        kind: 'continue',
        reason: 'split',
        completed: ['100', '101', '102'],
        next: [{ ids: ['103', '104', '105'], retries: 1 }],
        delayMs: 0,
      });
    });
    it('a failure of the first record settles nothing: the segment is bisected in halves', () => {
      expect(view(nextStreamStep(seg(recs(6)), failures('100'), both, zero))).toEqual({
        kind: 'continue',
        reason: 'bisect',
        completed: [],
        next: [{ ids: ['100', '101', '102'], retries: 0 }, { ids: ['103', '104', '105'], retries: 0 }],
        delayMs: 0,
      });
    });
    it('a single record reported failed uses retries, then is discarded', () => {
      expect(view(nextStreamStep(seg(recs(1), 0), failures('100'), both, zero))).toMatchObject({ kind: 'continue', reason: 'retry', next: [{ ids: ['100'], retries: 1 }] });
      expect(view(nextStreamStep(seg(recs(1), 2), failures('100'), both, zero))).toMatchObject({ kind: 'discard', records: ['100'], count: 3 });
    });
  });
});

describe('nextStreamStep: throttles and service errors never consume retries', () => {
  it('retries the same segment with growing back-off, retries unchanged', () => {
    let segment: Segment<Rec> = seg(recs(3), 1);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const step = nextStreamStep(segment, { kind: 'throttled' }, cfg({ maximumRetryAttempts: 1 }), zero);
      if (step.kind !== 'continue') throw new Error(`unexpected ${step.kind}`);
      expect(step.reason).toBe('throttle');
      expect(step.completed).toEqual([]);
      expect(step.next).toHaveLength(1);
      segment = step.next[0] as Segment<Rec>;
      expect(segment.retries).toBe(1);
      expect(ids(segment.records)).toEqual(['100', '101', '102']);
      delays.push(step.delayMs);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    // After the throttles, a function error still has its one retry left.
    expect(nextStreamStep(segment, { kind: 'function-error' }, cfg({ maximumRetryAttempts: 2 }), zero)).toMatchObject({ kind: 'continue', reason: 'retry', next: [{ retries: 2 }] });
  });

  it('throttling does not bisect', () => {
    expect(nextStreamStep(seg(recs(4)), { kind: 'throttled' }, cfg({ bisectBatchOnFunctionError: true }), zero)).toMatchObject({ kind: 'continue', reason: 'throttle', next: [{ records: recs(4) }] });
  });
});

describe('nextStreamStep: tumbling windows (the response must contain state)', () => {
  const windowed = cfg({ tumblingWindow: true, reportBatchItemFailures: true });
  it.each([
    ['state present', { state: { total: 3 } }, 'done'],
    ['empty state', { state: {}, batchItemFailures: [] }, 'done'],
    ['no state', { batchItemFailures: [] }, 'continue'],
    ['null response', null, 'continue'],
    ['state is not an object', { state: 7 }, 'continue'],
  ])('%s', (_name, payload, kind) => {
    expect(nextStreamStep(seg(recs(2)), { kind: 'ok', payload }, windowed, zero).kind).toBe(kind);
  });

  it('partial failures apply with state', () => {
    const step = nextStreamStep(seg(recs(3)), { kind: 'ok', payload: { state: {}, batchItemFailures: [{ itemIdentifier: '101' }] } }, windowed, zero);
    expect(view(step)).toMatchObject({ kind: 'continue', completed: ['100'], next: [{ ids: ['101', '102'] }] });
  });
});
