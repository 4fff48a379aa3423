/**
 * Peak RSS on a 1M-record Kafka backlog with a slow handler (0.1 ms per record: 10 ms per batch of 100, 1 s per
 * batch of 10,000), batch 100 and batch 10,000, drained to the end — Tributary against kafkajs. What a consumer
 * reads ahead while its handler is busy is what this measures. The topic is produced once (it takes a while)
 * into its own topic and reused by every round with fresh consumer groups.
 */
import { BACKLOG_PARTITIONS as PARTITIONS, backlogTopic, kafkaCase } from '../lib/kafka-cases.ts';
import type { BenchOptions, CaseSpec, Workload } from '../lib/types.ts';

export const workload: Workload = {
  id: 'kafka-rss',
  services: ['kafka'],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    const records = options.quick ? 5_000 : 1_000_000;
    const { brokers, topic } = await backlogTopic('backlog', records, options);
    return [100, 10_000].map((batchSize) =>
      kafkaCase({
        id: `kafka-rss/batch-${batchSize}`,
        title: `Peak RSS, ${records.toLocaleString('en-US')}-record Kafka backlog (100 B records, ${PARTITIONS} partitions), slow handler 0.1 ms/record, batchSize ${batchSize.toLocaleString('en-US')}, window 0`,
        contenders: ['tributary', 'kafkajs'],
        brokers,
        show: ['peakRss', 'throughput', 'cpuPerRecord'],
        ratio: { metric: 'peakRss', better: 'lower' },
        params: { topic, expected: records, batchSize, windowSeconds: 0, partitions: PARTITIONS, delayUsPerRecord: 100, timeoutMs: options.quick ? 60_000 : 600_000 },
      }),
    );
  },
};
