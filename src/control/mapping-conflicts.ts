/**
 * The checks AWS makes across mappings when one is created or changed. Pure: every mapping (the file's and the
 * API's, on every replica) in, the refusal out.
 *
 * - The same source mapped to the same function twice: ResourceConflictException, with AWS's message naming the
 *   existing mapping ("… already exists. Please update or delete the existing mapping with UUID …", as LocalStack's
 *   provider records it against AWS). A source is the same queue (name, and account when both URLs/ARNs tell it),
 *   the same stream or table (name, and region when both tell it), or the same Kafka cluster (cluster ARN, or a
 *   shared bootstrap server) with a shared topic.
 * - A Kafka consumer group is "unique to this ESM" (reference §2.4, KF-CG): a second mapping that names a group
 *   another one uses on the same cluster would split the partitions with it and each would see half the records —
 *   refused with ResourceConflictException (`tributary validate` refuses the same within the file).
 */
import { sqsQueueRef } from '../config/aws-resources.js';
import type { KafkaSourceConfig, SourceConfig } from '../config/types.js';
import { mappingAlreadyExistsMessage, resourceConflict, type LambdaApiError } from '../api/api-errors.js';
import { eventSourceArnOf } from '../api/esm-document.js';

/** One mapping as the checks see it. */
export interface MappedSource {
  readonly uuid: string;
  readonly functionName: string;
  readonly source: SourceConfig;
}

/** The refusal of `candidate` among `others` (itself excluded by UUID), or null when it may be stored. */
export function mappingConflict(candidate: MappedSource, others: readonly MappedSource[]): LambdaApiError | null {
  for (const other of others) {
    if (other.uuid === candidate.uuid) continue;
    if (other.functionName === candidate.functionName && sameSource(candidate.source, other.source)) {
      const kind = candidate.source.type === 'sqs' ? 'sqs' : 'stream';
      return resourceConflict(mappingAlreadyExistsMessage(kind, sourceName(candidate.source), candidate.functionName, other.uuid));
    }
    if (candidate.source.type === 'kafka' && other.source.type === 'kafka' && sharesConsumerGroup(candidate.source, other.source)) {
      return resourceConflict(
        `The consumer group ${candidate.source.consumerGroupId} is already used on this Kafka cluster by the event source mapping with UUID ${other.uuid}; ` +
          'a consumer group must be unique to one event source mapping',
      );
    }
  }
  return null;
}

/** Same queue, stream, table, or Kafka cluster and topic. */
export function sameSource(a: SourceConfig, b: SourceConfig): boolean {
  switch (a.type) {
    case 'sqs': {
      if (b.type !== 'sqs') return false;
      const left = sqsQueueRef(a.queueArn ?? a.queueUrl);
      const right = sqsQueueRef(b.queueArn ?? b.queueUrl);
      return left !== null && right !== null && left.name === right.name && agree(left.accountId, right.accountId);
    }
    case 'kinesis':
      return b.type === 'kinesis' && a.streamName !== null && a.streamName === b.streamName && agree(a.region, b.region);
    case 'dynamodb-streams':
      return b.type === 'dynamodb-streams' && a.tableName !== null && a.tableName === b.tableName && agree(a.region, b.region);
    case 'kafka':
      return b.type === 'kafka' && sameCluster(a, b) && a.topics.some((topic) => b.topics.includes(topic));
    case 'async-queue':
      return b.type === 'async-queue' && a.path === b.path && a.queue === b.queue;
  }
}

function sharesConsumerGroup(a: KafkaSourceConfig, b: KafkaSourceConfig): boolean {
  return a.consumerGroupId === b.consumerGroupId && sameCluster(a, b);
}

function sameCluster(a: KafkaSourceConfig, b: KafkaSourceConfig): boolean {
  if (a.clusterArn !== null && b.clusterArn !== null) return a.clusterArn === b.clusterArn;
  return a.bootstrapServers.some((server) => b.bootstrapServers.includes(server));
}

/** Two optional facts agree unless both are known and differ. */
function agree(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

/** The source as AWS's message names it: its ARN, else its URL or name. */
function sourceName(source: SourceConfig): string {
  const arn = eventSourceArnOf(source);
  if (arn !== null) return arn;
  switch (source.type) {
    case 'sqs':
      return source.queueUrl;
    case 'kinesis':
      return source.streamName ?? '';
    case 'dynamodb-streams':
      return source.tableName ?? '';
    case 'kafka':
      return `${source.bootstrapServers.join(',')}/${source.topics.join(',')}`;
    case 'async-queue':
      return source.queue;
  }
}
