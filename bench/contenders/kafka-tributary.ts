/**
 * Tributary on a Kafka topic: one pipeline through the library API (`createService`), an in-process handler that
 * only counts (plus the workload's simulated delay), TRIM_HORIZON, a fresh consumer group.
 */
import { commitCheck } from '../lib/kafka-admin.ts';
import { handlerDelayMs, kafkaParams } from '../lib/kafka-params.ts';
import { DrainProbe, drainMeasurement } from '../lib/probe.ts';
import { countingHandler, drainWithTributary, kafkaEventSize } from '../lib/tributary.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = kafkaParams(raw);
  const probe = new DrainProbe(p.expected);
  const handler = countingHandler(kafkaEventSize, (n) => probe.seen(n), (n) => handlerDelayMs(n, p.delayUsPerRecord));
  const pipeline = {
    source: { type: 'kafka', bootstrapServers: p.brokers, topics: [p.topic], consumerGroupId: p.groupId },
    function: { type: 'in-process', handler, timeout: 300 },
    startingPosition: 'TRIM_HORIZON',
    batchSize: p.batchSize,
    ...(p.windowSeconds === null ? {} : { maximumBatchingWindowInSeconds: p.windowSeconds }),
  };
  await drainWithTributary(pipeline, probe, p.timeoutMs);
  return drainMeasurement(probe, await commitCheck(p.brokers, p.groupId, p.topic, p.expected));
}
