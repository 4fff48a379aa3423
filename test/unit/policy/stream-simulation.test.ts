/**
 * Drives the stream policy the way the executor will: a queue of segments, expiry before each invocation, a fake
 * function, a fake clock advanced by the returned delays. Checks AWS's end-to-end outcomes and the invariants
 * (segments never grow, completed is a prefix, every record settles exactly once and in shard order).
 */
import { seededRandom as prng } from '../../support/seeded-random.ts';
import { describe, expect, it } from 'vitest';
import {
  expireRecords,
  initialSegment,
  nextStreamStep,
  type InvocationOutcome,
  type Segment,
  type StreamPolicyConfig,
} from '../../../src/policy/stream-step.js';

interface Rec {
  readonly id: string;
  readonly arrivedAtMs: number;
}

type Fn = (records: readonly Rec[], call: number) => InvocationOutcome;

interface Ledger {
  /** Settle order: every completed or discarded record id, in the order the executor would settle them. */
  readonly settled: string[];
  readonly completed: string[];
  readonly discards: { ids: string[]; condition: string; count: number | null }[];
  /** The records of every invocation. */
  readonly invocations: string[][];
  readonly endMs: number;
}


const batchOf = (n: number, arrivedAtMs = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ id: String(1_000_000 + i), arrivedAtMs }));
const ids = (records: readonly Rec[]) => records.map((r) => r.id);

function drive(batch: readonly Rec[], fn: Fn, config: StreamPolicyConfig, random: () => number, startMs = 0): Ledger {
  const ledger: Ledger = { settled: [], completed: [], discards: [], invocations: [], endMs: startMs };
  let now = startMs;
  const queue: Segment<Rec>[] = [initialSegment(batch)];
  for (let guard = 0; queue.length > 0; guard++) {
    if (guard > 100_000) throw new Error('policy did not terminate');
    const head = queue[0] as Segment<Rec>;
    const expiry = expireRecords(head, config, now);
    if (expiry.expired.length > 0) {
      ledger.discards.push({ ids: ids(expiry.expired), condition: 'RecordAgeExceeded', count: null });
      ledger.settled.push(...ids(expiry.expired));
    }
    if (expiry.segment === null) {
      queue.shift();
      continue;
    }
    const segment = expiry.segment;
    ledger.invocations.push(ids(segment.records));
    const step = nextStreamStep(segment, fn(segment.records, ledger.invocations.length), config, random);
    now += 100; // the invocation takes time
    // Invariant: completed is a prefix of the segment, and completed ++ the rest is exactly the segment.
    const rest = step.kind === 'done' ? [] : step.kind === 'continue' ? step.next.flatMap((s) => s.records) : step.records;
    expect([...ids(step.completed), ...ids(rest)]).toEqual(ids(segment.records));
    ledger.completed.push(...ids(step.completed));
    ledger.settled.push(...ids(step.completed));
    switch (step.kind) {
      case 'done':
        queue.shift();
        break;
      case 'continue':
        for (const next of step.next) {
          expect(next.records.length).toBeGreaterThan(0);
          expect(next.records.length).toBeLessThanOrEqual(segment.records.length);
        }
        queue.splice(0, 1, ...step.next);
        now += step.delayMs;
        break;
      case 'discard':
        ledger.discards.push({ ids: ids(step.records), condition: step.condition, count: step.approximateInvokeCount });
        ledger.settled.push(...ids(step.records));
        queue.shift();
        break;
    }
  }
  return { ...ledger, endMs: now };
}

/** Settled exactly once each, in shard order (the checkpoint only moves forward). */
function expectSettledInOrder(ledger: Ledger, batch: readonly Rec[]): void {
  expect(ledger.settled).toEqual(ids(batch));
}

const poisonFn =
  (poison: string): Fn =>
  (records) =>
    records.some((r) => r.id === poison) ? { kind: 'function-error' } : { kind: 'ok', payload: null };

