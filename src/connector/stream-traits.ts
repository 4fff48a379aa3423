/**
 * The traits Kinesis and DynamoDB Streams share (./source-traits.ts): BatchSize 100 [API-BS], window 0 [API-MBW],
 * EventCount only [API-MC, DG-MET], no ProvisionedPollerConfig on their parameter pages [API-PPC], a starting
 * position and an on-failure destination of the mapping's own, checkpoints and leases in Tributary's store.
 */
import type { SourceTraits } from './source-traits.js';

export function streamSourceTraits(names: Pick<SourceTraits, 'label' | 'awsLabel'>): SourceTraits {
  return {
    defaultBatchSize: 100,
    defaultBatchingWindowMs: 0,
    metricGroups: ['EventCount'],
    provisionedPollers: null,
    positioned: true,
    retryCapWithDestination: null,
    ownKafkaCluster: false,
    progress: 'checkpoint-store',
    ...names,
  };
}
