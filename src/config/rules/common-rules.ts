/**
 * Rules shared by every source: AT_TIMESTAMP and its timestamp [API-CESM], and which on-failure
 * destination a source may use [API-OF, KF-OFD].
 */
import { show } from '../echo.js';
import { findSourceDescriptor } from '../../connector/source-descriptors.js';
import type { SourceTraits } from '../../connector/source-traits.js';
import { parseDestination } from '../destination-string.js';
import type { PathIssue } from '../field-path.js';
import { filterPatternIssues } from './filter-patterns.js';
import { filterPatternField } from '../schema/pipeline.js';
import { asRecord, isGiven, type PipelineView } from './pipeline-view.js';

/** What rules need besides the configuration. */
export interface RuleContext {
  /** The injected clock, epoch milliseconds. */
  readonly nowMs: number;
}

/** Issues every source shares (timestamps, destinations, filter patterns), paths relative to the pipeline. */
export function commonRules(view: PipelineView, context: RuleContext): PathIssue[] {
  const issues: PathIssue[] = [];
  // A mapping without a position of its own (SQS: no StartingPosition, its DLQ is the queue's) skips these two.
  const traits = findSourceDescriptor(view.sourceType)?.traits;
  if (traits?.positioned !== false) issues.push(...timestampRules(view, context));
  if (traits?.positioned !== false) issues.push(...destinationRules(view, traits));
  if (view.sourceType !== undefined) issues.push(...filterPatternIssues(filterPatterns(view), view.sourceType));
  return issues;
}

/** Each filter's pattern when the schema accepts it on its own, else undefined. */
function filterPatterns(view: PipelineView): (string | undefined)[] {
  const filters = asRecord(view.raw['filterCriteria'])['filters'];
  if (!Array.isArray(filters)) return [];
  return filters.map((filter: unknown) => filterPatternField.safeParse(asRecord(filter)['pattern']).data);
}

/**
 * "StartingPositionTimestamp: with StartingPosition set to AT_TIMESTAMP, the time from which to
 * start reading, in Unix time seconds. StartingPositionTimestamp cannot be in the future." [API-CESM]
 */
function timestampRules(view: PipelineView, context: RuleContext): PathIssue[] {
  const position = view.get('startingPosition');
  const hasTimestamp = view.has('startingPositionTimestamp');
  if (position === 'AT_TIMESTAMP' && !hasTimestamp) {
    return [{ path: ['startingPositionTimestamp'], message: 'is required with startingPosition AT_TIMESTAMP (Unix seconds)' }];
  }
  if (position !== 'AT_TIMESTAMP' && hasTimestamp) {
    return [{ path: ['startingPositionTimestamp'], message: 'is only allowed with startingPosition AT_TIMESTAMP' }];
  }
  const timestamp = view.get('startingPositionTimestamp');
  if (timestamp !== undefined && timestamp * 1000 > context.nowMs) {
    const now = Math.floor(context.nowMs / 1000);
    return [{ path: ['startingPositionTimestamp'], message: `must not be in the future (got ${timestamp}, now ${now})` }];
  }
  return [];
}

/**
 * Streams and Kafka: no FIFO queue [API-OF]. `kafka://<topic>` means the Kafka source's own cluster [KF-OFD], so
 * other sources must name the brokers (`kafka://host:port/<topic>`, a Tributary extension).
 */
function destinationRules(view: PipelineView, traits: SourceTraits | undefined): PathIssue[] {
  const destination = view.get('destinationConfig')?.onFailure.destination;
  if (destination === undefined) return [];
  const parsed = parseDestination(destination);
  if (!parsed.ok) return [];
  const path = ['destinationConfig', 'onFailure', 'destination'];
  if (parsed.ref.kind === 'sqs' && parsed.ref.fifo) {
    return [{ path, message: 'FIFO queues are not supported as on-failure destinations (use a standard queue), as on AWS' }];
  }
  // "an unsupported destination type, such as an Amazon SQS FIFO queue or an Amazon SNS FIFO topic"
  // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
  if (parsed.ref.kind === 'sns' && parsed.ref.fifo) {
    return [{ path, message: 'SNS FIFO topics are not supported as on-failure destinations (use a standard topic), as on AWS' }];
  }
  const endpoint = asRecord(asRecord(view.raw['destinationConfig'])['onFailure'])['endpoint'];
  if (isGiven(endpoint) && parsed.ref.kind !== 's3' && parsed.ref.kind !== 'sns') {
    return [{ path: ['destinationConfig', 'onFailure', 'endpoint'], message: `applies to S3 and SNS destinations only (an SQS URL is its own endpoint; got ${show(destination)})` }];
  }
  if (parsed.ref.kind === 'kafka' && parsed.ref.bootstrapServers === null && traits !== undefined && !traits.ownKafkaCluster) {
    return [
      {
        path,
        message: `kafka:// destinations are only for Kafka sources unless they name the brokers: kafka://host:port/${parsed.ref.topic} (got ${show(destination)})`,
      },
    ];
  }
  return [];
}
