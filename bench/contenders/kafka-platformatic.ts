/**
 * The same loop with @platformatic/kafka: the consumer's message stream (resume from the group's offsets, the
 * beginning for a new group), cut into invocations of `batchSize`, the last offset of each partition in the
 * invocation committed after it (autocommit off).
 */
import { Consumer, type Message } from '@platformatic/kafka';
import { commitCheck } from '../lib/kafka-admin.ts';
import { handlerDelayMs, kafkaParams } from '../lib/kafka-params.ts';
import { DrainProbe, drainMeasurement, sleep } from '../lib/probe.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = kafkaParams(raw);
  const probe = new DrainProbe(p.expected);
  const consumer = new Consumer({ groupId: p.groupId, clientId: 'bench-platformatic', bootstrapBrokers: p.brokers });
  probe.start();
  const stream = await consumer.consume({ topics: [p.topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
  const loop = (async () => {
    let chunk: Message[] = [];
    for await (const message of stream as AsyncIterable<Message>) {
      chunk.push(message);
      if (chunk.length < p.batchSize && probe.count + chunk.length < p.expected) continue;
      const delay = handlerDelayMs(chunk.length, p.delayUsPerRecord);
      if (delay > 0) await sleep(delay);
      probe.seen(chunk.length);
      const lastOfPartition = new Map<number, Message>();
      for (const m of chunk) lastOfPartition.set(m.partition, m);
      await Promise.all([...lastOfPartition.values()].map((m) => m.commit()));
      chunk = [];
      if (probe.count >= p.expected) break;
    }
  })();
  try {
    await Promise.race([probe.wait(p.timeoutMs), loop.then(() => probe.wait(1))]);
  } finally {
    await stream.close().catch(() => undefined);
    await consumer.close(true);
    await loop.catch(() => undefined);
  }
  return drainMeasurement(probe, await commitCheck(p.brokers, p.groupId, p.topic, p.expected));
}
