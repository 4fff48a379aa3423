/**
 * When two Kafka mappings clash (src/connector/source-traits.ts SourceIdentity): the same cluster (cluster ARN, or a
 * shared bootstrap server) with a shared topic is the same source; a consumer group is "unique to this ESM"
 * (reference §2.4, KF-CG) — a second mapping naming a group another one uses on the same cluster would split the
 * partitions with it and each would see half the records.
 */
import type { KafkaSourceConfig } from '../../src/connector/config.js';
import type { SourceIdentity } from '../../src/connector/source-traits.js';

function sameCluster(a: KafkaSourceConfig, b: KafkaSourceConfig): boolean {
  if (a.clusterArn !== null && b.clusterArn !== null) return a.clusterArn === b.clusterArn;
  return a.bootstrapServers.some((server) => b.bootstrapServers.includes(server));
}

export const kafkaIdentity: SourceIdentity<KafkaSourceConfig> = {
  same: (a, b) => sameCluster(a, b) && a.topics.some((topic) => b.topics.includes(topic)),
  displayName: (config) => `${config.bootstrapServers.join(',')}/${config.topics.join(',')}`,
  conflictKind: 'stream',
  conflict(candidate, other, otherUuid) {
    if (candidate.consumerGroupId !== other.consumerGroupId || !sameCluster(candidate, other)) return null;
    return (
      `The consumer group ${candidate.consumerGroupId} is already used on this Kafka cluster by the event source mapping with UUID ${otherUuid}; ` +
      'a consumer group must be unique to one event source mapping'
    );
  },
};
