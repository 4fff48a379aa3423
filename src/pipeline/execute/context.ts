/** What a batch executor needs from its pipeline and lane. */
import type { Logger } from 'pino';
import type { FailureRecordBuilder } from '../../connector/failure-records.js';
import type { SourceRecord } from '../../connector/types.js';
import type { PipelineConfig } from '../../config/types.js';
import type { TypedEmitter } from '../../observability/events.js';
import type { Metrics } from '../../observability/metrics.js';
import type { LaneTracer } from '../../observability/tracing/types.js';
import type { BackoffOptions } from '../../policy/backoff.js';
import type { FunctionRunner } from '../../runner/types.js';
import type { RecordMatcher } from '../record-matcher.js';
import type { DiscardTarget } from './discard.js';

export interface ExecutorContext {
  readonly pipeline: PipelineConfig;
  /** The lane: shard id, `topic-partition`, or SQS poller id. */
  readonly lane: string;
  /** Logger with the pipeline and the lane (`shard`, `partition` or `lane`). */
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly matcher: RecordMatcher;
  readonly runner: FunctionRunner;
  readonly now: () => number;
  readonly random: () => number;
  /** The source's Lambda event for records of this lane. */
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
  /** Set IteratorAge (streams) from the newest record of each invocation. */
  readonly iteratorAge: boolean;
  /** Aborted when shutdown runs out of time (or the lane is lost): in-flight invocations end, records return. */
  readonly invokeSignal: AbortSignal;
  /** Aborted on a graceful stop: no new retry starts; the unsettled rest is read again after a restart. */
  readonly stopSignal: AbortSignal;
  /** Lambda's LastProcessingResult after each batch: `OK` or `PROBLEM: …`. */
  readonly report: (result: string) => void;
  /** Spans of this lane's reads, invocations and settles (README "Tracing"); absent: tracing is off. */
  readonly tracer?: LaneTracer | undefined;
}

/** A stream (in-place retry) executor also needs the on-failure side. */
export interface StreamExecutorContext extends ExecutorContext {
  readonly failureRecords: FailureRecordBuilder | null;
  readonly destination: DiscardTarget | null;
  /** The function's ARN in on-failure records. */
  readonly functionArn: string;
  /** Maps a non-string batchItemFailures identifier (Kafka's object form) to a record id. */
  readonly normalizeItemId?: ((value: unknown) => string | null) | undefined;
  /**
   * How long the source keeps records (Kinesis RetentionPeriodHours, DynamoDB Streams 24 h, Kafka retention.ms):
   * with infinite retries and record age, a record is retried until it would have expired there. Null: unknown.
   */
  readonly retentionMs: number | null;
  /** Back-off between in-place retries (default: DEFAULT_BACKOFF, 1 s doubling to 60 s). */
  readonly backoff?: BackoffOptions | undefined;
  /**
   * Waits `ms` or until `signal` aborts, never rejecting: the retry back-off and the on-failure re-delivery back-off.
   * Injected with `now` so a test drives both on one fake clock; default: the kit's timer sleep.
   */
  readonly sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}
