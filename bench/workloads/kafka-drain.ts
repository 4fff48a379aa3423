/**
 * Kafka drain: a 400k-record backlog of small records in 6 partitions, batchSize 1,000, no batching window —
 * Tributary against the kafkajs `eachBatch` loop (commit per invocation) and the @platformatic/kafka loop.
 * The topic is produced once and reused by every round (and by later runs while it still holds the records).
 */
import { BACKLOG_PARTITIONS as PARTITIONS, backlogTopic, kafkaCase } from '../lib/kafka-cases.ts';
import type { BenchOptions, CaseSpec, Workload } from '../lib/types.ts';

export const workload: Workload = {
  id: 'kafka-drain',
  services: ['kafka'],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    const records = options.quick ? 3_000 : 400_000;
    const { brokers, topic } = await backlogTopic('drain', records, options);
    return [
      kafkaCase({
        id: 'kafka-drain',
        title: `Kafka drain: ${records.toLocaleString('en-US')} records of 100 B, ${PARTITIONS} partitions, batchSize 1,000, window 0, no-op handler`,
        contenders: ['tributary', 'kafkajs', 'platformatic'],
        brokers,
        show: ['throughput', 'cpuPerRecord', 'peakRss'],
        ratio: { metric: 'throughput', better: 'higher' },
        params: { topic, expected: records, batchSize: 1_000, windowSeconds: 0, partitions: PARTITIONS, delayUsPerRecord: 0, timeoutMs: options.quick ? 60_000 : 300_000 },
      }),
    ];
  },
};
