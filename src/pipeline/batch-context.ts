/** What a batch executor needs from its pipeline. */
import type { Logger } from 'pino';
import type { PipelineConfig } from '../config/types.js';
import type { TypedEmitter } from '../observability/events.js';
import type { Metrics } from '../observability/metrics.js';
import type { RecordMatcher } from './record-matcher.js';

export interface BatchContext {
  readonly pipeline: PipelineConfig;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly logger: Logger;
  readonly matcher: RecordMatcher;
  readonly now: () => number;
  /** Aborted when shutdown runs out of time: in-flight invocations end as timeouts and their records return. */
  readonly invokeSignal: AbortSignal;
}
