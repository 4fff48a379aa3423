/**
 * The loop a user writes with the SDK: per shard, GetShardIterator(TRIM_HORIZON) then GetRecords(Limit batchSize)
 * until the stream is read. With parallelizationFactor N > 1 it does what Lambda documents: one reader per shard
 * feeding N lanes by partition-key hash, each lane invoking its own batches of up to batchSize (no checkpointing:
 * this is the ceiling, not an at-least-once consumer).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-parallelization
 */
import { createHash } from 'node:crypto';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type _Record } from '@aws-sdk/client-kinesis';
import { benchKinesisClient, kinesisParams } from '../lib/kinesis-params.ts';
import { DrainProbe, drainMeasurement, sleep } from '../lib/probe.ts';
import type { Measurement, Params } from '../lib/types.ts';

/** How many records a shard's lanes may hold before its reader waits (keeps memory bounded). */
const LANE_BUFFER = 10_000;

function laneOf(key: string, lanes: number): number {
  return lanes === 1 ? 0 : createHash('md5').update(key).digest().readUInt32BE(0) % lanes;
}

export async function run(raw: Params): Promise<Measurement> {
  const p = kinesisParams(raw);
  const client = benchKinesisClient(p.endpoint);
  const probe = new DrainProbe(p.expected);
  const done = (): boolean => probe.count >= p.expected;
  probe.start();
  const shards = (await client.send(new ListShardsCommand({ StreamName: p.stream }))).Shards ?? [];
  await Promise.all(
    shards.map(async (shard) => {
      const lanes: _Record[][] = Array.from({ length: p.parallelizationFactor }, () => []);
      let buffered = 0;
      let readerDone = false;
      const workers = lanes.map(async (queue) => {
        while (!done()) {
          const batch = queue.splice(0, p.batchSize);
          if (batch.length === 0) {
            if (readerDone) return;
            await sleep(1);
            continue;
          }
          if (p.delayMsPerInvoke > 0) await sleep(p.delayMsPerInvoke);
          buffered -= batch.length;
          probe.seen(batch.length);
        }
      });
      let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: p.stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (iterator !== undefined && !done()) {
        if (buffered >= LANE_BUFFER) {
          await sleep(1);
          continue;
        }
        const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.max(p.batchSize, 1000) }));
        const records = result.Records ?? [];
        for (const record of records) lanes[laneOf(record.PartitionKey ?? '', lanes.length)]?.push(record);
        buffered += records.length;
        iterator = result.NextShardIterator;
        if (records.length === 0) await sleep(5);
      }
      readerDone = true;
      await Promise.all(workers);
    }),
  );
  await probe.wait(Math.max(1, p.timeoutMs));
  client.destroy();
  return drainMeasurement(probe, null);
}
