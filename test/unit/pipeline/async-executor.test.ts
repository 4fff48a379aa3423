/**
 * The asynchronous executor with an injected clock, a fake function and fake queue / destinations (pure logic: the
 * real queue and destinations are covered by the integration tests): what it settles, requeues and delivers.
 */
import { describe, expect, it } from 'vitest';
import type { QueueMessage, Settlement, SourceRecord } from '../../../src/connector/types.js';
import type { PipelineConfig } from '../../../src/config/types.js';
import { TypedEmitter } from '../../../src/observability/events.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { encodeAsyncEvent, decodeAsyncEvent } from '../../../src/pipeline/execute/async-event.js';
import { asyncQueueExecutor, type AsyncEventRules } from '../../../src/pipeline/execute/async-executor.js';
import type { ExecutorContext } from '../../../src/pipeline/execute/context.js';
import { MATCH_ALL } from '../../../src/pipeline/record-matcher.js';
import { AWS_ASYNC_POLICY } from '../../../src/policy/async-step.js';
import type { InvokeResult } from '../../../src/runner/types.js';

const T0 = 1_700_000_000_000;
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:orders:$LATEST';
type Answer = 'ok' | 'error' | 'throttled';

function result(answer: Answer): InvokeResult {
  if (answer === 'ok') return { status: 'ok', payload: { fine: true }, statusCode: 200, executedVersion: '$LATEST', durationMs: 1, coldStart: false };
  if (answer === 'throttled') return { status: 'error', kind: 'throttled', error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate exceeded' }, statusCode: 429, durationMs: 1, coldStart: false };
  return { status: 'error', kind: 'threw', error: { errorType: 'Error', errorMessage: 'boom' }, functionError: 'Unhandled', statusCode: 200, executedVersion: '$LATEST', durationMs: 1, coldStart: false };
}

function record(body: string, receiveCount = 1): SourceRecord {
  return { id: 'm-1', shard: 'queue', position: '1:r', partitionKey: null, arrivedAtMs: T0, receiveCount, sizeBytes: body.length, eventRecord: { body }, filterPayload: body };
}

const event = (over: { attempts?: number; dueAtMs?: number | null; enqueuedAtMs?: number } = {}): string =>
  encodeAsyncEvent({ requestId: 'req-1', functionName: 'orders', enqueuedAtMs: over.enqueuedAtMs ?? T0, attempts: over.attempts ?? 0, dueAtMs: over.dueAtMs ?? null, payload: '{"id":1}' });

interface Harness {
  readonly settlements: Settlement[];
  readonly requeued: QueueMessage[];
  readonly delivered: { target: string; records: object[] }[];
  readonly calls: number;
  run(body: string, receiveCount?: number): Promise<void>;
}

function harness(answers: Answer[], options: { blocked?: boolean; refusals?: number; stop?: AbortController; dlq?: boolean } = {}): Harness {
  let now = T0 + 1_000;
  let refusals = options.refusals ?? 0;
  const settlements: Settlement[] = [];
  const requeued: QueueMessage[] = [];
  const delivered: { target: string; records: object[] }[] = [];
  let calls = 0;
  const stop = options.stop ?? new AbortController();
  const target = (name: string) => ({
    target: name,
    deliver: async (records: readonly object[]) => {
      if (refusals > 0) {
        refusals -= 1;
        throw new Error('destination down');
      }
      delivered.push({ target: name, records: [...records] });
    },
  });
  const rules: AsyncEventRules = {
    policy: AWS_ASYNC_POLICY,
    onSuccess: target('on-success'),
    onFailure: target('on-failure'),
    deadLetter: options.dlq === true ? { target: 'dlq', send: async (message) => void delivered.push({ target: 'dlq', records: [message] }) } : null,
  };
  const execute = asyncQueueExecutor({
    functionName: 'orders',
    functionArn: ARN,
    acquire: async () => ({ release: () => undefined }),
    blocked: () => options.blocked === true,
    rules: async () => rules,
    requeue: async (message) => void requeued.push(message),
    metrics: createMetrics({ defaultMetrics: false }),
  });
  const ctx: ExecutorContext = {
    pipeline: { name: 'orders.async-invoke', function: { timeoutMs: 3_000 } } as unknown as PipelineConfig,
    lane: 'lane-1',
    logger: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
    events: new TypedEmitter(() => undefined),
    matcher: MATCH_ALL,
    runner: {
      functionName: 'orders',
      invoke: async () => {
        const answer = answers[calls] ?? 'ok';
        calls += 1;
        now += 5;
        return result(answer);
      },
      close: async () => undefined,
    },
    now: () => now,
    random: () => 0,
    toEvent: (records) => ({ Records: records }),
    iteratorAge: false,
    invokeSignal: new AbortController().signal,
    stopSignal: stop.signal,
    report: () => undefined,
  };
  return {
    settlements,
    requeued,
    delivered,
    get calls() {
      return calls;
    },
    run: async (body, receiveCount = 1) => {
      await execute(ctx, [record(body, receiveCount)], async (settlement) => void settlements.push(settlement));
    },
  };
}

const done = { done: [expect.objectContaining({ id: 'm-1' })], redeliver: [], redeliverDelayMs: null };
const handBack = (delayMs: number) => ({ done: [], redeliver: [expect.objectContaining({ id: 'm-1' })], redeliverDelayMs: delayMs });

describe('asyncQueueExecutor', () => {
  it('a function error stores a copy with the attempt counted, due after 1 minute, then deletes the delivered one', async () => {
    const h = harness(['error']);
    await h.run(event());
    expect(h.requeued).toHaveLength(1);
    expect(h.requeued[0]?.delayMs).toBe(60_000);
    expect(decodeAsyncEvent(h.requeued[0]?.body ?? '')).toMatchObject({ requestId: 'req-1', attempts: 1, dueAtMs: T0 + 1_005 + 60_000, payload: '{"id":1}' });
    expect(h.settlements).toEqual([done]);
  });

  it('the third failure sends the record to OnFailure and the event to the dead-letter queue, then deletes it', async () => {
    const h = harness(['error'], { dlq: true });
    await h.run(event({ attempts: 2, dueAtMs: T0 }));
    expect(h.requeued).toEqual([]);
    expect(h.delivered.map((d) => d.target)).toEqual(['on-failure', 'dlq']);
    expect(h.delivered[0]?.records[0]).toMatchObject({ requestContext: { functionArn: ARN, condition: 'RetriesExhausted', approximateInvokeCount: 3 }, requestPayload: { id: 1 } });
    expect(h.delivered[1]?.records[0]).toEqual({ body: '{"id":1}', requestId: 'req-1', errorCode: 200, errorMessage: 'boom' });
    expect(h.settlements).toEqual([done]);
  });

  it('a throttle hands the event back with a growing wait and uses no attempt; the success after it counts 1 invocation', async () => {
    const h = harness(['throttled', 'throttled', 'ok']);
    await h.run(event(), 1);
    await h.run(event(), 2);
    await h.run(event(), 3);
    expect(h.requeued).toEqual([]);
    expect(h.settlements).toEqual([handBack(1_000), handBack(2_000), done]);
    expect(h.delivered).toEqual([{ target: 'on-success', records: [expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'Success', approximateInvokeCount: 1 }) as unknown })] }]);
  });

  it('an event delivered before its retry is due waits the rest without being invoked', async () => {
    const h = harness([]);
    await h.run(event({ attempts: 1, dueAtMs: T0 + 31_000 }));
    expect(h.calls).toBe(0);
    expect(h.settlements).toEqual([handBack(30_000)]);
  });

  it('reserved concurrency 0: straight to OnFailure as RetriesExhausted, never invoked', async () => {
    const h = harness([], { blocked: true });
    await h.run(event());
    expect(h.calls).toBe(0);
    const [sent] = h.delivered;
    expect(sent?.records[0]).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 0 } });
    expect(sent?.records[0]).not.toHaveProperty('responseContext');
    expect(h.settlements).toEqual([done]);
  });

  it('an expired event is discarded as EventAgeExceeded before any invocation', async () => {
    const h = harness([]);
    await h.run(event({ enqueuedAtMs: T0 - AWS_ASYNC_POLICY.maximumEventAgeMs }));
    expect(h.calls).toBe(0);
    expect(h.delivered[0]?.records[0]).toMatchObject({ requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 0 } });
  });

  it('a destination that refuses holds the event until it accepts (never deleted before its record is stored)', async () => {
    const h = harness(['ok'], { refusals: 1 });
    await h.run(event());
    expect(h.delivered.map((d) => d.target)).toEqual(['on-success']);
    expect(h.settlements).toEqual([done]);
  }, 10_000);

  it('stopping while a destination refuses hands the event back instead of deleting it', async () => {
    const stop = new AbortController();
    stop.abort();
    const h = harness(['ok'], { refusals: 5, stop });
    await h.run(event());
    expect(h.delivered).toEqual([]);
    expect(h.settlements).toEqual([handBack(0)]);
  });

  it('a message Tributary did not write is deleted without invoking anything', async () => {
    const h = harness([]);
    await h.run('{"not":"ours"}');
    expect(h.calls).toBe(0);
    expect(h.settlements).toEqual([done]);
  });
});