/** A handler that processes in order and reports the first failed record (AWS's recommended RBIF pattern). */
const poisonRbifFn =
  (poison: string): Fn =>
  (records) =>
    records.some((r) => r.id === poison) ? { kind: 'ok', payload: { batchItemFailures: [{ itemIdentifier: poison }] } } : { kind: 'ok', payload: {} };

describe('simulation: one poison record, bisect on, MaximumRetryAttempts 2', () => {
  const config: StreamPolicyConfig = { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: true, reportBatchItemFailures: false };
  const rng = prng(42);
  const cases = Array.from({ length: 60 }, (_, i) => {
    const n = 1 + Math.floor(rng() * 100);
    return [n, Math.floor(rng() * n), i] as const;
  });

  it.each(cases)('batch of %i, poison at %i (case %i)', (n, index) => {
    const batch = batchOf(n);
    const poison = (batch[index] as Rec).id;
    const ledger = drive(batch, poisonFn(poison), config, prng(index));
    expect(ledger.discards).toEqual([{ ids: [poison], condition: 'RetryAttemptsExhausted', count: 3 }]);
    expect(ledger.completed).toEqual(ids(batch).filter((id) => id !== poison));
    expectSettledInOrder(ledger, batch);
    const alone = ledger.invocations.filter((inv) => inv.length === 1 && inv[0] === poison);
    expect(alone).toHaveLength(3);
    // Every other record is invoked in successful segments exactly once.
    const succeeded = ledger.invocations.filter((inv) => !inv.includes(poison)).flat();
    expect(succeeded.sort()).toEqual(ids(batch).filter((id) => id !== poison).sort());
  });

  it.each(cases.slice(0, 20))('same with ReportBatchItemFailures naming the poison: batch of %i, poison at %i', (n, index) => {
    const batch = batchOf(n);
    const poison = (batch[index] as Rec).id;
    const ledger = drive(batch, poisonRbifFn(poison), { ...config, reportBatchItemFailures: true }, prng(index));
    expect(ledger.discards).toEqual([{ ids: [poison], condition: 'RetryAttemptsExhausted', count: 3 }]);
    expect(ledger.completed).toEqual(ids(batch).filter((id) => id !== poison));
    expectSettledInOrder(ledger, batch);
    expect(ledger.invocations.filter((inv) => inv.length === 1 && inv[0] === poison)).toHaveLength(3);
  });
});

describe('simulation: outcomes without bisect', () => {
  it('the whole batch is discarded after 3 invocations (1 + 2 retries)', () => {
    const batch = batchOf(10);
    const ledger = drive(batch, poisonFn((batch[4] as Rec).id), { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false }, () => 0.5);
    expect(ledger.invocations).toEqual([ids(batch), ids(batch), ids(batch)]);
    expect(ledger.discards).toEqual([{ ids: ids(batch), condition: 'RetryAttemptsExhausted', count: 3 }]);
    expect(ledger.completed).toEqual([]);
  });

  it('partial failures checkpoint before the lowest failed record, then the rest is retried', () => {
    const batch = batchOf(10);
    const failOnce = new Set([(batch[6] as Rec).id, (batch[3] as Rec).id]);
    const fn: Fn = (records) => {
      const failed = records.filter((r) => failOnce.has(r.id));
      for (const r of failed) failOnce.delete(r.id);
      return { kind: 'ok', payload: { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.id })).reverse() } };
    };
    const ledger = drive(batch, fn, { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: true }, () => 0);
    expect(ledger.invocations).toEqual([ids(batch), ids(batch).slice(3)]);
    expect(ledger.completed).toEqual(ids(batch));
    expect(ledger.discards).toEqual([]);
    expectSettledInOrder(ledger, batch);
  });

  it('a record that keeps failing under RBIF discards only itself and what follows it', () => {
    const batch = batchOf(6);
    const poison = (batch[2] as Rec).id;
    const ledger = drive(batch, poisonRbifFn(poison), { maximumRetryAttempts: 1, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: true }, () => 0);
    expect(ledger.completed).toEqual(ids(batch).slice(0, 2));
    expect(ledger.discards).toEqual([{ ids: ids(batch).slice(2), condition: 'RetryAttemptsExhausted', count: 2 }]);
  });
});

