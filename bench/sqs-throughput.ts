/**
 * SQS throughput: Tributary (pipeline + no-op handler) against the raw SDK loop (ReceiveMessage 10 →
 * DeleteMessageBatch) on the same ElasticMQ, same concurrency, same run. Reports messages/s and the ratio.
 *
 *   npm run bench                      (builds, starts ElasticMQ through the test harness if it is not running)
 *   BENCH_MESSAGES=20000 BENCH_CONCURRENCY=8 npm run bench
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type * as Tributary from '../src/index.js';
import type * as Logging from '../src/observability/logger.js';
import { ensureStarted, stopStarted } from '../test/services/harness.ts';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from '../test/integration/helpers/sqs.ts';

// The built package (npm run bench builds first): Node runs this file directly and cannot resolve the sources'
// `.js` import specifiers to `.ts`.
const { createPipeline } = (await import(new URL('../dist/src/index.js', import.meta.url).href)) as typeof Tributary;
const { silentLogger } = (await import(new URL('../dist/src/observability/logger.js', import.meta.url).href)) as typeof Logging;

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? '10000');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '5');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? '5');

async function fill(client: SQSClient): Promise<string> {
  const { url } = await createQueue(client, uniqueName('bench'), { VisibilityTimeout: '60' });
  await sendAll(client, url, Array.from({ length: MESSAGES }, (_, i) => ({ body: JSON.stringify({ n: i, pad: 'x'.repeat(200) }) })), 16);
  return url;
}

/** The baseline: CONCURRENCY loops of receive(10) → delete batch, until the queue is empty. */
async function rawClient(client: SQSClient, url: string): Promise<number> {
  let handled = 0;
  let finished = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (handled < MESSAGES) {
        const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        if (Messages.length === 0) continue;
        await client.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })) }));
        handled += Messages.length;
        // Stop the clock at the last delete, not when idle loops notice the queue is empty.
        if (handled >= MESSAGES && finished === 0) finished = performance.now();
      }
    }),
  );
  return MESSAGES / ((finished - started) / 1000);
}

/** Tributary: a pipeline with a no-op handler, batchSize 10, maximumConcurrency = CONCURRENCY. */
async function tributary(client: SQSClient, url: string): Promise<number> {
  let handled = 0;
  const pipeline = createPipeline(
    {
      name: uniqueName('bench'),
      source: { type: 'sqs', queueUrl: url, endpoint: sqsEndpoint(), region: 'us-east-1', scalingConfig: { maximumConcurrency: Math.max(2, CONCURRENCY) } },
      function: async (event: unknown) => {
        handled += (event as { Records: unknown[] }).Records.length;
        return {};
      },
      batchSize: 10,
    },
    { logger: silentLogger() },
  );
  const started = performance.now();
  await pipeline.start();
  while (handled < MESSAGES) await new Promise((resolve) => setTimeout(resolve, 5));
  // Count until the last delete: the queue is empty, not merely handed out.
  while ((await queueDepth(client, url)).inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const rate = MESSAGES / ((performance.now() - started) / 1000);
  await pipeline.stop();
  return rate;
}

async function main(): Promise<void> {
  const services = await ensureStarted(['sqs']);
  const client = sqsClient();
  try {
    const raw: number[] = [];
    const ours: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      // Alternate which goes first, so warm-up favours neither.
      if (round % 2 === 1) {
        raw.push(await rawClient(client, await fill(client)));
        ours.push(await tributary(client, await fill(client)));
      } else {
        ours.push(await tributary(client, await fill(client)));
        raw.push(await rawClient(client, await fill(client)));
      }
      process.stdout.write(`round ${round}: raw ${raw.at(-1)?.toFixed(0)} msg/s, tributary ${ours.at(-1)?.toFixed(0)} msg/s\n`);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const r = median(raw);
    const t = median(ours);
    process.stdout.write(
      `SQS on ElasticMQ, ${MESSAGES} messages, concurrency ${CONCURRENCY}, median of ${ROUNDS}: raw client ${r.toFixed(0)} msg/s, ` +
        `tributary ${t.toFixed(0)} msg/s, ratio ${(t / r).toFixed(2)}\n`,
    );
  } finally {
    client.destroy();
    await stopStarted(services.started);
  }
}

await main();
