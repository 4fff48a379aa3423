/**
 * Admission before receive (queue pollers): a poller whose function is at its reserved concurrency waits for a
 * place BEFORE it receives, instead of receiving a batch and then waiting for a slot with the messages in hand.
 * Received-but-waiting messages burn visibility time and — when the wait ends without an invocation (stop, disable)
 * — a receive count, which with a redrive policy of `maxReceiveCount: 1` sends them to the DLQ unprocessed (the
 * over-polling complaint of AWS's SQS mappings, whose pollers scale "not tied to function reserved concurrency":
 * reference/aws-esm-semantics.md §6 and §8 #2, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html,
 * https://medium.com/@zaccharles/lambda-concurrency-limits-and-sqs-triggers-dont-mix-well-sometimes-eb23d90122e0).
 * Cost: an idle long poll holds a place, so another mapping of the same reserved function receives after it (at
 * most one long poll, 20 s, later); synchronous Invoke never waits for it (functions/gated-runner.ts).
 *
 * The admission is taken at the first read of a batch and held until the batch is settled (`release`), or handed
 * back when the read came back empty (the poller goes idle) and when the lane ends.
 */
import type { AdmissionSlot } from '../../runner/types.js';
import type { LaneReadFn } from './lane-loop.js';
import { EMPTY_READ } from './resilient-read.js';

export interface AdmittedRead {
  readonly read: LaneReadFn;
  /** Gives the admission back (after a batch was settled, an empty read, or when the lane ends). Idempotent. */
  readonly release: () => void;
}

/**
 * `read`, admitted by `admit` (the function runner's, absent for a function without reserved concurrency); an
 * admission refused because `signal` aborted reads as empty, so the lane loop sees the stop and ends.
 */
export function admittedRead(read: LaneReadFn, admit: ((signal: AbortSignal) => Promise<AdmissionSlot | null>) | undefined, signal: AbortSignal): AdmittedRead {
  if (admit === undefined) return { read, release: () => undefined };
  let held: AdmissionSlot | null = null;
  return {
    read: async (maxRecords, waitMs) => {
      if (held === null) {
        const slot = await admit(signal);
        if (slot === null) return EMPTY_READ;
        held = slot;
      }
      return read(maxRecords, waitMs);
    },
    release: () => {
      held?.release();
      held = null;
    },
  };
}
