/**
 * Scale of lanes: the idle cost (CPU, peak RSS) of many Kinesis shards and Kafka partitions with nothing to read,
 * and the idle polling rate per shard (Lambda polls an idle shard once a second; polling faster only costs). Runs
 * on the bench's own services (ports 21410-21421): a kinesis-local whose SHARD_LIMIT holds 1,000-shard streams, with the
 * counting proxy in front, and a Kafka broker for the 1,000-partition topic, so the shared ones carry no extra
 * load. One round by default: the windows are long and idle costs are stable.
 */
import { randomUUID } from 'node:crypto';
import { BENCH_PORTS, startKafka, startKinesisLocal, type Dedicated } from '../lib/dedicated-services.ts';
import { startCountingProxy, type CountingProxy } from '../lib/counting-proxy.ts';
import { createEmptyTopic } from '../lib/kafka-admin.ts';
import { benchKinesisClient } from '../lib/kinesis-params.ts';
import { createStream } from '../lib/kinesis-streams.ts';
import type { BenchOptions, CaseSpec, Workload } from '../lib/types.ts';

// kinesis-local refuses CreateStream above 1,000 shards ("The shard count must be between 1 and 1000"): 1,000 is
// the most it holds in one stream, so it stands in for issue 16's 1,024.
const SHARDS = [16, 64, 256, 1_000] as const;
const PARTITIONS = [100, 1_000] as const;
const ROUNDS = Number(process.env['BENCH_LANE_ROUNDS'] ?? '1');

let running: (Dedicated | CountingProxy)[] = [];

function windows(options: BenchOptions): { windowMs: number; warmTimeoutMs: number } {
  return { windowMs: options.quick ? 3_000 : 15_000, warmTimeoutMs: options.quick ? 60_000 : 240_000 };
}

export const workload: Workload = {
  id: 'lane-scale',
  services: [],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    const shardCounts = options.quick ? [4] : [...SHARDS];
    const partitionCounts = options.quick ? [10] : [...PARTITIONS];
    const { windowMs, warmTimeoutMs } = windows(options);
    const kinesis = await startKinesisLocal(shardCounts.reduce((a, b) => a + b, 0) + 16);
    running.push(kinesis);
    const proxy = await startCountingProxy(kinesis.endpoint, BENCH_PORTS.kinesisProxy);
    running.push(proxy);
    const client = benchKinesisClient(kinesis.endpoint);
    const cases: CaseSpec[] = [];
    try {
      for (const shards of shardCounts) {
        const stream = `bench-idle-${shards}-${randomUUID().slice(0, 8)}`;
        await createStream(client, stream, shards, 300_000);
        const params = { endpoint: proxy.url, target: stream, lanes: shards, windowMs, warmTimeoutMs, timeoutMs: warmTimeoutMs + windowMs };
        cases.push({
          id: `lane-scale/kinesis-${shards}`,
          title: `Idle lanes: ${shards.toLocaleString('en-US')} empty Kinesis shards (bench kinesis-local), ${windowMs / 1000} s window`,
          contenders: [
            { id: 'tributary', role: 'tributary', label: 'Tributary', module: 'idle-kinesis-tributary', params },
            { id: 'raw-1s-loop', role: 'raw', label: 'GetRecords loop, 1 s sleep when empty', module: 'idle-kinesis-raw', params },
          ],
          show: ['idleCpu', 'peakRss', 'pollsPerShard', 'maxPollsPerShard'],
          ratio: { metric: 'idleCpu', better: 'lower' },
          maxRounds: ROUNDS,
        });
      }
    } finally {
      client.destroy();
    }
    options.log(`lane-scale: kinesis-local streams of ${shardCounts.join(', ')} shards created; starting the bench Kafka broker`);
    const kafka = await startKafka(options.log);
    running.push(kafka);
    for (const partitions of partitionCounts) {
      const topic = `bench-idle-p${partitions}`;
      await createEmptyTopic([kafka.endpoint], topic, partitions);
      const params = { brokers: [kafka.endpoint], target: topic, lanes: partitions, windowMs, warmTimeoutMs, timeoutMs: warmTimeoutMs + windowMs };
      cases.push({
        id: `lane-scale/kafka-${partitions}`,
        title: `Idle lanes: ${partitions.toLocaleString('en-US')} empty Kafka partitions (bench broker), ${windowMs / 1000} s window`,
        contenders: [
          { id: 'tributary', role: 'tributary', label: 'Tributary', module: 'idle-kafka-tributary', params },
          { id: 'kafkajs', role: 'raw', label: 'kafkajs consumer', module: 'idle-kafka-kafkajs', params },
        ],
        show: ['idleCpu', 'peakRss'],
        ratio: { metric: 'idleCpu', better: 'lower' },
        maxRounds: ROUNDS,
      });
    }
    return cases;
  },
  async cleanup(): Promise<void> {
    const services = running.reverse();
    running = [];
    for (const service of services) await service.stop().catch(() => undefined);
  },
};
