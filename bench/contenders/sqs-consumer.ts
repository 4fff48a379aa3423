/**
 * The peer: sqs-consumer (the most used SQS consumer library on npm), `concurrency` consumers on one SDK client,
 * batchSize 10, `handleMessageBatch` acknowledging every message (sqs-consumer deletes them in a batch).
 */
import type { Message } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { DrainProbe, drainMeasurement } from '../lib/probe.ts';
import { benchSqsClient, emptyQueueCheck, sqsParams } from '../lib/sqs-params.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = sqsParams(raw);
  const client = benchSqsClient(p.endpoint);
  const probe = new DrainProbe(p.expected);
  const consumers = Array.from({ length: p.concurrency }, () =>
    Consumer.create({
      queueUrl: p.queueUrl,
      sqs: client,
      batchSize: 10,
      waitTimeSeconds: 1,
      pollingWaitTimeMs: 0,
      handleMessageBatch: async (messages: Message[]) => {
        probe.seen(messages.length);
        return messages;
      },
    }),
  );
  probe.start();
  for (const consumer of consumers) consumer.start();
  try {
    await probe.wait(p.timeoutMs);
  } finally {
    await Promise.all(
      consumers.map(
        (consumer) =>
          new Promise<void>((resolve) => {
            consumer.once('stopped', () => resolve());
            consumer.stop();
          }),
      ),
    );
  }
  try {
    return drainMeasurement(probe, await emptyQueueCheck(client, p.queueUrl));
  } finally {
    client.destroy();
  }
}
