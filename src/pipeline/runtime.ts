/** What a pipeline runs once its source is open: elastic pollers (SQS) or leased shards (streams). */
import type { Logger } from 'pino';
import type { PipelineConfig } from '../config/types.js';
import type { TypedEmitter } from '../observability/events.js';
import type { Metrics } from '../observability/metrics.js';
import type { FunctionRunner } from '../runner/types.js';
import type { RecordMatcher } from './record-matcher.js';

export interface SourceRuntime {
  start(): Promise<void>;
  /** Lanes running now (pollers, owned shards). */
  lanes(): number;
  /** Resolves when every lane has finished after the stop signal (and, for streams, leases were handed over). */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Shared by both runtimes. */
export interface RuntimeContext {
  readonly config: PipelineConfig;
  readonly runner: FunctionRunner;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly matcher: RecordMatcher;
  readonly now: () => number;
  readonly random: () => number;
  /** Aborted on stop: no new reads, no new retries. */
  readonly stopSignal: AbortSignal;
  /** Aborted when the shutdown timeout runs out: in-flight invocations end. */
  readonly invokeSignal: AbortSignal;
  /** Called after each batch: 'OK' or 'PROBLEM: …' (Lambda's LastProcessingResult). */
  readonly report: (result: string) => void;
  readonly recordError: (error: unknown, fallbackCode: string) => void;
}
