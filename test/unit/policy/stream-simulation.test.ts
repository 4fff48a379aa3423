/**
 * Drives the REAL stream executor (`runStreamBatch`, src/pipeline/execute/stream-executor.ts) with a fake function
 * runner, a fake on-failure destination and one injected clock: `now` and the executor's `sleep` (retry back-off,
 * destination re-delivery back-off) both move the same fake time, so nothing here waits for a timer. Checks AWS's
 * end-to-end outcomes and the invariants: every record settles exactly once and in shard order; a record is
 * discarded only after the configured retries (or past its age) and settled only once the destination accepted it;
 * each invocation is a contiguous run of the batch; bisect isolates a poison record.
 */
import { describe, expect, it } from 'vitest';
import { streamFailureBuilder, type FailureRecordBuilder } from '../../../src/connector/failure-records.js';
import type { SourceRecord } from '../../../src/connector/types.js';
import { resolveConfigObject } from '../../../src/config/index.js';
import type { PipelineConfig } from '../../../src/config/types.js';
import { TypedEmitter } from '../../../src/observability/events.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { silentLogger } from '../../../src/observability/logger.js';
import type { StreamExecutorContext } from '../../../src/pipeline/execute/context.js';
import { runStreamBatch } from '../../../src/pipeline/execute/stream-executor.js';
import { MATCH_ALL } from '../../../src/pipeline/record-matcher.js';
import type { FunctionRunner, InvokeResult } from '../../../src/runner/types.js';
import { seededRandom as prng } from '../../support/seeded-random.ts';

interface Rec {
  readonly id: string;
  readonly arrivedAtMs: number;
}

/** What the fake function does with one invocation (the records it got, the 1-based call number). */
type Answer = { readonly kind: 'ok'; readonly payload: unknown } | { readonly kind: 'function-error' } | { readonly kind: 'throttled' };
type Fn = (records: readonly Rec[], call: number) => Answer;

interface PolicyKnobs {
  readonly maximumRetryAttempts: number;
  /** -1 = infinite; otherwise ms. */
  readonly maximumRecordAgeMs: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly reportBatchItemFailures: boolean;
}

interface Discard {
  readonly ids: string[];
  readonly condition: string;
  readonly count: number;
}

interface Ledger {
  /** Every settled record id, in the order the executor settled them. */
  readonly settled: string[];
  readonly completed: string[];
  /** What reached the on-failure destination: the ids, and the AWS record's condition and approximateInvokeCount. */
  readonly discards: Discard[];
  /** The records of every invocation. */
  readonly invocations: string[][];
  /** `retrying(head, retries)` calls: the retry state the lane would store. */
  readonly retrying: { id: string; retries: number }[];
  readonly result: 'settled' | 'interrupted';
  readonly endMs: number;
}

/** How long one invocation takes on the fake clock. */
const INVOCATION_MS = 100;
const MAX_CALLS = 100_000;

const base = resolveConfigObject(
  {
    server: { enabled: false },
    pipelines: [{ name: 'simulation', source: { type: 'kinesis', streamName: 'simulation' }, function: { type: 'in-process', handler: () => null }, startingPosition: 'TRIM_HORIZON' }],
  },
  { env: {} },
).pipelines[0] as PipelineConfig;
const metrics = createMetrics({ defaultMetrics: false });
const events = new TypedEmitter(() => undefined);
const logger = silentLogger();
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/simulation';

const batchOf = (n: number, arrivedAtMs = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ id: String(1_000_000 + i), arrivedAtMs }));
const ids = (records: readonly { id: string }[]): string[] => records.map((r) => r.id);

function sourceRecord(rec: Rec): SourceRecord {
  return {
    id: rec.id,
    shard: 'shardId-000000000000',
    position: rec.id,
    partitionKey: 'pk',
    arrivedAtMs: rec.arrivedAtMs,
    receiveCount: 1,
    sizeBytes: 64,
    eventRecord: { id: rec.id, arrivedAtMs: rec.arrivedAtMs },
    filterPayload: null,
  };
}

