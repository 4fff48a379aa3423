// The SQS on-failure destination's own logic: batch planning under SQS's limits, resending only the entries SQS
// reported as Failed, and the endpoint rule. SQS itself is exercised against ElasticMQ in
// test/integration/destination-sqs.test.ts; here a scripted SqsSendApi stands in for the answers ElasticMQ cannot
// be made to give (partial batch failures).

import { describe, expect, it } from 'vitest';
import {
  SQS_MAX_MESSAGE_BYTES,
  planSqsBatches,
  sqsBody,
  type SqsEntry,
  type SqsEntryFailure,
  type SqsSendApi,
} from '../../../src/destination/sqs-batches.ts';
import { SqsDestination, sqsEndpointFor } from '../../../src/destination/sqs-destination.ts';
import { TributaryError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/observability/logger.ts';

const signal = (): AbortSignal => AbortSignal.timeout(10_000);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/failed';

/** An SqsSendApi that answers each call with the next scripted list of failed ids. */
function scriptedApi(script: ((entries: readonly SqsEntry[]) => readonly SqsEntryFailure[])[]): SqsSendApi & { calls: (readonly SqsEntry[])[]; closed: boolean } {
  const api = {
    calls: [] as (readonly SqsEntry[])[],
    closed: false,
    sendBatch(_queueUrl: string, entries: readonly SqsEntry[]): Promise<readonly SqsEntryFailure[]> {
      api.calls.push(entries);
      const answer = script[api.calls.length - 1] ?? (() => []);
      return Promise.resolve(answer(entries));
    },
    close(): void {
      api.closed = true;
    },
  };
  return api;
}

const failing = (ids: readonly string[], senderFault = false) => (entries: readonly SqsEntry[]): SqsEntryFailure[] =>
  entries.filter((e) => ids.includes(e.id)).map((e) => ({ id: e.id, code: 'InternalError', message: 'try again', senderFault }));

function destination(api: SqsSendApi, delays: number[] = []): SqsDestination {
  return new SqsDestination({
    queueUrl: QUEUE_URL,
    queueArn: 'arn:aws:sqs:us-east-1:123456789012:failed',
    region: 'us-east-1',
    logger: silentLogger(),
    api: () => Promise.resolve(api),
    random: () => 0.5,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<TributaryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TributaryError);
  return error as TributaryError;
}

describe('planSqsBatches', () => {
  it('packs 10 entries per batch, in order, with stable ids', () => {
    const plan = planSqsBatches(Array.from({ length: 25 }, (_, i) => `{"n":${i}}`));
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(plan.batches.flat().map((e) => e.id)).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
  });

  it('closes a batch before its bodies would pass 1 MiB, counting UTF-8 bytes', () => {
    const quarter = 'ü'.repeat(128 * 1024); // 256 KiB in UTF-8, 128 Ki characters
    const plan = planSqsBatches([quarter, quarter, quarter, quarter, 'x', quarter]);
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.batches.map((b) => b.map((e) => e.id))).toEqual([['r0', 'r1', 'r2', 'r3'], ['r4', 'r5']]);
    expect(plan.batches[0]?.reduce((sum, e) => sum + e.bytes, 0)).toBe(SQS_MAX_MESSAGE_BYTES);
  });

  it('accepts a body of exactly 1 MiB and refuses one byte more', () => {
    expect(planSqsBatches(['a', 'x'.repeat(SQS_MAX_MESSAGE_BYTES)]).ok).toBe(true);
    expect(planSqsBatches(['a', 'x'.repeat(SQS_MAX_MESSAGE_BYTES + 1)])).toEqual({ ok: false, index: 1, bytes: SQS_MAX_MESSAGE_BYTES + 1 });
  });
});

describe('sqsBody', () => {
  it('escapes the non-characters SQS refuses and keeps the JSON value', () => {
    const record = { text: 'a\uFFFEb\uFFFFc', other: 'ok' };
    const body = sqsBody(JSON.stringify(record));
    expect(body).toBe('{"text":"a\\ufffeb\\uffffc","other":"ok"}');
    expect(JSON.parse(body)).toEqual(record);
    expect(sqsBody('{"plain":"ü"}')).toBe('{"plain":"ü"}');
  });
});

describe('sqsEndpointFor', () => {
  it('leaves AWS queue URLs to the SDK and uses any other URL as the endpoint', () => {
    expect(sqsEndpointFor(QUEUE_URL)).toBeNull();
    expect(sqsEndpointFor('https://us-west-2.queue.amazonaws.com/123456789012/failed')).toBeNull();
    expect(sqsEndpointFor('http://127.0.0.1:19324/000000000000/failed')).toBe('http://127.0.0.1:19324');
  });
});

describe('SqsDestination', () => {
  it('sends each record as one message with the exact JSON body', async () => {
    const api = scriptedApi([]);
    const target = destination(api);
    expect(target.kind).toBe('sqs');
    expect(target.target).toBe('arn:aws:sqs:us-east-1:123456789012:failed');
    const records = Array.from({ length: 12 }, (_, i) => ({ version: '1.0', n: i }));
    await target.deliver(records, signal());
    expect(api.calls.map((c) => c.length)).toEqual([10, 2]);
    expect(api.calls.flat().map((e) => e.body)).toEqual(records.map((r) => JSON.stringify(r)));
    await target.close();
    expect(api.closed).toBe(true);
  });

  it('resends only the entries SQS reported as Failed, with back-off', async () => {
    const api = scriptedApi([failing(['r1', 'r3']), failing(['r3'])]);
    const delays: number[] = [];
    await destination(api, delays).deliver([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }], signal());
    expect(api.calls.map((c) => c.map((e) => e.id))).toEqual([['r0', 'r1', 'r2', 'r3'], ['r1', 'r3'], ['r3']]);
    expect(delays).toEqual([75, 150]); // backoff 100·2^(n−1), upper half with random 0.5
  });

  it('gives up after the last attempt with a retryable DESTINATION_FAILED naming the reason', async () => {
    const always = failing(['r0']);
    const api = scriptedApi([always, always, always, always, always]);
    const error = await rejection(destination(api).deliver([{ n: 0 }, { n: 1 }], signal()));
    expect(api.calls).toHaveLength(4);
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('InternalError: try again');
  });

  it('does not resend entries refused as the sender\'s fault', async () => {
    const api = scriptedApi([failing(['r0'], true)]);
    const error = await rejection(destination(api).deliver([{ n: 0 }], signal()));
    expect(api.calls).toHaveLength(1);
    expect(error.code).toBe('DESTINATION_FAILED');
  });

  it('refuses a record over 1 MiB before sending anything (non-retryable)', async () => {
    const api = scriptedApi([]);
    const error = await rejection(destination(api).deliver([{ n: 0 }, { big: 'x'.repeat(SQS_MAX_MESSAGE_BYTES) }], signal()));
    expect(api.calls).toHaveLength(0);
    expect(error.code).toBe('DESTINATION_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/record 1 is 1048586 bytes as JSON; an SQS message holds at most 1048576 bytes/);
  });

  it('stops between attempts when the signal aborts', async () => {
    const controller = new AbortController();
    const api = scriptedApi([
      (entries) => {
        controller.abort();
        return failing(['r0'])(entries);
      },
    ]);
    const error = await rejection(destination(api).deliver([{ n: 0 }], controller.signal));
    expect(api.calls).toHaveLength(1);
    expect(error.message).toContain('aborted');
    expect(error.retryable).toBe(true);
  });

  it('refuses FIFO queues, as AWS does', () => {
    expect(
      () => new SqsDestination({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/failed.fifo', queueArn: null, region: null, logger: silentLogger() }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
