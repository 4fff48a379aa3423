/**
 * One event source mapping at run time: a lifecycle state machine (Lambda's state names) around the lanes
 * that poll, batch, invoke and settle. `stop()` is awaitable and idempotent (DESIGN §7.6).
 */
import type { Logger } from 'pino';
import type { Lane, PullSource, Settlement, SourceRecord } from '../connector/types.js';
import { createSource } from '../connector/registry.js';
import type { PipelineConfig } from '../config/types.js';
import { TributaryError, errorMessage } from '../errors.js';
import type { PipelineState, TypedEmitter } from '../observability/events.js';
import type { Metrics } from '../observability/metrics.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../policy/backoff.js';
import { createRunner } from '../runner/create-runner.js';
import type { FunctionRunner } from '../runner/types.js';
import { runAckBatch } from './ack-executor.js';
import type { BatchContext } from './batch-context.js';
import { MAX_PAYLOAD_BYTES, MAX_LONG_POLL_MS, collectBatch } from './batcher.js';
import type { RecordMatcher } from './record-matcher.js';
import { sleep } from './sleep.js';

export interface PipelineDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly matcher: RecordMatcher;
  readonly now: () => number;
  readonly random: () => number;
  /** Overrides the runner built from `config.function` (tests, library users with custom runners). */
  readonly runner?: FunctionRunner;
}

export interface PipelineStatus {
  readonly name: string;
  readonly state: PipelineState;
  readonly sourceType: string;
  readonly sourceArn: string | null;
  readonly lanes: number;
  readonly lastProcessingResult: string;
  readonly lastError: string | null;
}

/** AWS adds at most 300 concurrent invocations a minute to an SQS mapping: one new poller every 200 ms. */
const SCALE_UP_INTERVAL_MS = 200;
const SETTLE_ATTEMPTS = 5;

export class Pipeline {
  readonly name: string;
  readonly config: PipelineConfig;
  readonly #deps: PipelineDeps;
  readonly #logger: Logger;
  readonly #pollAbort = new AbortController();
  readonly #invokeAbort = new AbortController();
  readonly #lanes = new Map<string, Promise<void>>();
  #state: PipelineState = 'Creating';
  #source: PullSource | null = null;
  #runner: FunctionRunner | null = null;
  #started: Promise<void> | null = null;
  #stopped: Promise<void> | null = null;
  #laneSeq = 0;
  #activeLanes = 0;
  #lastScaleUpMs = 0;
  #lastProcessingResult = 'No records processed';
  #lastError: string | null = null;

  constructor(config: PipelineConfig, deps: PipelineDeps) {
    this.name = config.name;
    this.config = config;
    this.#deps = deps;
    this.#logger = deps.logger.child({ pipeline: config.name });
  }

  get state(): PipelineState {
    return this.#state;
  }

  status(): PipelineStatus {
    return {
      name: this.name,
      state: this.#state,
      sourceType: this.config.source.type,
      sourceArn: this.#source?.sourceArn ?? null,
      lanes: this.#activeLanes,
      lastProcessingResult: this.#lastProcessingResult,
      lastError: this.#lastError,
    };
  }

  /** Connects the source and starts polling. Resolves once Enabled; rejects (state Failed) if it cannot start. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  /**
   * Stops polling, lets in-flight batches finish within `timeoutMs`, then aborts what is left (those records
   * return to the source unsettled), settles, and closes. Idempotent.
   */
  stop(timeoutMs = 30_000): Promise<void> {
    this.#stopped ??= this.#stop(timeoutMs);
    return this.#stopped;
  }

