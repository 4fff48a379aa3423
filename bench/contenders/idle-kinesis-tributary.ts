/** Tributary idle on an empty stream of many shards, through the counting proxy (lib/counting-proxy.ts). */
import { allShardsPolled, idleParams, measureIdle, waitWarm } from '../lib/idle.ts';
import { serviceConfig, tributary } from '../lib/tributary.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = idleParams(raw);
  const { createService } = await tributary();
  const service = createService(
    serviceConfig([
      {
        name: 'bench',
        source: { type: 'kinesis', streamName: p.target, endpoint: p.endpoint, region: 'us-east-1' },
        function: { type: 'in-process', handler: async () => ({}), timeout: 30 },
        startingPosition: 'TRIM_HORIZON',
      },
    ]),
  );
  await service.start();
  try {
    const check = await waitWarm(() => allShardsPolled(p.endpoint, p.lanes), p.warmTimeoutMs, `shards polled < ${p.lanes}`);
    return { metrics: await measureIdle(p, p.endpoint), check };
  } finally {
    await service.stop();
  }
}
