/**
 * `metricsConfig` selects what `/metrics` exports per pipeline, with a real service on real ElasticMQ and Kafka:
 * a pipeline without it exports none of Lambda's opt-in groups (AWS: a mapping without MetricsConfig produces no
 * EventCount / ErrorCount / KafkaMetrics metrics), one that lists a group exports that group, and the always-published
 * series and `/status` stay whatever is selected.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createTopic, kafkaBrokers, kafkaTestClient, produce, type KafkaTestClient } from './helpers/kafka.ts';
import { createQueue, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

/** Port of this test's operations server (the range given to this work). */
const PORT = 23411;

let sqs: SQSClient;
let kafka: KafkaTestClient;
beforeAll(async () => {
  sqs = sqsClient();
  kafka = await kafkaTestClient();
});
afterAll(async () => {
  sqs.destroy();
  await kafka.close();
});

const scrape = async (path: string): Promise<string> => (await fetch(`http://127.0.0.1:${PORT}${path}`)).text();
const sample = (text: string, name: string, pipeline: string): string | undefined =>
  text.split('\n').find((line) => line.startsWith(`${name}{pipeline="${pipeline}"`));

describe('metricsConfig on /metrics', () => {
  it('exports the groups a pipeline names, none without metricsConfig, and keeps the always-published series', async () => {
    const { url } = await createQueue(sqs, uniqueName('metrics'));
    await sendAll(sqs, url, Array.from({ length: 10 }, (_, i) => ({ body: `m${i}` })));
    const topic = uniqueName('metrics');
    await createTopic(kafka, topic, 2);
    await produce(kafka, topic, Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: `v${i}` })));
    const sqsSource = { type: 'sqs' as const, queueUrl: url, endpoint: sqsEndpoint(), region: 'us-east-1' };
    const fn = { type: 'in-process' as const, handler: async () => ({}), timeout: 30 };
    const service = createService(
      {
        server: { host: '127.0.0.1', port: PORT },
        shutdownTimeoutSeconds: 10,
        pipelines: [
          { name: 'quiet', source: sqsSource, function: fn, metricsConfig: { metrics: [] } },
          { name: 'loud', source: sqsSource, function: fn, metricsConfig: { metrics: ['EventCount'] } },
          {
            name: 'lag',
            source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: uniqueName('group') },
            startingPosition: 'TRIM_HORIZON',
            function: fn,
            metricsConfig: { metrics: ['KafkaMetrics'] },
          },
        ],
      },
      { logger: silentLogger() },
    );
    await service.start();
    try {
      const invoked = async (): Promise<Record<string, number>> => {
        const status = JSON.parse(await scrape('/status')) as { pipelines: { name: string; counters: { invoked: number } }[] };
        return Object.fromEntries(status.pipelines.map((p) => [p.name, p.counters.invoked]));
      };
      await waitFor(async () => {
        const counts = await invoked();
        return (counts['quiet'] ?? 0) + (counts['loud'] ?? 0) === 10 && counts['lag'] === 10;
      }, 60_000, 'every message and record invoked (as /status counts them)');
      // Commits follow the invocations: wait until every offset is committed (the lag gauges then read 0).
      await waitFor(async () => /\s0$/.test(sample(await scrape('/metrics'), 'tributary_max_offset_lag', 'lag') ?? ''), 30_000, 'the Kafka lag gauges at 0');
      const text = await scrape('/metrics');
      // quiet: metrics [] → no EventCount series; ConcurrentExecutions and DestinationDeliveryFailures stay.
      for (const name of ['tributary_polled_events_total', 'tributary_invoked_events_total', 'tributary_deleted_events_total']) expect(sample(text, name, 'quiet'), name).toBeUndefined();
      expect(sample(text, 'tributary_concurrent_executions', 'quiet')).toBeDefined();
      expect(sample(text, 'tributary_destination_delivery_failures_total', 'quiet')).toBeDefined();
      // loud: EventCount.
      for (const name of ['tributary_polled_events_total', 'tributary_invoked_events_total', 'tributary_deleted_events_total']) expect(sample(text, name, 'loud'), name).toBeDefined();
      // lag: KafkaMetrics only — MaxOffsetLag / SumOffsetLag, no EventCount, no ErrorCount; OffsetLag is always published.
      expect(sample(text, 'tributary_max_offset_lag', 'lag')).toMatch(/ 0$/);
      expect(sample(text, 'tributary_sum_offset_lag', 'lag')).toMatch(/ 0$/);
      expect(sample(text, 'tributary_offset_lag', 'lag')).toBeDefined();
      expect(sample(text, 'tributary_committed_events_total', 'lag')).toBeUndefined();
      expect(sample(text, 'tributary_polling_errors_total', 'lag')).toBeUndefined();
      expect(sample(text, 'tributary_invoke_errors_total', 'lag')).toBeUndefined();
    } finally {
      await service.stop();
    }
  });
});
