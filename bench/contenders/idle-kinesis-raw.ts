/**
 * The reference for idle shards: one GetRecords loop per shard that sleeps a second after an empty answer (what
 * Lambda does for an idle shard), through the same counting proxy.
 */
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import { allShardsPolled, idleParams, measureIdle, waitWarm } from '../lib/idle.ts';
import { benchKinesisClient } from '../lib/kinesis-params.ts';
import { sleep } from '../lib/probe.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  const p = idleParams(raw);
  const client = benchKinesisClient(p.endpoint);
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(token === undefined ? { StreamName: p.target } : { NextToken: token }));
    shards.push(...(page.Shards ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  let running = true;
  const loops = shards.map(async (shard) => {
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: p.target, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (running && iterator !== undefined) {
      const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      iterator = result.NextShardIterator;
      if ((result.Records ?? []).length === 0) await sleep(1_000);
    }
  });
  try {
    const check = await waitWarm(() => allShardsPolled(p.endpoint, p.lanes), p.warmTimeoutMs, `shards polled < ${p.lanes}`);
    return { metrics: await measureIdle(p, p.endpoint), check };
  } finally {
    running = false;
    await Promise.all(loops);
    client.destroy();
  }
}