function invokeResult(answer: Answer): InvokeResult {
  const common = { durationMs: INVOCATION_MS, coldStart: false, statusCode: 200, executedVersion: '$LATEST' } as const;
  switch (answer.kind) {
    case 'ok':
      return { status: 'ok', payload: answer.payload, ...common };
    case 'function-error':
      return { status: 'error', kind: 'threw', error: { errorType: 'PoisonError', errorMessage: 'poison' }, functionError: 'Unhandled', ...common };
    case 'throttled':
      return { status: 'error', kind: 'throttled', error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate exceeded' }, durationMs: 0, coldStart: false, statusCode: 429 };
  }
}

interface DriveOptions {
  readonly startMs?: number;
  /** The destination refuses this many deliveries before it accepts. */
  readonly destinationFailures?: number;
}

async function drive(batch: readonly Rec[], fn: Fn, knobs: PolicyKnobs, random: () => number, options: DriveOptions = {}): Promise<Ledger> {
  let now = options.startMs ?? 0;
  let refusals = options.destinationFailures ?? 0;
  const settled: string[] = [];
  /** Records settled before any delivery of theirs: they must be completed ones, never discarded later. */
  const settledWhileUndelivered: string[] = [];
  const invocations: string[][] = [];
  const retrying: { id: string; retries: number }[] = [];
  const discards: Discard[] = [];
  const idsByRequest = new Map<string, string[]>();
  const invoke = new AbortController();
  const byId = new Map(batch.map((r) => [r.id, r]));

  const runner: FunctionRunner = {
    functionName: 'simulation',
    invoke: async (event) => {
      const records = (event as { Records: Rec[] }).Records.map((r) => byId.get(r.id) as Rec);
      invocations.push(ids(records));
      if (invocations.length > MAX_CALLS) invoke.abort(); // the policy did not terminate: fail below
      const answer = fn(records, invocations.length);
      now += INVOCATION_MS;
      return invokeResult(answer);
    },
    close: async () => undefined,
  };
  const aws = streamFailureBuilder('kinesis', () => STREAM_ARN);
  const failureRecords: FailureRecordBuilder = (facts) => {
    idsByRequest.set(facts.requestId, ids(facts.records));
    return aws(facts);
  };
  const ctx: StreamExecutorContext = {
    pipeline: { ...base, ...knobs },
    lane: 'shardId-000000000000',
    logger,
    metrics,
    events,
    matcher: MATCH_ALL,
    runner,
    now: () => now,
    random,
    toEvent: (records) => ({ Records: records.map((r) => r.eventRecord) }),
    iteratorAge: true,
    invokeSignal: invoke.signal,
    stopSignal: new AbortController().signal,
    report: () => undefined,
    failureRecords,
    destination: {
      deliver: async (records) => {
        if (refusals > 0) {
          refusals -= 1;
          throw new Error('destination unavailable');
        }
        for (const record of records as { requestContext: { requestId: string; condition: string; approximateInvokeCount: number }; KinesisBatchInfo: { batchSize: number } }[]) {
          const delivered = idsByRequest.get(record.requestContext.requestId) ?? [];
          // The AWS record describes exactly the discarded records.
          expect(record.KinesisBatchInfo.batchSize).toBe(delivered.length);
          discards.push({ ids: delivered, condition: record.requestContext.condition, count: record.requestContext.approximateInvokeCount });
        }
      },
    },
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:simulation',
    retentionMs: 24 * 3_600_000,
    // The injected clock: a back-off passes in no real time.
    sleep: async (ms) => {
      now += ms;
    },
  };
  const result = await runStreamBatch(ctx, batch.map(sourceRecord), 0, {
    settle: (records) => {
      // A record settles right after the invocation that completed it, or once the destination accepted it.
      const delivered = new Set(discards.flatMap((d) => d.ids));
      const last = new Set(invocations.at(-1) ?? []);
      for (const record of records) {
        if (!delivered.has(record.id) && !last.has(record.id)) throw new Error(`record ${record.id} settled without a success or a delivery`);
        settledWhileUndelivered.push(...(delivered.has(record.id) ? [] : [record.id]));
      }
      settled.push(...ids(records));
    },
    retrying: (head, retries) => retrying.push({ id: head.id, retries }),
  });
  expect(invocations.length, 'the policy terminates').toBeLessThanOrEqual(MAX_CALLS);
  const discarded = new Set(discards.flatMap((d) => d.ids));
  // At-least-once: a discarded record was settled only after the destination had accepted it.
  expect(settledWhileUndelivered.filter((id) => discarded.has(id)), 'settled before their on-failure delivery').toEqual([]);
  return { settled, completed: settled.filter((id) => !discarded.has(id)), discards, invocations, retrying, result, endMs: now };
}

/** Settled exactly once each, in shard order (the checkpoint only moves forward), and every invocation a contiguous run. */
function expectInvariants(ledger: Ledger, batch: readonly Rec[]): void {
  expect(ledger.result).toBe('settled');
  expect(ledger.settled).toEqual(ids(batch));
  const position = new Map(batch.map((r, i) => [r.id, i]));
  for (const invocation of ledger.invocations) {
    expect(invocation.length).toBeGreaterThan(0);
    const first = position.get(invocation[0] ?? '') ?? -1;
    expect(invocation).toEqual(ids(batch.slice(first, first + invocation.length)));
  }
  // A record is completed or discarded, never both.
  expect(new Set([...ledger.completed, ...ledger.discards.flatMap((d) => d.ids)]).size).toBe(batch.length);
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
  const knobs: PolicyKnobs = { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: true, reportBatchItemFailures: false };
  const rng = prng(42);
  const cases = Array.from({ length: 60 }, (_, i) => {
    const n = 1 + Math.floor(rng() * 100);
    return [n, Math.floor(rng() * n), i] as const;
  });

  it.each(cases)('batch of %i, poison at %i (case %i)', async (n, index) => {
    const batch = batchOf(n);
    const poison = (batch[index] as Rec).id;
    const ledger = await drive(batch, poisonFn(poison), knobs, prng(index));
    expect(ledger.discards).toEqual([{ ids: [poison], condition: 'RetryAttemptsExhausted', count: 3 }]);
    expect(ledger.completed).toEqual(ids(batch).filter((id) => id !== poison));
    expectInvariants(ledger, batch);
    expect(ledger.invocations.filter((inv) => inv.length === 1 && inv[0] === poison)).toHaveLength(3);
    // Every other record is invoked in successful segments exactly once.
    const succeeded = ledger.invocations.filter((inv) => !inv.includes(poison)).flat();
    expect(succeeded.sort()).toEqual(ids(batch).filter((id) => id !== poison).sort());
    // The stored retry state never passes the configured retries, and names the segment's head.
    for (const mark of ledger.retrying) expect(mark.retries).toBeLessThanOrEqual(2);
    expect(ledger.retrying.filter((m) => m.id === poison).at(-1)?.retries).toBe(2);
  });

  it.each(cases.slice(0, 20))('same with ReportBatchItemFailures naming the poison: batch of %i, poison at %i', async (n, index) => {
    const batch = batchOf(n);
    const poison = (batch[index] as Rec).id;
    const ledger = await drive(batch, poisonRbifFn(poison), { ...knobs, reportBatchItemFailures: true }, prng(index));
    expect(ledger.discards).toEqual([{ ids: [poison], condition: 'RetryAttemptsExhausted', count: 3 }]);
    expect(ledger.completed).toEqual(ids(batch).filter((id) => id !== poison));
    expectInvariants(ledger, batch);
    expect(ledger.invocations.filter((inv) => inv.length === 1 && inv[0] === poison)).toHaveLength(3);
  });
});

