/**
 * One ordered source lane — a stream shard or a Kafka partition — driven by the one lane loop: a single reader (in
 * order), feeding `keyLanes` key lanes (parallelizationFactor; 1 for Kafka), each batching and retrying in place on
 * its own (execute/stream-executor.ts). A checkpoint tracker turns their out-of-order settles into the position below
 * which everything is settled; a coalescing writer stores it with the retry marks (by position) through the
 * source's progress port (a fenced lease checkpoint, a Kafka commit). Nothing is stored past an unsettled record.
 *
 * Exits: `ended` (the shard was read to its end and every record settled and stored), `stopped` (graceful; the
 * final progress was stored), `lost` (fenced: another owner has it), `crashed` (a key lane failed unexpectedly:
 * the others are stopped, the caller restarts the lane from its stored checkpoint).
 */
import type { LaneRead, LaneReader, PersistOutcome, RetryMark, SourceRecord } from '../../connector/types.js';
import { CheckpointTracker, compareSequenceNumbers } from '../../policy/checkpoint-tracker.js';
import { LiveRetries, RestoredRetries, marksToStore } from '../../policy/retry-marks.js';
import { partitionLane } from '../../policy/stream-partition-lane.js';
import type { StreamExecutorContext } from '../execute/context.js';
import { runStreamBatch } from '../execute/stream-executor.js';
import { runLaneLoop, type LaneBatching, type LaneExit, type LaneReadFn } from '../lane/lane-loop.js';
import { resilientRead, type ReadReporting } from '../lane/resilient-read.js';
import { KeyFanout, type FanoutBudget } from './key-fanout.js';
import { ProgressWriter } from './progress-writer.js';
import type { StoredWindow } from './lane-state.js';
import { ShardWindows, type ShardWindowsOptions } from './shard-windows.js';

/** What an ordered lane stores: checkpoint, retry marks by position, and the tumbling window in progress. */
export interface OrderedProgress {
  readonly checkpoint: string | null;
  readonly retries: readonly RetryMark[];
  readonly window: StoredWindow | null;
}

export interface OrderedLanesOptions {
  readonly id: string;
  /** parallelizationFactor (1–10); 1 reads the shard straight into one lane. */
  readonly keyLanes: number;
  readonly restored: OrderedProgress;
  readonly reader: LaneReader;
  readonly persist: (progress: OrderedProgress) => Promise<PersistOutcome>;
  /** Aborted when the lane is no longer ours (lease lost, partition revoked): stop at once, store nothing. */
  readonly lost: AbortSignal;
  /** Aborted on a graceful stop: finish the batch in flight (no new retry), store, exit. */
  readonly stopSignal: AbortSignal;
  /** Aborted when shutdown runs out of time: in-flight invocations end. */
  readonly invokeSignal: AbortSignal;
  /** The executor context of the pipeline, without the lane's signals. */
  readonly executor: Omit<StreamExecutorContext, 'invokeSignal' | 'stopSignal'>;
  readonly batching: LaneBatching;
  readonly fanoutBudget: FanoutBudget;
  /**
   * Read ahead of the lane even with one key lane (streams: GetRecords pages while a batch is invoked, bounded by
   * `fanoutBudget`). Kafka does not need it: its partition feed is already a bounded buffer.
   */
  readonly readAhead?: boolean;
  readonly reporting: ReadReporting;
  /** Every record of the lane is settled and the head was reached: iterator age is 0. */
  readonly onIdleAtHead?: () => void;
  /** Progress was stored; `newlySettled` counts the records settled since the previous store (CommittedEventCount). */
  readonly onStored?: (progress: OrderedProgress, newlySettled: number) => void;
  readonly onStoreFailed?: () => void;
  /** Records were settled (the lane's load, for balancing by load). */
  readonly onSettled?: (count: number) => void;
  /** Tumbling windows (streams with tumblingWindowInSeconds): the window's settings; its state is restored and stored. */
  readonly windows?: Omit<ShardWindowsOptions, 'changed' | 'signal' | 'restored'> | null;
}

export type OrderedExit =
  | { readonly kind: 'ended' }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'lost' }
  | { readonly kind: 'crashed'; readonly error: unknown };

