/**
 * Collects one batch for a lane: Lambda invokes when the batch size is reached, the batching window ends,
 * or the payload would pass 6 MB — whichever comes first.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html#invocation-eventsourcemapping-batching
 *
 * Pure apart from the injected `read` and clock: no I/O of its own.
 */

/** Lambda's synchronous invocation payload limit; not configurable on AWS. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Bytes of `{"Records":[` … `]}` around the records, plus commas (counted per record). */
const ENVELOPE_BYTES = 64;
/** Longest single long poll SQS allows (WaitTimeSeconds 20). */
export const MAX_LONG_POLL_MS = 20_000;

export interface BatchRecord {
  readonly sizeBytes: number;
}

export interface BatcherOptions {
  readonly batchSize: number;
  readonly windowMs: number;
  /** Most records one read may return (SQS 10, Kinesis 10,000). */
  readonly pageSize: number;
  readonly maxPayloadBytes: number;
  /** Long-poll time for a read when there is nothing to wait for (window 0 or empty batch). */
  readonly idleWaitMs: number;
  readonly now: () => number;
  readonly signal: AbortSignal;
  /** True once the lane has nothing more to read, ever (a shard read to its end): stop waiting for the window. */
  readonly ended?: () => boolean;
}

export type ReadFn<R> = (maxRecords: number, waitMs: number) => Promise<readonly R[]>;

export interface CollectResult<R> {
  readonly batch: readonly R[];
  /** Records read but left for the next batch (size cap); the lane keeps them in flight. */
  readonly carry: readonly R[];
  /** How many records the last read returned: a full page signals a backlog (used for scaling). */
  readonly lastReadCount: number;
}

/**
 * Read until the batch is complete. `carry` is what the previous batch left over; it always goes first.
 * A record bigger than the cap on its own is still returned alone (the source decides what to do with it).
 */
export async function collectBatch<R extends BatchRecord>(read: ReadFn<R>, carry: readonly R[], options: BatcherOptions): Promise<CollectResult<R>> {
  const batch: R[] = [];
  const rest: R[] = [];
  let bytes = ENVELOPE_BYTES;
  let full = false;
  const add = (record: R): void => {
    const size = record.sizeBytes + 1;
    if (full || batch.length >= options.batchSize || (batch.length > 0 && bytes + size > options.maxPayloadBytes)) {
      full = true;
      rest.push(record);
      return;
    }
    batch.push(record);
    bytes += size;
  };
  carry.forEach(add);
  const deadline = options.now() + options.windowMs;
  let lastReadCount = 0;
  const ended = options.ended ?? ((): boolean => false);
  while (!full && batch.length < options.batchSize && !options.signal.aborted && !ended()) {
    const remaining = deadline - options.now();
    if (batch.length > 0 && remaining <= 0) break;
    // With an empty batch, wait as long as a long poll allows; otherwise only for what is left of the window.
    const waitMs = batch.length === 0 ? Math.max(Math.min(remaining, MAX_LONG_POLL_MS), options.windowMs === 0 ? options.idleWaitMs : 0) : Math.max(0, remaining);
    const records = await read(Math.min(options.pageSize, options.batchSize - batch.length), waitMs);
    lastReadCount = records.length;
    records.forEach(add);
    if (options.windowMs === 0 && batch.length > 0) break;
    if (batch.length === 0 && records.length === 0 && options.now() >= deadline) break;
  }
  return { batch, carry: rest, lastReadCount };
}
