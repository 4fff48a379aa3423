/** Kafka's (MSK and self-managed) defaults and knobs (src/connector/source-traits.ts); the facts cite reference §2 by key. */
import type { SourceTraits } from '../../src/connector/source-traits.js';

export const kafkaTraits: SourceTraits = {
  /** BatchSize default 100 [API-BS]. */
  defaultBatchSize: 100,
  /** MaximumBatchingWindowInSeconds default 500 ms for MSK and self-managed Kafka [API-MBW]. */
  defaultBatchingWindowMs: 500,
  /** ErrorCount and KafkaMetrics are "(Amazon MSK and self-managed Apache Kafka)" only [API-MC, DG-MET]. */
  metricGroups: ['EventCount', 'ErrorCount', 'KafkaMetrics'],
  /**
   * MinimumPollers 1–200 (default 1), MaximumPollers 1–2,000 (default 200); PollerGroupName "(Amazon MSK and
   * self-managed Apache Kafka)" [API-PPC, DG-ESM] (https://docs.aws.amazon.com/lambda/latest/dg/kafka-scaling-modes.html).
   */
  provisionedPollers: {
    ranges: { minimum: { min: 1, max: 200 }, maximum: { min: 1, max: 2000 }, defaultMinimum: 1, defaultMaximum: 200 },
    article: 'a Kafka',
    pollerGroupName: true,
    exclusiveWithMaximumConcurrency: false,
  },
  positioned: true,
  /** "infinite retries plus an OnFailure destination → Lambda caps at 10 retries" [KF-RETRY, KF-OFD]. */
  retryCapWithDestination: 10,
  ownKafkaCluster: true,
  progress: 'native-commit',
  label: 'Kafka',
  awsLabel: 'Amazon MSK and self-managed Apache Kafka',
};
