/**
 * The tracer the lane engine talks to (README "Tracing"). The engine knows only these few calls; the OpenTelemetry
 * SDK behind them lives in this folder and is loaded only when tracing is configured (./start.ts). When it is off,
 * every call is a no-op ({@link NOOP_TRACING}) and the runners make the trace header Lambda gives an untraced
 * invocation themselves (src/runner/trace-id.ts).
 *
 * Spans (OpenTelemetry messaging semantic conventions, https://opentelemetry.io/docs/specs/semconv/messaging/):
 * - `process <destination>` (CONSUMER): one invocation of the function with a batch; linked to the producers'
 *   trace contexts the records carry (a batch has many producers, so links, not a parent).
 * - `receive <destination>` (CLIENT): one read of a lane that returned records (an empty long poll makes none).
 * - `delete` / `checkpoint` / `commit <destination>` (CLIENT): a queue batch settled (SQS DeleteMessageBatch and
 *   visibility changes), an ordered lane's progress stored (a lease checkpoint, a Kafka offset commit).
 */
import type { SourceRecord } from '../../connector/types.js';
import type { InvokeResult } from '../../runner/types.js';

/** The trace context the function gets for one invocation (what Lambda hands a handler). */
export interface InvocationTrace {
  /** X-Ray header `Root=1-…;Parent=…;Sampled=…`: `_X_AMZN_TRACE_ID`, `context.xRayTraceId`, `X-Amzn-Trace-Id`. */
  readonly xRay: string;
  /** The same context as a W3C `traceparent`, for targets that speak it (the http runner sends both headers). */
  readonly traceparent: string;
}

export interface InvocationSpan {
  /** Null when tracing is off: the runner then makes an unsampled header of its own, as before. */
  readonly trace: InvocationTrace | null;
  /** Ends the span with the invocation's result (an error result sets the span's status to ERROR). */
  end(result: InvokeResult): void;
}

/** What one read returned. */
export type ReceiveOutcome = { readonly kind: 'records'; readonly records: readonly SourceRecord[] } | { readonly kind: 'failed'; readonly error: unknown };

/** A read in progress: its span is made when it ends, and only if it returned records or failed. */
export interface ReceiveSpan {
  end(outcome: ReceiveOutcome): void;
}

/** What a settle stores: a queue batch's records, or an ordered lane's progress (position and records it settles). */
export type SettleTarget =
  | { readonly kind: 'ack'; readonly done: readonly SourceRecord[]; readonly redeliver: readonly SourceRecord[] }
  | { readonly kind: 'progress'; readonly position: string | null; readonly settled: number };

export type SettleOutcome = { readonly kind: 'ok' } | { readonly kind: 'failed'; readonly reason: string; readonly error?: unknown };

export interface SettleSpan {
  end(outcome: SettleOutcome): void;
}

/** The tracer of one lane (an SQS poller, a shard, a Kafka partition). */
export interface LaneTracer {
  /** Starts the span of one invocation; `requestId` is the invocation's `context.awsRequestId`. */
  invocation(records: readonly SourceRecord[], requestId: string): InvocationSpan;
  receive(): ReceiveSpan;
  settle(target: SettleTarget): SettleSpan;
}

/** What spans of a pipeline say about it; built once per run by pipeline-run.ts. */
export interface PipelineFacts {
  readonly pipeline: string;
  /** The event source mapping UUID (`aws.lambda.resource_mapping.id`). */
  readonly mappingUuid: string;
  /** `source.type`: picks the messaging system and where producers' trace contexts are in a record. */
  readonly sourceType: string;
  /** How the source settles: `queue` deletes, `stream` checkpoints, `group` commits. */
  readonly sourceKind: 'queue' | 'stream' | 'group';
  readonly sourceArn: string;
  /** The source's AWS region; null when it is not in AWS (self-managed Kafka). */
  readonly region: string | null;
  readonly functionName: string;
  readonly functionArn: string;
  /** The Kafka consumer group; null for other sources. */
  readonly consumerGroup: string | null;
}

export interface PipelineTracer {
  lane(lane: string): LaneTracer;
}

/** The service's tracing: one tracer per pipeline run, flushed and closed on shutdown. */
export interface Tracing {
  /** False for {@link NOOP_TRACING}: nothing is recorded or exported. */
  readonly enabled: boolean;
  forPipeline(facts: PipelineFacts): PipelineTracer;
  /** Exports what is still buffered and closes the exporter; idempotent. */
  shutdown(): Promise<void>;
}

const NOOP_INVOCATION: InvocationSpan = { trace: null, end: () => undefined };
const NOOP_END = { end: () => undefined };
export const NOOP_LANE_TRACER: LaneTracer = {
  invocation: () => NOOP_INVOCATION,
  receive: () => NOOP_END,
  settle: () => NOOP_END,
};
const NOOP_PIPELINE: PipelineTracer = { lane: () => NOOP_LANE_TRACER };

/** Tracing off: no SDK loaded, no span, no export. */
export const NOOP_TRACING: Tracing = {
  enabled: false,
  forPipeline: () => NOOP_PIPELINE,
  shutdown: async () => undefined,
};
