/**
 * The lane assigner of consumer-group sources (Kafka): the broker's coordinator assigns partitions; the source hands
 * each assigned partition of a generation to the core, which runs one ordered lane on it (ordered/ordered-lanes.ts,
 * one key lane: Kafka keeps order per partition) with the partition's commits as its progress store. A partition
 * lane that crashes is restarted from the committed position within the same generation.
 *
 * The group client itself is supervised here: when `run` rejects (the client gave up for good, e.g. the topic was
 * deleted or the brokers stayed away past its retry budget) it is restarted with back-off; while it is down the
 * pipeline's health says so, and the supervisor turns that into `Failed` (`/readyz` 503) after its budget, and back
 * to `Enabled` once the client consumes again.
 *
 * In provisioned mode (`provisionedPollerConfig`) the partitions of the pipeline invoke at most `maximumPollers × 5`
 * batches at once (AWS: a poller handles about 5 concurrent invokes, policy/poller-bounds.ts): a partition lane over
 * the limit waits for a place before it invokes, without using a retry (it was not invoked).
 */
import type { AssignedPartition, GroupSource, StoredProgress } from '../../connector/types.js';
import { sleep } from '../../connector/kit/sleep.js';
import { errorMessage, isTributaryError } from '../../errors.js';
import { ConcurrencyGate } from '../../functions/concurrency-gate.js';
import { GatedRunner } from '../../functions/gated-runner.js';
import type { FunctionRunner } from '../../runner/types.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../../policy/backoff.js';
import { offsetLag } from '../offset-lag.js';
import { runOrderedLanes, type OrderedExit } from '../ordered/ordered-lanes.js';
import { executorFor, laneLogger, type RunContext } from '../run-context.js';
import type { Assigner } from './assigner.js';

/** Restarts of a crashed partition lane within one generation before the lane gives the partition up. */
const LANE_RESTARTS = 5;
const CLIENT = 'consumer group';
/** How long kafkajs may hold an idle fetch; the window itself is applied by the lanes. */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

export class GroupPartitions implements Assigner {
  readonly #run: RunContext;
  readonly #source: GroupSource;
  readonly #lanes = new Map<string, Promise<void>>();
  #running: Promise<void> | null = null;
  /** The function as the partition lanes call it: behind the provisioned-mode limit, when there is one. */
  readonly #runner: FunctionRunner;

  constructor(run: RunContext, source: GroupSource) {
    this.#run = run;
    this.#source = source;
    const limit = source.maxConcurrentInvocations ?? null;
    this.#runner = limit === null ? run.runner : new GatedRunner(run.runner, new ConcurrencyGate(limit), { stopSignal: run.stopSignal, now: run.now });
  }

  async start(): Promise<void> {
    this.#running = this.#supervise();
  }

  lanes(): number {
    return this.#lanes.size;
  }