export async function runOrderedLanes(options: OrderedLanesOptions): Promise<OrderedExit> {
  const crash = new AbortController();
  /** A progress write was fenced: as good as `options.lost`. */
  const fenced = new AbortController();
  const stop = AbortSignal.any([options.stopSignal, options.lost, crash.signal, fenced.signal]);
  const invoke = AbortSignal.any([options.invokeSignal, options.lost, crash.signal, fenced.signal]);
  const tracker = new CheckpointTracker(compareSequenceNumbers, options.restored.checkpoint);
  const restored = new RestoredRetries(options.restored.retries);
  const live = new LiveRetries();
  let windows: ShardWindows | null = null;
  let settledTotal = 0;
  let settledStored = 0;
  const settledAt = new WeakMap<OrderedProgress, number>();
  const snapshot = (): OrderedProgress => {
    const checkpoint = tracker.checkpoint();
    const progress = { checkpoint, retries: marksToStore(live.marks(), restored.pending(), checkpoint, compareSequenceNumbers), window: windows?.snapshot() ?? null };
    settledAt.set(progress, settledTotal);
    return progress;
  };
  const writer = new ProgressWriter<OrderedProgress>(
    {
      persist: async (progress) => {
        const settled = settledAt.get(progress) ?? settledStored;
        // A `checkpoint` / `commit` span per store (README "Tracing"); tracing off: no tracer, nothing made.
        const span = options.executor.tracer?.settle({ kind: 'progress', position: progress.checkpoint, settled: Math.max(0, settled - settledStored) });
        let outcome: PersistOutcome;
        try {
          outcome = await options.persist(progress);
        } catch (error) {
          span?.end({ kind: 'failed', reason: 'CHECKPOINT_FAILED', error });
          throw error;
        }
        span?.end(outcome === 'ok' ? { kind: 'ok' } : { kind: 'failed', reason: outcome });
        if (outcome === 'ok') {
          options.onStored?.(progress, Math.max(0, settled - settledStored));
          settledStored = Math.max(settledStored, settled);
        }
        return outcome;
      },
      snapshot,
      onLost: () => fenced.abort(),
      onFailed: () => options.onStoreFailed?.(),
    },
    options.restored,
  );
  if (options.windows) windows = new ShardWindows({ ...options.windows, signal: stop, restored: options.restored.window, changed: () => writer.schedule() });
  let first = true;
  const read = resilientRead(options.reader, stop, options.executor.random, {
    ...options.reporting,
    read: (result: LaneRead) => {
      if (result.records.length > 0) {
        if (first) restored.placeFirst(result.records[0]?.position ?? '');
        first = false;
        tracker.add(result.records.map((r) => r.position));
      } else if (result.caughtUp && tracker.pending === 0) options.onIdleAtHead?.();
      options.reporting.read?.(result);
    },
  }, options.executor.tracer);
  const keyLanes = windows !== null ? 1 : Math.max(1, options.keyLanes);
  const fanout =
    keyLanes > 1 || options.readAhead === true
      ? new KeyFanout({
          read,
          lanes: keyLanes,
          laneOf: keyLanes === 1 ? () => 0 : (record) => partitionLane(record.partitionKey ?? '', keyLanes),
          budget: options.fanoutBudget,
          pageSize: options.batching.pageSize,
          pollWaitMs: options.batching.idleWaitMs,
          signal: stop,
        })
      : null;
  const ctx: StreamExecutorContext = { ...options.executor, stopSignal: stop, invokeSignal: invoke };
  const runKeyLane = async (index: number, input: LaneReadFn): Promise<LaneExit> => {
    const exit = await runLaneLoop({
      read: input,
      batching: options.batching,
      signal: stop,
      now: options.executor.now,
      cut: (batch) => restored.cutIndex(batch),
      execute: async (batch) => {
        const head = batch[0] as SourceRecord;
        const retries = restored.take(head.position);
        const hooks = {
          settle: (records: readonly SourceRecord[]) => {
            tracker.settle(records.map((r) => r.position));
            settledTotal += records.length;
            options.onSettled?.(records.length);
            writer.schedule();
          },
          retrying: (record: SourceRecord, count: number, last: SourceRecord) => {
            live.set(index, record.position, count, last.position);
            writer.schedule();
          },
        };
        const result = windows
          ? await windows.process(batch, (toEvent, records, onResponse) => runStreamBatch(ctx, records, retries, { ...hooks, onResponse }, toEvent))
          : await runStreamBatch(ctx, batch, retries, hooks);
        if (result === 'settled') {
          live.clear(index);
          writer.schedule();
        }
        return result === 'settled' ? 'next' : 'stop';
      },
      onIdle: async () => ((await windows?.closeIfDue()) === false ? 'stop' : 'continue'),
    });
    if (exit.kind === 'crashed') crash.abort();
    return exit;
  };
  const pumping = fanout?.pump().catch((error: unknown) => {
    crash.abort();
    return error;
  });
  const exits = await Promise.all(
    fanout === null ? [runKeyLane(0, read)] : Array.from({ length: keyLanes }, (_, i) => runKeyLane(i, fanout.input(i))),
  );
  const pumpError = await pumping;
  await options.reader.close().catch(() => undefined);
  const crashed = exits.find((exit) => exit.kind === 'crashed');
  if (crashed?.kind === 'crashed') return { kind: 'crashed', error: crashed.error };
  if (pumpError !== undefined) return { kind: 'crashed', error: pumpError };
  if (options.lost.aborted || fenced.signal.aborted) return { kind: 'lost' };
  if (windows !== null && exits.every((exit) => exit.kind === 'ended') && !(await windows.close(false))) return { kind: 'stopped' };
  const stored = await writer.flush();
  if (stored === 'lost') return { kind: 'lost' };
  const ended = exits.every((exit) => exit.kind === 'ended') && tracker.pending === 0 && stored === 'ok';
  return ended ? { kind: 'ended' } : { kind: 'stopped' };
}
