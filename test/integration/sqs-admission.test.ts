/**
 * Admission before receive, against real ElasticMQ: an SQS pipeline whose function is at its reserved concurrency
 * must not receive messages it cannot invoke. A message received and left waiting for a slot burns visibility time
 * and — when the wait ends without an invocation (a stop, a disable) — a receive, so with a redrive policy of
 * `maxReceiveCount: 1` it would reach the DLQ never processed (AWS's own SQS over-polling complaint,
 * reference/aws-esm-semantics.md §8 #2, https://medium.com/@zaccharles/lambda-concurrency-limits-and-sqs-triggers-dont-mix-well-sometimes-eb23d90122e0;
 * a throttled mapping backs off without using retries, issue 14).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

interface SqsEvent {
  Records: { messageId: string; attributes: Record<string, string> }[];
}

let client: SQSClient;
beforeAll(() => {
  client = sqsClient();
});
afterAll(() => client.destroy());

function service(queueUrl: string, handler: (event: SqsEvent) => Promise<unknown>): ReturnType<typeof createService> {
  return createService(
    {
      server: { enabled: false },
      functions: { slow: { type: 'in-process', handler: (event: unknown) => handler(event as SqsEvent), timeout: 30, reservedConcurrency: 1 } },
      pipelines: [{ name: uniqueName('admit'), function: 'slow', batchSize: 1, source: { type: 'sqs', queueUrl, endpoint: sqsEndpoint(), region: 'us-east-1' } }],
    },
    { logger: silentLogger() },
  );
}

describe('SQS admission under reservedConcurrency', () => {
  it('receives only what the function can run: receive counts stay 1 across a stop with a slow handler', async () => {
    const { url } = await createQueue(client, uniqueName('admission'), { VisibilityTimeout: '30' });
    const ids = await sendAll(client, url, Array.from({ length: 6 }, (_, i) => ({ body: `m${i}` })));
    const receiveCounts = new Map<string, string[]>();
    const note = (event: SqsEvent): void => {
      for (const record of event.Records) receiveCounts.set(record.messageId, [...(receiveCounts.get(record.messageId) ?? []), record.attributes['ApproximateReceiveCount'] ?? '?']);
    };
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const first = service(url, async (event) => {
      note(event);
      started += 1;
      await released; // the one slot is busy until the test lets go
      return {};
    });
    await first.start();
    await waitFor(() => started === 1, 20_000, 'the first invocation');
    // Five pollers run; with the one slot taken, none of the others may take a message off the queue. (Before the
    // fix each of them received one at once and waited for the slot holding it.)
    const overReceived = await waitFor(async () => (await queueDepth(client, url)).inFlight > 1, 3_000, 'a second message in flight').then(
      () => true,
      () => false,
    );
    expect(overReceived).toBe(false);
    const stopping = first.stop();
    release();
    await stopping;

    const second = service(url, async (event) => {
      note(event);
      return {};
    });
    await second.start();
    try {
      await waitFor(() => receiveCounts.size === ids.length, 30_000, 'every message invoked');
      await waitFor(async () => {
        const depth = await queueDepth(client, url);
        return depth.visible + depth.inFlight === 0;
      }, 20_000, 'an empty queue');
    } finally {
      await second.stop();
    }
    // Every message was received once and invoked once: none was received only to wait and be handed back.
    expect(Object.fromEntries([...receiveCounts].map(([id, counts]) => [id, counts]))).toEqual(Object.fromEntries(ids.map((id) => [id, ['1']])));
  });
});