describe('simulation: infinite retries end by MaximumRecordAge', () => {
  it.each([false, true])('bisect %s: every record is discarded with RecordAgeExceeded', (bisect) => {
    const batch = batchOf(8, 0);
    const ledger = drive(batch, () => ({ kind: 'function-error' }), { maximumRetryAttempts: -1, maximumRecordAgeMs: 600_000, bisectBatchOnFunctionError: bisect, reportBatchItemFailures: false }, () => 0.5);
    expect(ledger.completed).toEqual([]);
    expect(ledger.discards.every((d) => d.condition === 'RecordAgeExceeded')).toBe(true);
    expect(ledger.discards.flatMap((d) => d.ids)).toEqual(ids(batch));
    expect(ledger.invocations.length).toBeGreaterThan(3);
    expect(ledger.endMs).toBeGreaterThan(600_000);
    expectSettledInOrder(ledger, batch);
  });

  it('throttles forever also end by MaximumRecordAge, never by retries', () => {
    const batch = batchOf(3, 0);
    const ledger = drive(batch, () => ({ kind: 'throttled' }), { maximumRetryAttempts: 0, maximumRecordAgeMs: 300_000, bisectBatchOnFunctionError: true, reportBatchItemFailures: false }, () => 0);
    expect(ledger.discards).toEqual([{ ids: ids(batch), condition: 'RecordAgeExceeded', count: null }]);
    expect(ledger.invocations.every((inv) => inv.length === 3)).toBe(true);
  });
});

describe('simulation: throttles never consume retries', () => {
  it('10 throttles, then a function error with MaximumRetryAttempts 1, then success', () => {
    const batch = batchOf(4);
    const fn: Fn = (_records, call) => (call <= 10 ? { kind: 'throttled' } : call === 11 ? { kind: 'function-error' } : { kind: 'ok', payload: null });
    const ledger = drive(batch, fn, { maximumRetryAttempts: 1, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false }, () => 0);
    expect(ledger.invocations).toHaveLength(12);
    expect(ledger.completed).toEqual(ids(batch));
    expect(ledger.discards).toEqual([]);
  });
});

describe('simulation: random outcomes keep the invariants', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i))('seed %i', (seed) => {
    const rng = prng(1000 + seed);
    const batch = Array.from({ length: 1 + Math.floor(rng() * 40) }, (_, i) => ({ id: String(500 + i), arrivedAtMs: i * 1000 }));
    const config: StreamPolicyConfig = {
      maximumRetryAttempts: Math.floor(rng() * 4) - 1,
      maximumRecordAgeMs: rng() < 0.5 ? -1 : 120_000,
      bisectBatchOnFunctionError: rng() < 0.5,
      reportBatchItemFailures: rng() < 0.5,
    };
    const fn: Fn = (records) => {
      const roll = rng();
      if (roll < 0.2) return { kind: 'throttled' };
      if (roll < 0.45) return { kind: 'function-error' };
      if (roll < 0.75) {
        const failed = records.filter(() => rng() < 0.3).map((r) => ({ itemIdentifier: r.id }));
        return { kind: 'ok', payload: { batchItemFailures: failed } };
      }
      return { kind: 'ok', payload: null };
    };
    // Infinite retries without an age limit could run forever under a hostile function: cap by age then.
    const bounded = config.maximumRetryAttempts < 0 && config.maximumRecordAgeMs < 0 ? { ...config, maximumRecordAgeMs: 3_600_000 } : config;
    const ledger = drive(batch, fn, bounded, rng, 50_000);
    expectSettledInOrder(ledger, batch);
    const discarded = ledger.discards.flatMap((d) => d.ids);
    expect(new Set([...ledger.completed, ...discarded]).size).toBe(batch.length);
  });
});
