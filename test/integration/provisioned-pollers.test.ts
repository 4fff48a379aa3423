/**
 * `provisionedPollerConfig` (Lambda's provisioned mode) bounds the pollers, against the real services:
 * - SQS (ElasticMQ): `minimumPollers` × 10 lanes run from the start, `maximumPollers` × 10 is the ceiling
 *   (one AWS SQS poller serves up to 10 concurrent invokes);
 * - Kafka: at most `maximumPollers` × 5 partitions invoke at once (one AWS Kafka poller: about 5 concurrent invokes).
 * Each handler holds its invocation until the test lets go, after the bound was reached (a condition waited for) and
 * a grace in which one more invocation over the bound would show (it is let go at once then, and the peak says so).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { untypedPipeline } from '../support/untyped-input.ts';
import { createService, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createTopic, kafkaBrokers, kafkaTestClient, produce, type KafkaTestClient } from './helpers/kafka.ts';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { delay, waitFor } from './helpers/wait.ts';

/** How long a bound that was reached is watched for one more invocation before the handlers are let go. */
const WATCH_MS = 2_000;

let sqs: SQSClient;
let kafka: KafkaTestClient;
const services: TributaryService[] = [];

beforeAll(async () => {
  sqs = sqsClient();
  kafka = await kafkaTestClient();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  sqs.destroy();
  await kafka.close();
});

/** A handler that counts invocations in flight and holds each until the test lets go, or one goes over `bound`. */
function gauge(bound: number): { handler: (event: unknown) => Promise<unknown>; peak: () => number; calls: () => number; release: () => void } {
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    handler: async () => {
      calls += 1;
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      if (inFlight > bound) open();
      await opened;
      inFlight -= 1;
      return {};
    },
    peak: () => peak,
    calls: () => calls,
    release: () => open(),
  };
}

function start(pipeline: Record<string, unknown>, handler: (event: unknown) => Promise<unknown>): TributaryService {
  const service = createService(
    {
      server: { enabled: false },
      shutdownTimeoutSeconds: 10,
      pipelines: [untypedPipeline({ name: uniqueName('prov'), function: { type: 'in-process', handler, timeout: 60 }, ...pipeline })],
    },
    { logger: silentLogger() },
  );
  services.push(service);
  return service;
}

describe('provisionedPollerConfig', () => {
  it('SQS: minimumPollers × 10 pollers run at once from the start, and never more than maximumPollers × 10', async () => {
    const { url } = await createQueue(sqs, uniqueName('prov'), { VisibilityTimeout: '60' });
    await sendAll(sqs, url, Array.from({ length: 60 }, (_, i) => ({ body: `m${i}` })));
    // batchSize 1: a receive never returns a full page, so on-demand scaling would stay at its 5 pollers.
    const g = gauge(20);
    const service = start(
      { batchSize: 1, provisionedPollerConfig: { minimumPollers: 2, maximumPollers: 2 }, source: { type: 'sqs', queueUrl: url, endpoint: sqsEndpoint(), region: 'us-east-1' } },
      g.handler,
    );
    await service.start();
    await waitFor(() => g.peak() >= 20, 30_000, '20 invocations in flight at once');
    await delay(WATCH_MS);
    g.release();
    await waitFor(() => g.calls() === 60, 60_000, 'every message');
    await waitFor(async () => {
      const depth = await queueDepth(sqs, url);
      return depth.visible + depth.inFlight === 0;
    }, 20_000, 'an empty queue');
    expect(g.peak()).toBe(20);
  });

  it('Kafka: at most maximumPollers × 5 partitions invoke at once', async () => {
    const topic = uniqueName('prov');
    await createTopic(kafka, topic, 8);
    await produce(kafka, topic, Array.from({ length: 8 * 4 }, (_, i) => ({ partition: i % 8, key: `k${i % 8}`, value: `v${i}` })));
    const g = gauge(5);
    const service = start(
      {
        batchSize: 1,
        startingPosition: 'TRIM_HORIZON',
        provisionedPollerConfig: { minimumPollers: 1, maximumPollers: 1 },
        source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: uniqueName('group') },
      },
      g.handler,
    );
    await service.start();
    await waitFor(() => g.peak() >= 5, 60_000, '5 partitions invoking at once');
    await delay(WATCH_MS);
    g.release();
    await waitFor(() => g.calls() === 32, 60_000, 'every record');
    expect(g.peak()).toBe(5);
  });
});
