/**
 * Kinesis on kinesis-local: a 2-shard drain (Tributary against the raw GetRecords loop), and the per-shard
 * throughput of parallelizationFactor 1, 2, 4, 10 with a handler that takes 5 ms per invocation (issue 12 item 3:
 * Lambda runs N concurrent batches per shard, each up to batchSize). The raw contender of the second table is the
 * ceiling: one reader feeding N key-hashed lanes, as Lambda documents it.
 */
import { randomUUID } from 'node:crypto';
import { readEndpoints } from '../../test/services/endpoints.ts';
import { benchKinesisClient } from '../lib/kinesis-params.ts';
import { createStream, deleteStream, fillStream } from '../lib/kinesis-streams.ts';
import type { BenchOptions, CaseSpec, ContenderSpec, Params, Workload } from '../lib/types.ts';

const FACTORS = [1, 2, 4, 10] as const;
const created: string[] = [];

function contenders(params: Params, rawLabel: string): ContenderSpec[] {
  return [
    { id: 'tributary', role: 'tributary', label: 'Tributary', module: 'kinesis-tributary', params },
    { id: 'raw-loop', role: 'raw', label: rawLabel, module: 'kinesis-raw', params },
  ];
}

export const workload: Workload = {
  id: 'kinesis',
  services: ['kinesis'],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    const endpoint = readEndpoints().kinesis;
    const client = benchKinesisClient(endpoint);
    const tag = randomUUID().slice(0, 8);
    const drainRecords = options.quick ? 500 : 20_000;
    const parRecords = options.quick ? 200 : 4_000;
    const drainStream = `bench-drain-${tag}`;
    const parStream = `bench-par-${tag}`;
    try {
      await createStream(client, drainStream, 2);
      created.push(drainStream);
      await fillStream(client, drainStream, drainRecords, 200, 64);
      await createStream(client, parStream, 1);
      created.push(parStream);
      await fillStream(client, parStream, parRecords, 200, 256);
      options.log(`kinesis: streams ${drainStream} (${drainRecords} records) and ${parStream} (${parRecords}) filled`);
    } finally {
      client.destroy();
    }
    const timeoutMs = options.quick ? 60_000 : 300_000;
    const drain: CaseSpec = {
      id: 'kinesis-drain',
      title: `Kinesis drain (kinesis-local): ${drainRecords.toLocaleString('en-US')} records of 200 B, 2 shards, batchSize 1,000, no-op handler`,
      contenders: contenders({ endpoint, stream: drainStream, expected: drainRecords, batchSize: 1_000, parallelizationFactor: 1, delayMsPerInvoke: 0, timeoutMs }, 'GetRecords loop'),
      show: ['throughput', 'cpuPerRecord', 'peakRss'],
      ratio: { metric: 'throughput', better: 'higher' },
    };
    const factors: CaseSpec[] = FACTORS.map((factor) => ({
      id: `kinesis-parallelization/${factor}`,
      title: `Kinesis per-shard throughput, parallelizationFactor ${factor}: 1 shard, ${parRecords.toLocaleString('en-US')} records, 256 keys, batchSize 10, handler 5 ms`,
      contenders: contenders(
        { endpoint, stream: parStream, expected: parRecords, batchSize: 10, parallelizationFactor: factor, delayMsPerInvoke: 5, timeoutMs },
        `GetRecords loop, ${factor} key lane${factor === 1 ? '' : 's'}`,
      ),
      show: ['throughput', 'cpuPerRecord'],
      ratio: { metric: 'throughput', better: 'higher' },
    }));
    return [drain, ...factors];
  },
  async cleanup(): Promise<void> {
    const client = benchKinesisClient(readEndpoints().kinesis);
    await Promise.all(created.splice(0).map((name) => deleteStream(client, name)));
    client.destroy();
  },
};
