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
import type { MappingSourceConfig, SourceConfig } from '../config/types.js';
import { mappingAlreadyExistsMessage, resourceConflict, type LambdaApiError } from '../api/api-errors.js';
import { eventSourceArnOf } from '../api/esm-document.js';
import { isMappingSource, sourceDescriptorOf } from '../connector/source-descriptors.js';

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
      return resourceConflict(mappingAlreadyExistsMessage(conflictKind(candidate.source), sourceName(candidate.source), candidate.functionName, other.uuid));
    }
    const pair = mappingPair(candidate.source, other.source);
    const refusal = pair === null ? null : (sourceDescriptorOf(pair[0]).identity.conflict?.(pair[0], pair[1], other.uuid) ?? null);
    if (refusal !== null) return resourceConflict(refusal);
  }
  return null;
}

/** Same queue, stream, table, or Kafka cluster and topic (each source type's `identity.same`), or the same async queue. */
export function sameSource(a: SourceConfig, b: SourceConfig): boolean {
  const pair = mappingPair(a, b);
  if (pair !== null) return sourceDescriptorOf(pair[0]).identity.same(pair[0], pair[1]);
  return a.type === 'async-queue' && b.type === 'async-queue' && a.path === b.path && a.queue === b.queue;
}

/** Both, when they are mapping sources of one type (their descriptor compares them); else null. */
function mappingPair(a: SourceConfig, b: SourceConfig): readonly [MappingSourceConfig, MappingSourceConfig] | null {
  return isMappingSource(a) && isMappingSource(b) && a.type === b.type ? [a, b] : null;
}

function conflictKind(source: SourceConfig): 'sqs' | 'stream' {
  return isMappingSource(source) ? sourceDescriptorOf(source).identity.conflictKind : 'stream';
}

/** The source as AWS's message names it: its ARN, else its URL or name. */
function sourceName(source: SourceConfig): string {
  const arn = eventSourceArnOf(source);
  if (arn !== null) return arn;
  return isMappingSource(source) ? sourceDescriptorOf(source).identity.displayName(source) : source.queue;
}
