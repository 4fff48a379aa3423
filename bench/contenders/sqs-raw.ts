/** The loop a user writes with the SDK: `concurrency` loops of ReceiveMessage(10) → handle → DeleteMessageBatch. */
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DrainProbe, drainMeasurement } from '../lib/probe.ts';
import { benchSqsClient, emptyQueueCheck, sqsParams } from '../lib/sqs-params.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = sqsParams(raw);
  const client = benchSqsClient(p.endpoint);
  const probe = new DrainProbe(p.expected);
  let running = true;
  probe.start();
  const loops = Array.from({ length: p.concurrency }, async () => {
    while (running) {
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: p.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) continue;
      probe.seen(Messages.length);
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: p.queueUrl, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle ?? '' })) }));
    }
  });
  try {
    await probe.wait(p.timeoutMs);
  } finally {
    running = false;
    await Promise.all(loops);
  }
  try {
    return drainMeasurement(probe, await emptyQueueCheck(client, p.queueUrl));
  } finally {
    client.destroy();
  }
}