describe('simulation: outcomes without bisect', () => {
  it('the whole batch is discarded after 3 invocations (1 + 2 retries)', async () => {
    const batch = batchOf(10);
    const ledger = await drive(batch, poisonFn((batch[4] as Rec).id), { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false }, () => 0.5);
    expect(ledger.invocations).toEqual([ids(batch), ids(batch), ids(batch)]);
    expect(ledger.discards).toEqual([{ ids: ids(batch), condition: 'RetryAttemptsExhausted', count: 3 }]);
    expect(ledger.completed).toEqual([]);
    expectInvariants(ledger, batch);
    // Two back-offs passed on the fake clock between the three invocations.
    expect(ledger.endMs).toBeGreaterThan(3 * INVOCATION_MS);
  });

  it('partial failures checkpoint before the lowest failed record, then the rest is retried', async () => {
    const batch = batchOf(10);
    const failOnce = new Set([(batch[6] as Rec).id, (batch[3] as Rec).id]);
    const fn: Fn = (records) => {
      const failed = records.filter((r) => failOnce.has(r.id));
      for (const r of failed) failOnce.delete(r.id);
      return { kind: 'ok', payload: { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.id })).reverse() } };
    };
    const ledger = await drive(batch, fn, { maximumRetryAttempts: 2, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: true }, () => 0);
    expect(ledger.invocations).toEqual([ids(batch), ids(batch).slice(3)]);
    expect(ledger.completed).toEqual(ids(batch));
    expect(ledger.discards).toEqual([]);
    expectInvariants(ledger, batch);
    expect(ledger.retrying).toEqual([{ id: (batch[3] as Rec).id, retries: 1 }]);
  });

  it('a record that keeps failing under RBIF discards only itself and what follows it', async () => {
    const batch = batchOf(6);
    const poison = (batch[2] as Rec).id;
    const ledger = await drive(batch, poisonRbifFn(poison), { maximumRetryAttempts: 1, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: true }, () => 0);
    expect(ledger.completed).toEqual(ids(batch).slice(0, 2));
    expect(ledger.discards).toEqual([{ ids: ids(batch).slice(2), condition: 'RetryAttemptsExhausted', count: 2 }]);
    expectInvariants(ledger, batch);
  });

  it('nothing is settled while the destination refuses; its re-delivery back-off runs on the injected clock', async () => {
    const batch = batchOf(4);
    const ledger = await drive(batch, () => ({ kind: 'function-error' }), { maximumRetryAttempts: 0, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false }, () => 0.5, {
      destinationFailures: 3,
    });
    expect(ledger.invocations).toEqual([ids(batch)]);
    expect(ledger.discards).toEqual([{ ids: ids(batch), condition: 'RetryAttemptsExhausted', count: 1 }]);
    expectInvariants(ledger, batch);
    // Three refused deliveries, three back-offs on the fake clock: no real time passed.
    expect(ledger.endMs).toBeGreaterThan(INVOCATION_MS);
  });
});

