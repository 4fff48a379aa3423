/** DynamoDB Streams' defaults and knobs (src/connector/source-traits.ts); the facts cite reference §2 by key. */
import type { SourceTraits } from '../../src/connector/source-traits.js';

export const dynamoDbStreamsTraits: SourceTraits = {
  /** BatchSize default 100 [API-BS]. */
  defaultBatchSize: 100,
  /** MaximumBatchingWindowInSeconds default 0 [API-MBW]. */
  defaultBatchingWindowMs: 0,
  /** EventCount only [API-MC, DG-MET]. */
  metricGroups: ['EventCount'],
  /** No ProvisionedPollerConfig on DynamoDB Streams' parameter page [API-PPC]. */
  provisionedPollers: null,
  positioned: true,
  retryCapWithDestination: null,
  ownKafkaCluster: false,
  progress: 'checkpoint-store',
  label: 'DynamoDB Streams',
  awsLabel: 'Amazon DynamoDB Streams',
};
