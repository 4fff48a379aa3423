/**
 * Kafka with AWS's defaults (BatchSize 100, the batching window left unset: 500 ms for Kafka) on a backlog: the first 100,000
 * records of the drain topic — Tributary against kafkajs committing every 100 records. On a backlog a batch is
 * full at once, so the window should add nothing (issue 16).
 */
import { BACKLOG_PARTITIONS as PARTITIONS, backlogTopic, kafkaCase } from '../lib/kafka-cases.ts';
import type { BenchOptions, CaseSpec, Workload } from '../lib/types.ts';

export const workload: Workload = {
  id: 'kafka-aws-defaults',
  services: ['kafka'],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    // The drain workload's topic: produced once, shared.
    const records = options.quick ? 3_000 : 400_000;
    const expected = options.quick ? 2_000 : 100_000;
    const { brokers, topic } = await backlogTopic('drain', records, options);
    return [
      kafkaCase({
        id: 'kafka-aws-defaults',
        title: `Kafka with AWS's defaults (batchSize 100, window unset = 0.5 s) on a backlog: first ${expected.toLocaleString('en-US')} of ${records.toLocaleString('en-US')} records, ${PARTITIONS} partitions`,
        contenders: ['tributary', 'kafkajs'],
        brokers,
        show: ['throughput', 'cpuPerRecord', 'peakRss'],
        ratio: { metric: 'throughput', better: 'higher' },
        params: { topic, expected, batchSize: 100, windowSeconds: null, partitions: PARTITIONS, delayUsPerRecord: 0, timeoutMs: options.quick ? 60_000 : 300_000 },
      }),
    ];
  },
};
