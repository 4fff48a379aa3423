/**
 * The asking side of KCL 3.x's graceful hand-over: instead of stealing a lease from a worker that answers, ask for it
 * (`requestHandoff`) and look again soon; the owner transfers it once its batch is checkpointed (lease-manager.ts).
 */
import { errorMessage } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { CheckpointStore } from './types.js';

export interface HandoffDeps {
  readonly store: CheckpointStore;
  readonly pipeline: string;
  readonly workerId: string;
  readonly logger: Logger;
  /** When to run the next take cycle after asking (the transfer is usually quick). */
  readonly recheckAfterMs: number;
  readonly rebalance: () => Promise<void>;
}

export interface HandoffRequest {
  readonly shardId: string;
  readonly from: string;
  /** Who already asked for it, as listed (null: nobody). */
  readonly pending: string | null;
}

export async function askForLease(deps: HandoffDeps, request: HandoffRequest, signal: AbortSignal): Promise<void> {
  if (request.pending !== null) return; // asked already (by us or another worker); the owner will answer
  const asked = await deps.store.requestHandoff(deps.pipeline, request.shardId, deps.workerId, request.from, signal).catch((error: unknown) => {
    if (!signal.aborted) deps.logger.warn({ shard: request.shardId, err: errorMessage(error) }, 'hand-over request failed');
    return false;
  });
  if (!asked) return;
  deps.logger.info({ shard: request.shardId, from: request.from }, 'asked for a lease (graceful hand-over)');
  const timer = setTimeout(() => void deps.rebalance(), deps.recheckAfterMs);
  timer.unref();
}
