/** Tributary on an SQS queue: a pipeline with a counting in-process handler, batchSize 10, maximumConcurrency = concurrency. */
import { DrainProbe, drainMeasurement } from '../lib/probe.ts';
import { benchSqsClient, emptyQueueCheck, sqsParams } from '../lib/sqs-params.ts';
import { countingHandler, drainWithTributary, recordsEventSize } from '../lib/tributary.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = sqsParams(raw);
  const probe = new DrainProbe(p.expected);
  const pipeline = {
    source: { type: 'sqs', queueUrl: p.queueUrl, endpoint: p.endpoint, region: 'us-east-1', scalingConfig: { maximumConcurrency: p.concurrency } },
    function: { type: 'in-process', handler: countingHandler(recordsEventSize, (n) => probe.seen(n)), timeout: 30 },
    batchSize: 10,
  };
  await drainWithTributary(pipeline, probe, p.timeoutMs);
  const client = benchSqsClient(p.endpoint);
  try {
    return drainMeasurement(probe, await emptyQueueCheck(client, p.queueUrl));
  } finally {
    client.destroy();
  }
}
