/**
 * Lambda's SQS event source mapping semantics, end to end against real ElasticMQ.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type PipelineHandle } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createQueue, drain, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { delay, seededRandom, waitFor } from './helpers/wait.ts';
import { untypedHandler } from '../support/untyped-input.ts';

interface SqsEvent {
  Records: { messageId: string; body: string; attributes: Record<string, string>; [key: string]: unknown }[];
}

let client: SQSClient;
const running: PipelineHandle[] = [];

beforeAll(() => {
  client = sqsClient();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(() => client.destroy());

function start(queueUrl: string, handler: (event: SqsEvent) => unknown, extra: Record<string, unknown> = {}, timeout = 30): PipelineHandle {
  const pipeline = createPipeline(
    {
      name: uniqueName('p'),
      source: { type: 'sqs', queueUrl, endpoint: sqsEndpoint(), region: 'us-east-1', ...((extra['source'] as object | undefined) ?? {}) },
      function: { type: 'in-process', handler: untypedHandler((event) => handler(event as SqsEvent)), timeout },
      ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'source')),
    },
    { logger: silentLogger() },
  );
  running.push(pipeline);
  return pipeline;
}

describe('SQS standard queue', () => {
  it('handles 10,000 messages, each exactly once, with a fast handler', async () => {
    const { url } = await createQueue(client, uniqueName('bulk'), { VisibilityTimeout: '30' });
    const ids = await sendAll(client, url, Array.from({ length: 10_000 }, (_, i) => ({ body: `m${i}` })));
    const seen = new Map<string, number>();
    let batches = 0;
    const pipeline = start(url, (event) => {
      batches += 1;
      for (const record of event.Records) seen.set(record.messageId, (seen.get(record.messageId) ?? 0) + 1);
      return {};
    }, { batchSize: 100, maximumBatchingWindowInSeconds: 1 });
    await pipeline.start();
    await waitFor(() => seen.size >= ids.length, 90_000, 'all 10,000 messages');
    await waitFor(async () => (await queueDepth(client, url)).visible + (await queueDepth(client, url)).inFlight === 0, 20_000, 'an empty queue');
    expect(new Set(ids)).toEqual(new Set(seen.keys()));
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    expect(batches).toBeLessThan(10_000 / 10); // batching window gathered more than one receive per batch
  });

  it('with random partial failures, every message is eventually handled and only failed ones return', async () => {
    const { url } = await createQueue(client, uniqueName('partial'), { VisibilityTimeout: '1' });
    const ids = await sendAll(client, url, Array.from({ length: 400 }, (_, i) => ({ body: `m${i}` })));
    const random = seededRandom(42);
    const deliveries = new Map<string, number>();
    const failures = new Map<string, number>();
    const succeeded = new Set<string>();
    const lateDeliveries: string[] = [];
    const pipeline = start(url, (event) => {
      const failed: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        const id = record.messageId;
        deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
        if (succeeded.has(id)) lateDeliveries.push(id);
        if (random() < 0.3) {
          failures.set(id, (failures.get(id) ?? 0) + 1);
          failed.push({ itemIdentifier: id });
        } else {
          succeeded.add(id);
        }
      }
      return { batchItemFailures: failed };
    }, { batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] });
    await pipeline.start();
    await waitFor(() => succeeded.size >= ids.length, 90_000, 'every message to succeed once');
    await delay(1500); // longer than the visibility timeout: a wrongly deleted/kept message would show up now
    expect(succeeded).toEqual(new Set(ids));
    expect(lateDeliveries).toEqual([]);
    expect(failures.size).toBeGreaterThan(50);
    for (const id of ids) expect(deliveries.get(id)).toBe((failures.get(id) ?? 0) + 1);
    expect((await queueDepth(client, url)).visible).toBe(0);
  });

  it('moves poison messages — and only them — to the DLQ after maxReceiveCount', async () => {
    const dlq = await createQueue(client, uniqueName('dlq'));
    const { url } = await createQueue(client, uniqueName('poison'), {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    const bodies = Array.from({ length: 60 }, (_, i) => (i % 12 === 5 ? `poison-${i}` : `ok-${i}`));
    await sendAll(client, url, bodies.map((body) => ({ body })));
    const handled = new Set<string>();
    const poisonDeliveries = new Map<string, number>();
    const pipeline = start(url, (event) => {
      const failed = [];
      for (const record of event.Records) {
        if (record.body.startsWith('poison')) {
          poisonDeliveries.set(record.body, (poisonDeliveries.get(record.body) ?? 0) + 1);
          failed.push({ itemIdentifier: record.messageId });
        } else handled.add(record.body);
      }
      return { batchItemFailures: failed };
    }, { functionResponseTypes: ['ReportBatchItemFailures'] });
    await pipeline.start();
    const poison = bodies.filter((b) => b.startsWith('poison'));
    await waitFor(async () => (await queueDepth(client, dlq.url)).visible >= poison.length, 60_000, 'poison messages in the DLQ');
    expect(handled).toEqual(new Set(bodies.filter((b) => b.startsWith('ok'))));
    expect((await drain(client, dlq.url)).sort()).toEqual([...poison].sort());
    for (const body of poison) expect(poisonDeliveries.get(body)).toBe(3);
  });

  it('a handler slower than the visibility timeout causes no duplicate (heartbeat)', async () => {
    const { url } = await createQueue(client, uniqueName('slow'), { VisibilityTimeout: '2' });
    const ids = await sendAll(client, url, Array.from({ length: 20 }, (_, i) => ({ body: `m${i}` })));
    const deliveries = new Map<string, number>();
    const pipeline = start(url, async (event) => {
      for (const record of event.Records) deliveries.set(record.messageId, (deliveries.get(record.messageId) ?? 0) + 1);
      await delay(5000); // 2.5 × the visibility timeout
      return {};
    }, { batchSize: 10 });
    await pipeline.start();
    await waitFor(() => deliveries.size >= ids.length, 30_000, 'all messages');
    await waitFor(async () => {
      const depth = await queueDepth(client, url);
      return depth.visible + depth.inFlight === 0;
    }, 30_000, 'deletes');
    await delay(2500);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
  });

  it('deletes filtered-out messages without invoking the function', async () => {
    const { url } = await createQueue(client, uniqueName('filter'), { VisibilityTimeout: '5' });
    const bodies = Array.from({ length: 40 }, (_, i) => JSON.stringify({ kind: i % 2 === 0 ? 'order' : 'noise', n: i }));
    await sendAll(client, url, bodies.map((body) => ({ body })));
    const seen: string[] = [];
    const pipeline = start(url, (event) => {
      seen.push(...event.Records.map((r) => r.body));
      return {};
    }, { filterCriteria: { filters: [{ pattern: '{"body":{"kind":["order"]}}' }] } });
    await pipeline.start();
    await waitFor(async () => {
      const depth = await queueDepth(client, url);
      return depth.visible + depth.inFlight === 0;
    }, 30_000, 'an empty queue');
    expect(seen.sort()).toEqual(bodies.filter((b) => b.includes('"order"')).sort());
  });

  it('bounds concurrency by scalingConfig.maximumConcurrency and scales pollers up under backlog', async () => {
    const { url } = await createQueue(client, uniqueName('scale'), { VisibilityTimeout: '30' });
    await sendAll(client, url, Array.from({ length: 1500 }, (_, i) => ({ body: `m${i}` })));
    let inFlight = 0;
    let peak = 0;
    let handled = 0;
    const pipeline = start(url, async (event) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await delay(60);
      inFlight -= 1;
      handled += event.Records.length;
      return {};
    }, { source: { scalingConfig: { maximumConcurrency: 8 } } });
    await pipeline.start();
    await waitFor(() => handled >= 1500, 60_000, 'all messages');
    expect(peak).toBeLessThanOrEqual(8);
    expect(peak).toBeGreaterThan(5); // scaled beyond the 5 initial pollers
  });
});

describe('SQS FIFO queue', () => {
  it('keeps per-group order while another group keeps failing', async () => {
    const { url } = await createQueue(client, `${uniqueName('order')}.fifo`, { FifoQueue: 'true', VisibilityTimeout: '1' });
    const messages = Array.from({ length: 90 }, (_, i) => {
      const group = ['A', 'B', 'C'][i % 3] ?? 'A';
      return { body: `${group}-${Math.floor(i / 3)}`, groupId: group, dedupId: `d${i}` };
    });
    await sendAll(client, url, messages);
    const order = new Map<string, number[]>();
    const bBatches: number[][] = [];
    const pipeline = start(url, (event) => {
      const failed = [];
      const b: number[] = [];
      for (const record of event.Records) {
        const [group = '', n = ''] = record.body.split('-');
        if (group === 'B') {
          b.push(Number(n));
          failed.push({ itemIdentifier: record.messageId });
          continue;
        }
        order.set(group, [...(order.get(group) ?? []), Number(n)]);
      }
      if (b.length > 0) bBatches.push(b);
      return { batchItemFailures: failed };
    }, { batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] });
    await pipeline.start();
    await waitFor(() => (order.get('A')?.length ?? 0) >= 30 && (order.get('C')?.length ?? 0) >= 30, 60_000, 'groups A and C');
    await waitFor(() => bBatches.length >= 3, 30_000, 'group B to be redelivered');
    const expected = Array.from({ length: 30 }, (_, i) => i);
    expect(order.get('A')).toEqual(expected);
    expect(order.get('C')).toEqual(expected);
    // Group B fails on its first message every time: it is redelivered, never overtaken by a later B message,
    // and every batch that carries B starts again at B-0 in order.
    expect(bBatches.length).toBeGreaterThanOrEqual(3);
    for (const b of bBatches) expect(b).toEqual(Array.from({ length: b.length }, (_, i) => i));
  });
});
