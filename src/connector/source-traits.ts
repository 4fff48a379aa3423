/**
 * What a source type declares besides its schema and ESM mapping (./source-descriptor.ts): AWS's defaults and knobs
 * for it, its cross-field config rules, and how the cross-mapping checks tell two of its sources apart. Data and
 * pure functions only. The core reads these instead of switching on `source.type` (DESIGN §3.1).
 */
import type { PollerRanges } from '../config/defaults.js';
import type { PathIssue } from '../config/field-path.js';
import type { PipelineView } from '../config/rules/pipeline-view.js';
import type { MappingSourceConfig, MetricGroup } from '../config/types.js';

/** AWS's defaults and which knobs apply, for one source type (reference §2; every value cites its source there). */
export interface SourceTraits {
  /** BatchSize when not given [API-BS]. */
  readonly defaultBatchSize: number;
  /** MaximumBatchingWindowInSeconds when not given, in milliseconds [API-MBW]. */
  readonly defaultBatchingWindowMs: number;
  /** The MetricsConfig groups AWS defines for this source [API-MC, DG-MET]. */
  readonly metricGroups: readonly MetricGroup[];
  /** ProvisionedPollerConfig, or null when the source has no provisioned mode (its parameter page has none). */
  readonly provisionedPollers: ProvisionedPollerTraits | null;
  /**
   * Whether the mapping itself has a starting position and an on-failure destination (streams and Kafka). An SQS
   * mapping has neither: the queue is read from where it is, and its DLQ is the queue's own redrive policy.
   */
  readonly positioned: boolean;
  /** With MaximumRetryAttempts -1 and an OnFailure destination, the effective cap (Kafka: 10 [KF-RETRY]); else null. */
  readonly retryCapWithDestination: number | null;
  /** Whether a `kafka://topic` destination without brokers means the source's own cluster (Kafka only). */
  readonly ownKafkaCluster: boolean;
  /**
   * How its progress is kept (DESIGN §3.1 capabilities): checkpoints and leases in Tributary's store (streams; a
   * deleted mapping's rows are removed), the broker's commits (Kafka), or per-record deletes (SQS).
   */
  readonly progress: 'checkpoint-store' | 'native-commit' | 'per-record-ack';
  /** The source's name in messages: `Kinesis`, `DynamoDB Streams`. */
  readonly label: string;
  /** The AWS services the source type stands for, in messages: `Amazon MSK and self-managed Apache Kafka`. */
  readonly awsLabel: string;
}

/** Provisioned mode of a source type [API-PPC]. */
export interface ProvisionedPollerTraits {
  readonly ranges: PollerRanges;
  /** `an SQS`, `a Kafka`: the source in range messages. */
  readonly article: string;
  /** PollerGroupName applies ("Amazon MSK and self-managed Apache Kafka" only). */
  readonly pollerGroupName: boolean;
  /** Provisioned mode and ScalingConfig.MaximumConcurrency are mutually exclusive (SQS). */
  readonly exclusiveWithMaximumConcurrency: boolean;
}

/** What the cross-mapping checks (src/control/mapping-conflicts.ts) need of one source type. Pure. */
export interface SourceIdentity<C extends MappingSourceConfig> {
  /** Whether `a` and `b` read the same queue, stream, table, or cluster and topic. */
  same(a: C, b: C): boolean;
  /** The source as AWS's "already exists" message names it when it has no ARN: its URL or name. */
  displayName(config: C): string;
  /** Which of AWS's two "already exists" messages applies. */
  readonly conflictKind: 'sqs' | 'stream';
  /** A refusal besides the same source, e.g. a Kafka consumer group another mapping on the cluster uses; or null. */
  conflict?(candidate: C, other: C, otherUuid: string): string | null;
}

/** Cross-field rules of one pipeline reading this source; paths relative to the pipeline. */
export type SourceRules = (view: PipelineView) => PathIssue[];
