/**
 * The loop a user writes with kafkajs instead of Tributary: `eachBatch`, the fetched batch cut into invocations of
 * `batchSize`, the offset committed after each one (Lambda's at-least-once cadence), every assigned partition
 * consumed concurrently (`partitionsConsumedConcurrently` = partitions, as a tuned user sets it).
 */
import { Kafka, logLevel } from 'kafkajs';
import { commitCheck } from '../lib/kafka-admin.ts';
import { handlerDelayMs, kafkaParams } from '../lib/kafka-params.ts';
import { DrainProbe, drainMeasurement, sleep } from '../lib/probe.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = kafkaParams(raw);
  const probe = new DrainProbe(p.expected);
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: p.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: p.groupId });
  probe.start();
  await consumer.connect();
  await consumer.subscribe({ topic: p.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: p.partitions,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (let i = 0; i < batch.messages.length; i += p.batchSize) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(i, i + p.batchSize);
        const last = chunk[chunk.length - 1];
        if (last === undefined) return;
        const delay = handlerDelayMs(chunk.length, p.delayUsPerRecord);
        if (delay > 0) await sleep(delay);
        probe.seen(chunk.length);
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        await heartbeat();
      }
    },
  });
  try {
    await probe.wait(p.timeoutMs);
  } finally {
    await consumer.disconnect();
  }
  return drainMeasurement(probe, await commitCheck(p.brokers, p.groupId, p.topic, p.expected));
}
