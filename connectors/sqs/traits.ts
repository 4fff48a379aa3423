/** SQS's defaults and knobs (src/connector/source-traits.ts); the facts cite reference §2 by key. */
import type { SourceTraits } from '../../src/connector/source-traits.js';

export const sqsTraits: SourceTraits = {
  /** BatchSize default 10 [API-BS]. */
  defaultBatchSize: 10,
  /** MaximumBatchingWindowInSeconds default 0 [API-MBW]. */
  defaultBatchingWindowMs: 0,
  /** EventCount only: ErrorCount and KafkaMetrics are "(Amazon MSK and self-managed Apache Kafka)" [API-MC, DG-MET]. */
  metricGroups: ['EventCount'],
  /**
   * MinimumPollers 2–200 (default 2), MaximumPollers 2–2,000 (default 200) [API-PPC, Q-PARAM]. (One version of the API
   * reference allows up to 10,000; the developer guide and the SQS parameter page say 2,000 — reference §10 — and
   * 2,000 × 10 invokes is the "up to 20,000 concurrency" AWS announced.) Provisioned mode and maximum concurrency are
   * "mutually exclusive options" (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
   */
  provisionedPollers: {
    ranges: { minimum: { min: 2, max: 200 }, maximum: { min: 2, max: 2000 }, defaultMinimum: 2, defaultMaximum: 200 },
    article: 'an SQS',
    pollerGroupName: false,
    exclusiveWithMaximumConcurrency: true,
  },
  positioned: false,
  retryCapWithDestination: null,
  ownKafkaCluster: false,
  progress: 'per-record-ack',
  label: 'SQS',
  awsLabel: 'Amazon SQS',
};
