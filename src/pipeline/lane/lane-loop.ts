/**
 * The one lane loop of the engine (DESIGN §3.1), for every source: read → batch (batchSize · window · 6 MB) →
 * execute → read again, and only after the batch settled (backpressure, ordering). What differs per source is
 * injected: the read (an SQS poller, a shard or a key lane of one, a Kafka partition buffer), the batch executor
 * (filter, invoke, settle — per-record ack or in-place stream policy) and hooks for elastic scaling and idle work.
 *
 * A lane never dies silently: an unexpected exception ends the loop with `crashed` and every record it held
 * (the batch in flight and what was read ahead), so the supervisor can release them and replace the lane.
 */
import type { LaneRead, SourceRecord } from '../../connector/types.js';
import { MAX_PAYLOAD_BYTES, collectBatch } from '../batcher.js';

export interface LaneBatching {
  readonly batchSize: number;
  readonly windowMs: number;
  /** Most records one read returns. */
  readonly pageSize: number;
  /** How long a read may wait when there is no window to wait for (long poll / idle poll), ms. */
  readonly idleWaitMs: number;
  /** Payload cap of one invocation (6 MB, minus the event's envelope where the source knows it). */
  readonly maxPayloadBytes?: number;
}

/** Reads for the lane; failures are handled by the reader (see resilient-read.ts), so this does not throw. */
export type LaneReadFn = (maxRecords: number, waitMs: number) => Promise<LaneRead>;

/** After a batch: go on, or stop the lane (interrupted by stop, or the lane was lost). */
export type BatchEnd = 'next' | 'stop';

/** When a collected batch is empty: wait for the next one, retire (elastic lanes), or stop. */
export type IdleDecision = 'continue' | 'retire' | 'stop';

export interface LaneLoopOptions {
  readonly read: LaneReadFn;
  readonly batching: LaneBatching;
  /** Aborted on stop (and when the lane is lost): no new batch starts. */
  readonly signal: AbortSignal;
  readonly now: () => number;
  /** Runs one batch to its end: filter, invoke (with the policy's retries), settle. */
  readonly execute: (batch: readonly SourceRecord[]) => Promise<BatchEnd>;
  /** A batch was collected; `lastReadCount` is what its last read returned (a full page signals a backlog). */
  readonly onCollected?: (lastReadCount: number) => void;
  readonly onIdle?: () => Promise<IdleDecision>;
  /**
   * Cuts the collected batch before index i (1 ≤ i < length) when it returns i: the rest is carried to the next
   * batch. Used to start a new segment at a record whose restored retry count differs (retry-marks.ts).
   */
  readonly cut?: (batch: readonly SourceRecord[]) => number | null;
}

export type LaneExit =
  /** Stopped (signal) or told to stop by the executor; `held` were read but never executed. */
  | { readonly kind: 'stopped'; readonly held: readonly SourceRecord[] }
  /** The lane's records are exhausted for good (shard end) and every batch was executed. */
  | { readonly kind: 'ended' }
  /** An elastic lane that is not needed any more. */
  | { readonly kind: 'retired' }
  /** A bug or an unexpected failure: `held` is everything the lane had read and not settled. */
  | { readonly kind: 'crashed'; readonly error: unknown; readonly held: readonly SourceRecord[] };

export async function runLaneLoop(options: LaneLoopOptions): Promise<LaneExit> {
  const { batching, signal } = options;
  let carry: readonly SourceRecord[] = [];
  let inFlight: readonly SourceRecord[] = [];
  let ended = false;
  const read = async (maxRecords: number, waitMs: number): Promise<readonly SourceRecord[]> => {
    if (ended) return [];
    const result = await options.read(maxRecords, waitMs);
    if (result.end) ended = true;
    return result.records;
  };
  try {
    while (!signal.aborted) {
      const collected = await collectBatch(read, carry, {
        batchSize: batching.batchSize,
        windowMs: batching.windowMs,
        pageSize: batching.pageSize,
        maxPayloadBytes: batching.maxPayloadBytes ?? MAX_PAYLOAD_BYTES,
        idleWaitMs: batching.idleWaitMs,
        now: options.now,
        signal,
        ended: () => ended,
      });
      let batch = collected.batch;
      carry = collected.carry;
      const at = batch.length > 1 ? options.cut?.(batch) ?? null : null;
      if (at !== null && at > 0 && at < batch.length) {
        carry = [...batch.slice(at), ...carry];
        batch = batch.slice(0, at);
      }
      if (batch.length === 0) {
        if (ended && carry.length === 0) return { kind: 'ended' };
        if (signal.aborted) break;
        // A reader that answers at once when it has nothing must not starve the event loop (timers, heartbeats).
        await new Promise<void>((resolve) => setImmediate(resolve));
        const decision = (await options.onIdle?.()) ?? 'continue';
        if (decision === 'retire') return carry.length === 0 ? { kind: 'retired' } : { kind: 'stopped', held: carry };
        if (decision === 'stop') break;
        continue;
      }
      options.onCollected?.(collected.lastReadCount);
      inFlight = batch;
      const end = await options.execute(batch);
      inFlight = [];
      if (end === 'stop') break;
    }
    return { kind: 'stopped', held: [...inFlight, ...carry] };
  } catch (error) {
    return { kind: 'crashed', error, held: [...inFlight, ...carry] };
  }
}
