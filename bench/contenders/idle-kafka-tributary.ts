/** Tributary idle on an empty topic of many partitions: warm once the broker has assigned it every partition. */
import { idleParams, measureIdle, waitWarm } from '../lib/idle.ts';
import { assignedPartitions, deleteGroup } from '../lib/kafka-admin.ts';
import { sleep } from '../lib/probe.ts';
import { serviceConfig, tributary } from '../lib/tributary.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = idleParams(raw);
  const { createService } = await tributary();
  const groupId = `bench-idle-tributary-${Date.now()}`;
  const service = createService(
    serviceConfig([
      {
        name: 'bench',
        source: { type: 'kafka', bootstrapServers: p.brokers, topics: [p.target], consumerGroupId: groupId },
        function: { type: 'in-process', handler: async () => ({}), timeout: 30 },
        startingPosition: 'LATEST',
      },
    ]),
  );
  await service.start();
  try {
    let assigned = 0;
    const check = await waitWarm(async () => (assigned = await assignedPartitions(p.brokers, groupId)) >= p.lanes, p.warmTimeoutMs, `assigned ${assigned} < ${p.lanes}`);
    await sleep(2_000);
    return { metrics: await measureIdle(p, null), check };
  } finally {
    await service.stop();
    await deleteGroup(p.brokers, groupId);
  }
}