  async #start(): Promise<void> {
    if (!this.config.enabled) {
      this.#setState('Disabled', 'enabled: false');
      return;
    }
    const context = { pipeline: this.name, logger: this.#logger, now: this.#deps.now, functionTimeoutMs: this.config.function.timeoutMs, batchSize: this.config.batchSize };
    let attempt = 0;
    while (!this.#pollAbort.signal.aborted) {
      try {
        const source = await createSource(this.config.source, context);
        if (source.kind !== 'pull') {
          await source.close();
          throw new TributaryError('CONFIG_INVALID', `source type "${this.config.source.type}" needs the stream runtime`);
        }
        this.#source = source;
        await source.open(this.#pollAbort.signal);
        break;
      } catch (error) {
        await this.#source?.close().catch(() => undefined);
        this.#source = null;
        const retryable = error instanceof TributaryError ? error.retryable : false;
        this.#recordError(error, 'SOURCE_UNAVAILABLE');
        if (!retryable) {
          this.#setState('Failed', errorMessage(error));
          throw error;
        }
        attempt += 1;
        const delay = backoffDelayMs(attempt, { baseMs: 1000, maxMs: 30_000 }, this.#deps.random);
        this.#logger.warn({ attempt, delayMs: delay }, 'source not reachable yet; retrying');
        await sleep(delay, this.#pollAbort.signal);
      }
    }
    const source = this.#source;
    if (source === null) return; // stopped while connecting
    const region = 'region' in this.config.source ? (this.config.source.region ?? 'us-east-1') : 'us-east-1';
    this.#runner = this.#deps.runner ?? createRunner(this.config.function, { region, now: this.#deps.now });
    this.#setState('Enabled', null);
    const lanes = source.capabilities.lanes;
    const initial = lanes.kind === 'elastic' ? lanes.initial : 1;
    for (let i = 0; i < initial; i += 1) this.#spawnLane();
  }

  async #stop(timeoutMs: number): Promise<void> {
    if (this.#state === 'Enabled' || this.#state === 'Creating') this.#setState('Disabling', 'stop requested');
    this.#pollAbort.abort();
    await this.#started?.catch(() => undefined);
    const drained = Promise.all(this.#lanes.values()).then(() => true);
    const timer = new AbortController();
    const finished = await Promise.race([drained, sleep(timeoutMs, timer.signal).then(() => false)]);
    timer.abort(); // do not keep the process alive for the rest of the timeout
    if (!finished) {
      this.#logger.warn({ timeoutMs }, 'shutdown timeout: aborting in-flight invocations; their records return to the source');
      this.#invokeAbort.abort();
      await drained;
    }
    await this.#runner?.close();
    await this.#source?.close();
    this.#deps.metrics.pollers.set({ pipeline: this.name }, 0);
    if (this.#state !== 'Failed') this.#setState('Disabled', null);
  }

  #spawnLane(): void {
    const lane: Lane = { id: `poller-${this.#laneSeq++}` };
    this.#activeLanes += 1;
    this.#deps.metrics.pollers.set({ pipeline: this.name }, this.#activeLanes);
    const run = this.#runLane(lane)
      .catch((error: unknown) => this.#recordError(error, 'INTERNAL'))
      .finally(() => {
        this.#lanes.delete(lane.id);
      });
    this.#lanes.set(lane.id, run);
  }

  #retireLane(): void {
    this.#activeLanes -= 1;
    this.#deps.metrics.pollers.set({ pipeline: this.name }, this.#activeLanes);
  }

  async #runLane(lane: Lane): Promise<void> {
    const source = this.#source;
    const runner = this.#runner;
    if (source === null || runner === null) return;
    const signal = this.#pollAbort.signal;
    const lanes = source.capabilities.lanes;
    const idleMin = lanes.kind === 'elastic' ? lanes.idleMin : 1;
    const ctx: BatchContext = {
      pipeline: this.config,
      metrics: this.#deps.metrics,
      events: this.#deps.events,
      logger: this.#logger.child({ lane: lane.id }),
      matcher: this.#deps.matcher,
      now: this.#deps.now,
      invokeSignal: this.#invokeAbort.signal,
    };
    let carry: readonly SourceRecord[] = [];
    let readFailures = 0;
    let functionFailures = 0;
    const read = async (maxRecords: number, waitMs: number): Promise<readonly SourceRecord[]> => {
      try {
        const records = await source.read(lane, { maxRecords, waitMs, signal });
        readFailures = 0;
        return records;
      } catch (error) {
        if (signal.aborted) return [];
        readFailures += 1;
        this.#deps.metrics.pollingErrors.inc({ pipeline: this.name });
        this.#recordError(error, 'SOURCE_READ_FAILED');
        await sleep(backoffDelayMs(readFailures, DEFAULT_BACKOFF, this.#deps.random), signal);
        return [];
      }
    };
    while (!signal.aborted) {
      const collected = await collectBatch(read, carry, {
        batchSize: this.config.batchSize,
        windowMs: this.config.maximumBatchingWindowMs,
        pageSize: lanes.pageSize,
        maxPayloadBytes: MAX_PAYLOAD_BYTES,
        idleWaitMs: MAX_LONG_POLL_MS,
        now: this.#deps.now,
        signal,
      });
      carry = collected.carry;
      if (collected.batch.length === 0) {
        // An empty long poll: this poller is not needed right now.
        if (this.#activeLanes > idleMin && !signal.aborted) {
          this.#retireLane();
          return;
        }
        continue;
      }
      if (collected.lastReadCount >= lanes.pageSize) this.#scaleUp();
      const outcome = await runAckBatch(ctx, source, runner, collected.batch[0]?.shard ?? lane.id, collected.batch);
      await this.#settle(lane, outcome.settlement);
      this.#lastProcessingResult = outcome.functionFailed ? 'PROBLEM: Function call failed' : 'OK';
      if (outcome.functionFailed) {
        // Lambda backs off after function errors (and lowers concurrency) instead of hammering the function.
        functionFailures += 1;
        await sleep(backoffDelayMs(functionFailures, DEFAULT_BACKOFF, this.#deps.random), signal);
      } else {
        functionFailures = 0;
      }
    }
    this.#retireLane();
    if (carry.length > 0) await this.#settle(lane, { done: [], redeliver: carry, redeliverDelayMs: 0 });
  }

  #scaleUp(): void {
    const lanes = this.#source?.capabilities.lanes;
    if (lanes === undefined || lanes.kind !== 'elastic' || this.#pollAbort.signal.aborted) return;
    const now = this.#deps.now();
    if (this.#activeLanes >= lanes.max || now - this.#lastScaleUpMs < SCALE_UP_INTERVAL_MS) return;
    this.#lastScaleUpMs = now;
    this.#spawnLane();
  }

  /** Settling must happen even while stopping; transient failures are retried a few times. */
  async #settle(lane: Lane, settlement: Settlement): Promise<void> {
    const source = this.#source;
    if (source === null) return;
    for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt += 1) {
      try {
        await source.settle(lane, settlement, AbortSignal.timeout(30_000));
        if (source.capabilities.progress === 'per-record-ack' && settlement.done.length > 0) {
          this.#deps.metrics.deletedEvents.inc({ pipeline: this.name }, settlement.done.length);
        }
        return;
      } catch (error) {
        this.#recordError(error, 'SETTLE_FAILED');
        if (attempt < SETTLE_ATTEMPTS) await sleep(backoffDelayMs(attempt, { baseMs: 200, maxMs: 5000 }, this.#deps.random));
      }
    }
    this.#logger.error({ lane: lane.id, done: settlement.done.length }, 'could not settle a batch; its records will be delivered again');
  }

  #recordError(error: unknown, fallbackCode: string): void {
    const code = error instanceof TributaryError ? error.code : fallbackCode;
    const message = errorMessage(error);
    this.#lastError = `${code}: ${message}`;
    this.#logger.error({ code, err: message }, 'pipeline error');
    this.#deps.events.emit('error', { pipeline: this.name, code, message });
  }

  #setState(state: PipelineState, reason: string | null): void {
    this.#state = state;
    this.#logger.info({ state, reason }, 'pipeline state');
    this.#deps.events.emit('state-changed', { pipeline: this.name, state, reason });
  }
}
