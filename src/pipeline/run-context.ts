/**
 * What the lane assigners of one pipeline run share: the connector and its open source, the function, the
 * pipeline's signals, and the supervisor's health reporting. Built once per run (an enabled period) by
 * pipeline-run.ts.
 */
import type { Logger } from 'pino';
import type { ConnectorDefinition } from '../connector/definition.js';
import type { FailureRecordBuilder } from '../connector/failure-records.js';
import type { Source, SourceRecord } from '../connector/types.js';
import type { PipelineConfig } from '../config/types.js';
import type { TypedEmitter } from '../observability/events.js';
import type { Metrics } from '../observability/metrics.js';
import type { PipelineTracer } from '../observability/tracing/types.js';
import type { BackoffOptions } from '../policy/backoff.js';
import type { FunctionRunner } from '../runner/types.js';
import type { ExecutorContext, StreamExecutorContext } from './execute/context.js';
import type { DiscardTarget } from './execute/discard.js';
import type { QueueExecutor } from './execute/queue-executor.js';
import type { RecordMatcher } from './record-matcher.js';
import type { Health } from './supervise/health.js';

export interface RunContext {
  readonly config: PipelineConfig;
  readonly connector: ConnectorDefinition;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly matcher: RecordMatcher;
  readonly runner: FunctionRunner;
  readonly now: () => number;
  readonly random: () => number;
  /** Aborted on stop / disable: no new reads, no new retries. */
  readonly stopSignal: AbortSignal;
  /** Aborted when the shutdown timeout runs out: in-flight invocations end. */
  readonly invokeSignal: AbortSignal;
  readonly health: Health;
  /** Lambda's LastProcessingResult. */
  readonly report: (result: string) => void;
  /** Records a failure of Tributary itself (logs, `/status`, the `error` event). */
  readonly recordError: (error: unknown, fallbackCode: string) => void;
  readonly destination: DiscardTarget | null;
  readonly failureRecords: FailureRecordBuilder | null;
  readonly functionArn: string;
  /** Back-off between in-place retries; default 1 s doubling to 60 s (AWS does not document its intervals). */
  readonly backoff?: BackoffOptions;
  /** How a queue source's lanes run a batch; default the ack executor (Lambda's SQS rules). */
  readonly queueExecutor?: QueueExecutor;
  /** The pipeline's tracer (README "Tracing"); absent: tracing is off. */
  readonly tracer?: PipelineTracer;
}

/** The executor context of one lane (without the lane's own signals). */
export function executorFor(run: RunContext, source: Source, lane: string, logger: Logger): Omit<StreamExecutorContext, 'invokeSignal' | 'stopSignal'> {
  return {
    pipeline: run.config,
    lane,
    logger,
    metrics: run.metrics,
    events: run.events,
    matcher: run.matcher,
    runner: run.runner,
    now: run.now,
    random: run.random,
    toEvent: (records: readonly SourceRecord[]) => source.toEvent(records),
    iteratorAge: run.connector.lagMetric === 'iterator-age',
    report: run.report,
    failureRecords: run.failureRecords,
    destination: run.destination,
    functionArn: run.functionArn,
    normalizeItemId: run.connector.normalizeItemId,
    retentionMs: source.retentionMs,
    backoff: run.backoff,
    tracer: run.tracer?.lane(lane),
  };
}

/** A lane's logger: the pipeline's, with the lane under the connector's label (`shard`, `partition`, `lane`). */
export function laneLogger(run: RunContext, lane: string): Logger {
  return run.logger.child({ [run.connector.laneLabel]: lane });
}

export type { ExecutorContext };
