/** The reference: a kafkajs consumer (eachBatch, all partitions concurrently) idle on the same empty topic. */
import { Kafka, logLevel } from 'kafkajs';
import { idleParams, measureIdle, waitWarm } from '../lib/idle.ts';
import { assignedPartitions, deleteGroup } from '../lib/kafka-admin.ts';
import { sleep } from '../lib/probe.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = idleParams(raw);
  const kafka = new Kafka({ clientId: 'bench-idle', brokers: p.brokers, logLevel: logLevel.NOTHING });
  const groupId = `bench-idle-kafkajs-${Date.now()}`;
  const consumer = kafka.consumer({ groupId });
  let assigned = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: p.target, fromBeginning: false });
  await consumer.run({ partitionsConsumedConcurrently: p.lanes, eachBatch: async () => undefined });
  try {
    const check = await waitWarm(async () => (assigned = await assignedPartitions(p.brokers, groupId)) >= p.lanes, p.warmTimeoutMs, `assigned ${assigned} < ${p.lanes}`);
    await sleep(2_000);
    return { metrics: await measureIdle(p, null), check };
  } finally {
    await consumer.disconnect();
    await deleteGroup(p.brokers, groupId);
  }
}