describe('simulation: infinite retries end by MaximumRecordAge', () => {
  it.each([false, true])('bisect %s: every record is discarded with RecordAgeExceeded', async (bisect) => {
    const batch = batchOf(8, 0);
    const ledger = await drive(batch, () => ({ kind: 'function-error' }), { maximumRetryAttempts: -1, maximumRecordAgeMs: 600_000, bisectBatchOnFunctionError: bisect, reportBatchItemFailures: false }, () => 0.5);
    expect(ledger.completed).toEqual([]);
    expect(ledger.discards.every((d) => d.condition === 'RecordAgeExceeded')).toBe(true);
    expect(ledger.discards.flatMap((d) => d.ids)).toEqual(ids(batch));
    expect(ledger.invocations.length).toBeGreaterThan(3);
    expect(ledger.endMs).toBeGreaterThan(600_000);
    expectInvariants(ledger, batch);
  });

  it('throttles forever also end by MaximumRecordAge, never by retries', async () => {
    const batch = batchOf(3, 0);
    const ledger = await drive(batch, () => ({ kind: 'throttled' }), { maximumRetryAttempts: 0, maximumRecordAgeMs: 300_000, bisectBatchOnFunctionError: true, reportBatchItemFailures: false }, () => 0);
    expect(ledger.discards.map((d) => [d.ids, d.condition])).toEqual([[ids(batch), 'RecordAgeExceeded']]);
    expect(ledger.invocations.every((inv) => inv.length === 3)).toBe(true);
    expect(ledger.invocations.length).toBeGreaterThan(1);
    expectInvariants(ledger, batch);
  });

  it('a record already older than MaximumRecordAge is discarded before any invocation', async () => {
    const batch = [...batchOf(2, 0), ...batchOf(4, 500_000).map((r, i) => ({ ...r, id: String(2_000_000 + i) }))];
    const ledger = await drive(batch, () => ({ kind: 'ok', payload: null }), { maximumRetryAttempts: -1, maximumRecordAgeMs: 120_000, bisectBatchOnFunctionError: false, reportBatchItemFailures: false }, () => 0, {
      startMs: 600_000,
    });
    expect(ledger.discards).toEqual([{ ids: ids(batch).slice(0, 2), condition: 'RecordAgeExceeded', count: 0 }]);
    expect(ledger.invocations).toEqual([ids(batch).slice(2)]);
    expectInvariants(ledger, batch);
  });
});

describe('simulation: throttles never consume retries', () => {
  it('10 throttles, then a function error with MaximumRetryAttempts 1, then success', async () => {
    const batch = batchOf(4);
    const fn: Fn = (_records, call) => (call <= 10 ? { kind: 'throttled' } : call === 11 ? { kind: 'function-error' } : { kind: 'ok', payload: null });
    const ledger = await drive(batch, fn, { maximumRetryAttempts: 1, maximumRecordAgeMs: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false }, () => 0);
    expect(ledger.invocations).toHaveLength(12);
    expect(ledger.completed).toEqual(ids(batch));
    expect(ledger.discards).toEqual([]);
    expectInvariants(ledger, batch);
  });
});

describe('simulation: random outcomes keep the invariants', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i))('seed %i', async (seed) => {
    const rng = prng(1000 + seed);
    const batch = Array.from({ length: 1 + Math.floor(rng() * 40) }, (_, i) => ({ id: String(500 + i), arrivedAtMs: 50_000 + i * 1000 }));
    const knobs: PolicyKnobs = {
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
    const bounded = knobs.maximumRetryAttempts < 0 && knobs.maximumRecordAgeMs < 0 ? { ...knobs, maximumRecordAgeMs: 3_600_000 } : knobs;
    const ledger = await drive(batch, fn, bounded, rng, { startMs: 50_000 });
    expectInvariants(ledger, batch);
    // Retries exhausted only after exactly MaximumRetryAttempts + 1 invocations of the discarded records.
    for (const discard of ledger.discards.filter((d) => d.condition === 'RetryAttemptsExhausted')) expect(discard.count).toBe(bounded.maximumRetryAttempts + 1);
  });
});
