/**
 * How a lane of a `queue` source runs one batch (DESIGN §3.1): by default the per-record-ack executor — Lambda's SQS
 * mapping rules, one invocation per batch, one settlement after it (ack-executor.ts). An internal pipeline may bring
 * its own: the asynchronous-invocation executor (async-executor.ts) invokes every event on its own and settles each
 * as soon as it is decided. Either way the lane reads its next batch only once the executor returned.
 */
import type { Settlement, SourceRecord } from '../../connector/types.js';
import type { ExecutorContext } from './context.js';

export interface QueueBatchOutcome {
  /** The function failed on the whole batch: the lane backs off before reading again. */
  readonly functionFailed: boolean;
}

/** Runs `batch` to its end; `settle` carries a settlement out (retried by the lane; never rejects). */
export type QueueExecutor = (ctx: ExecutorContext, batch: readonly SourceRecord[], settle: (settlement: Settlement) => Promise<void>) => Promise<QueueBatchOutcome>;