  async drained(): Promise<void> {
    await this.#running;
    while (this.#lanes.size > 0) await Promise.all(this.#lanes.values());
  }

  /** Runs the group client until stop, restarting it with back-off whenever it gives up. */
  async #supervise(): Promise<void> {
    const run = this.#run;
    for (let failures = 0; !run.stopSignal.aborted; ) {
      try {
        await this.#source.run(
          {
            assigned: (partition) => this.#assigned(partition),
            health: (report) => (report.kind === 'healthy' ? run.health.ok(CLIENT) : run.health.failed(CLIENT, report.error)),
          },
          run.stopSignal,
        );
        failures = 0;
      } catch (error) {
        if (run.stopSignal.aborted) break;
        failures += 1;
        run.health.failed(CLIENT, error);
        run.recordError(error, 'SOURCE_UNAVAILABLE');
        const delayMs = backoffDelayMs(failures, { baseMs: 1_000, maxMs: 30_000 }, run.random);
        run.logger.warn({ failures, delayMs, err: errorMessage(error) }, 'the Kafka consumer stopped; restarting it');
        await sleep(delayMs, run.stopSignal);
      }
    }
  }

  #assigned(partition: AssignedPartition): void {
    const run = this.#run;
    const done = this.#runPartition(partition)
      .catch((error: unknown) => run.recordError(error, 'INTERNAL'))
      .finally(() => {
        this.#lanes.delete(partition.id);
        run.metrics.pollers.set({ pipeline: run.config.name }, this.#lanes.size);
        // A revoked partition's lag is its new owner's to report; a stale series here would add up twice (issue 18 item 9).
        run.metrics.offsetLag.remove({ pipeline: run.config.name, partition: partition.id });
        partition.finished();
      });
    this.#lanes.set(partition.id, done);
    run.metrics.pollers.set({ pipeline: run.config.name }, this.#lanes.size);
  }

  async #runPartition(partition: AssignedPartition): Promise<void> {
    for (let restarts = 0; ; restarts += 1) {
      const exit = await this.#runLane(partition, restarts === 0);
      if (exit.kind !== 'crashed') return;
      this.#run.recordError(exit.error, 'INTERNAL');
      if (partition.signal.aborted || this.#run.stopSignal.aborted || restarts >= LANE_RESTARTS) return;
      await sleep(backoffDelayMs(restarts + 1, DEFAULT_BACKOFF, this.#run.random), AbortSignal.any([partition.signal, this.#run.stopSignal]));
    }
  }

  async #runLane(partition: AssignedPartition, first: boolean): Promise<OrderedExit> {
    const run = this.#run;
    const { config } = run;
    const logger = laneLogger(run, partition.id);
    const restored: StoredProgress = await partition.restore(AbortSignal.any([partition.signal, AbortSignal.timeout(30_000)]));
    const reader = partition.open(first ? null : restored.checkpoint);
    let highWatermark: string | undefined;
    // OffsetLag is the high watermark past the committed offset: it changes with either, so it is set on each read
    // as well as on each commit — a partition that is caught up (or was just assigned) reports 0, not nothing.
    const nextAfter = (checkpoint: string | null): string | null => (checkpoint === null ? null : (BigInt(checkpoint) + 1n).toString());
    let committedNext = nextAfter(restored.checkpoint);
    const lag = (): void => {
      const value = offsetLag(highWatermark, committedNext ?? undefined);
      if (value !== null) run.metrics.offsetLag.set({ pipeline: config.name, partition: partition.id }, value);
    };
    return runOrderedLanes({
      id: partition.id,
      keyLanes: 1,
      restored: { ...restored, window: null },
      reader,
      persist: async (progress) => {
        const outcome = await partition.persist(progress);
        if (outcome === 'failed') run.metrics.commitErrors.inc({ pipeline: config.name });
        return outcome;
      },
      lost: partition.signal,
      stopSignal: run.stopSignal,
      invokeSignal: run.invokeSignal,
      executor: { ...executorFor(run, this.#source, partition.id, logger), runner: this.#runner },
      batching: {
        batchSize: config.batchSize,
        windowMs: config.maximumBatchingWindowMs,
        pageSize: this.#source.capabilities.pageSize,
        idleWaitMs: 500,
      },
      fanoutBudget: { records: config.batchSize, bytes: READ_AHEAD_BYTES },
      reporting: {
        failed: (error) => {
          run.metrics.pollingErrors.inc({ pipeline: config.name });
          if (!isTributaryError(error, 'SOURCE_THROTTLED')) run.recordError(error, 'SOURCE_READ_FAILED');
        },
        recovered: () => undefined,
        read: (result) => {
          if (result.highWatermark === undefined) return;
          highWatermark = result.highWatermark;
          lag();
        },
      },
      onStored: (progress, newlySettled) => {
        // CommittedEventCount: events whose offsets were committed; OffsetLag follows the commit.
        if (newlySettled > 0) run.metrics.committedEvents.inc({ pipeline: config.name }, newlySettled);
        committedNext = nextAfter(progress.checkpoint);
        lag();
      },
    });
  }
}
