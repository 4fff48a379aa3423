/**
 * A connector: data plus a factory, registered explicitly in src/connector/registry.ts (DESIGN §3.1). Everything
 * the core needs to know about a source type lives here, so the core never switches on `source.type`: adding a
 * fifth source is one folder under connectors/ and one registry line (see ARCHITECTURE.md).
 */
import type { OnFailureDestinationConfig, SourceConfig } from '../config/types.js';
import type { PayloadKey } from '../filter/index.js';
import type { FailureRecordBuilder } from './failure-records.js';
import type { QueueProducer, Source, SourceContext, SourceRecord } from './types.js';

/** What filter patterns match a record against, and which of its keys holds the encoded payload. */
export interface FilterTarget {
  readonly target: Readonly<Record<string, unknown>>;
  readonly key: PayloadKey | null;
}

/** What a connector's on-failure record builder may use. */
export interface FailureRecordContext<C extends SourceConfig> {
  readonly config: C;
  readonly destination: OnFailureDestinationConfig;
  /** The source ARN, known once the source is open. */
  readonly sourceArn: () => string;
  /** The source's Lambda event for records (AWS's S3 / Kafka-topic records carry it as the payload). */
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
}

export interface ConnectorDefinition<C extends SourceConfig = SourceConfig> {
  /** `source.type` in YAML. */
  readonly type: C['type'];
  /** What one lane is called in logs and metric labels: a shard, a Kafka partition, an SQS poller. */
  readonly laneLabel: 'shard' | 'partition' | 'lane';
  /** The per-lane lag gauge the source reports (Lambda's IteratorAge for streams, OffsetLag for Kafka). */
  readonly lagMetric: 'iterator-age' | 'offset-lag' | null;
  /** The settle counter Lambda publishes for the source: DeletedEventCount (SQS), CommittedEventCount (Kafka), none. */
  readonly settledMetric: 'deleted' | 'committed' | null;
  /** The part of a record filter patterns address (reference §5). */
  filterTarget(record: SourceRecord): FilterTarget;
  /** Maps a non-string `batchItemFailures[].itemIdentifier` to a record id (Kafka's object form); absent: strings only. */
  readonly normalizeItemId?: (value: unknown) => string | null;
  /**
   * Builds AWS's on-failure record(s) for discarded records (reference §3.6); null when the source has no
   * on-failure destination (SQS uses the queue's redrive policy).
   */
  failureRecords(context: FailureRecordContext<C>): FailureRecordBuilder | null;
  /** Builds the source; lazy-loads its SDK; no I/O until `open()`. */
  create(config: C, context: SourceContext): Promise<Source>;
  /**
   * The writing side of a queue Tributary feeds itself (the embedded asynchronous-invocation queue, issue 14); absent
   * for sources only others write to. No I/O until the first call.
   */
  readonly openProducer?: (config: C, context: { readonly now: () => number }) => Promise<QueueProducer>;
}

export function defineConnector<C extends SourceConfig>(definition: ConnectorDefinition<C>): ConnectorDefinition<C> {
  return definition;
}
