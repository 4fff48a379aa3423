/**
 * One event source mapping at run time: a lifecycle state machine with Lambda's state names around a runtime
 * that polls, batches, invokes and settles (elastic pollers for SQS, leased shards for streams).
 * `stop()` is awaitable and idempotent (DESIGN §7.6).
 */
import type { Logger } from 'pino';
import type { Source } from '../connector/types.js';
import { createSource } from '../connector/registry.js';
import type { CheckpointStore } from '../checkpoint/types.js';
import type { PipelineConfig } from '../config/types.js';
import { TributaryError, errorMessage } from '../errors.js';
import type { PipelineState, TypedEmitter } from '../observability/events.js';
import type { Metrics } from '../observability/metrics.js';
import { backoffDelayMs } from '../policy/backoff.js';
import { createRunner } from '../runner/create-runner.js';
import type { FunctionRunner } from '../runner/types.js';
import { kafkaFailureBuilder } from './failure-records.js';
import { GroupRuntime } from './group-runtime.js';
import { PullRuntime } from './pull-runtime.js';
import type { RecordMatcher } from './record-matcher.js';
import type { RuntimeContext, SourceRuntime } from './runtime.js';
import { sleep } from './sleep.js';
import type { DiscardTarget } from './stream-executor.js';
import { StreamRuntime } from './stream-runtime.js';

export interface PipelineDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly matcher: RecordMatcher;
  readonly now: () => number;
  readonly random: () => number;
  /** This process's id in lease tables. */
  readonly workerId: string;
  /** The service's checkpoint store, opened on first use (stream pipelines only). */
  readonly checkpointStore: () => Promise<CheckpointStore>;
  /** Builds the pipeline's on-failure destination (stream and Kafka pipelines with `destinationConfig`). */
  readonly destination: () => Promise<DiscardTarget | null>;
  /** Lease expiry for stream shards (KCL's failoverTime); default 10 s. */
  readonly leaseDurationMs?: number;
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

export class Pipeline {
  readonly name: string;
  readonly config: PipelineConfig;
  readonly #deps: PipelineDeps;
  readonly #logger: Logger;
  readonly #stopAbort = new AbortController();
  readonly #invokeAbort = new AbortController();
  #state: PipelineState = 'Creating';
  #source: Source | null = null;
  #runner: FunctionRunner | null = null;
  #runtime: SourceRuntime | null = null;
  #destination: DiscardTarget | null = null;
  #started: Promise<void> | null = null;
  #stopped: Promise<void> | null = null;
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
      lanes: this.#runtime?.lanes() ?? 0,
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
   * return to the source unsettled), settles, checkpoints, hands leases over and closes. Idempotent.
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
    const source = await this.#openSource();
    if (source === null) return; // stopped while connecting
    try {
      const region = 'region' in this.config.source ? (this.config.source.region ?? 'us-east-1') : 'us-east-1';
      this.#runner = this.#deps.runner ?? createRunner(this.config.function, { region, now: this.#deps.now, logger: this.#logger, metrics: this.#deps.metrics, pipeline: this.name });
      this.#runtime = await this.#createRuntime(source, this.#runner, region);
      await this.#runtime.start();
    } catch (error) {
      this.#recordError(error, 'INTERNAL');
      this.#setState('Failed', errorMessage(error));
      throw error;
    }
    if (!this.#stopAbort.signal.aborted) this.#setState('Enabled', null);
  }

  /** Opens the source, retrying while it is unreachable; a permanent error fails the pipeline. */
  async #openSource(): Promise<Source | null> {
    const context = {
      pipeline: this.name,
      logger: this.#logger,
      now: this.#deps.now,
      functionTimeoutMs: this.config.function.timeoutMs,
      batchSize: this.config.batchSize,
      startingPosition: this.config.startingPosition,
      startingPositionTimestampMs: this.config.startingPositionTimestampMs,
      maximumBatchingWindowMs: this.config.maximumBatchingWindowMs,
    };
    for (let attempt = 1; !this.#stopAbort.signal.aborted; attempt += 1) {
      let source: Source | null = null;
      try {
        source = await createSource(this.config.source, context);
        await source.open(this.#stopAbort.signal);
        this.#source = source;
        return source;
      } catch (error) {
        await source?.close().catch(() => undefined);
        this.#recordError(error, 'SOURCE_UNAVAILABLE');
        const retryable = error instanceof TributaryError ? error.retryable : false;
        if (!retryable) {
          this.#setState('Failed', errorMessage(error));
          throw error;
        }
        const delay = backoffDelayMs(attempt, { baseMs: 1000, maxMs: 30_000 }, this.#deps.random);
        this.#logger.warn({ attempt, delayMs: delay }, 'source not reachable yet; retrying');
        await sleep(delay, this.#stopAbort.signal);
      }
    }
    return null;
  }

  async #createRuntime(source: Source, runner: FunctionRunner, region: string): Promise<SourceRuntime> {
    const ctx: RuntimeContext = {
      config: this.config,
      runner,
      logger: this.#logger,
      metrics: this.#deps.metrics,
      events: this.#deps.events,
      matcher: this.#deps.matcher,
      now: this.#deps.now,
      random: this.#deps.random,
      stopSignal: this.#stopAbort.signal,
      invokeSignal: this.#invokeAbort.signal,
      report: (result) => {
        this.#lastProcessingResult = result;
      },
      recordError: (error, code) => this.#recordError(error, code),
    };
    if (source.kind === 'pull') return new PullRuntime(ctx, source);
    this.#destination = await this.#deps.destination();
    const destination = this.#destination;
    const functionArn = `arn:aws:lambda:${region}:000000000000:function:${this.config.function.functionName}`;
    if (source.kind === 'group') {
      const kafka = this.config.source.type === 'kafka' ? this.config.source : null;
      return new GroupRuntime(ctx, source, {
        destination,
        functionArn,
        failureRecords: kafkaFailureBuilder({
          eventSourceArn: kafka?.clusterArn ?? null,
          bootstrapServers: kafka?.bootstrapServers.join(',') ?? '',
          perRecord: this.config.onFailure?.type === 'kafka',
          toEvent: (records) => source.toEvent(records),
        }),
      });
    }
    return new StreamRuntime(ctx, source, {
      store: await this.#deps.checkpointStore(),
      destination,
      workerId: this.#deps.workerId,
      functionArn,
      leaseDurationMs: this.#deps.leaseDurationMs ?? 10_000,
      shardSyncIntervalMs: 10_000,
    });
  }

  async #stop(timeoutMs: number): Promise<void> {
    if (this.#state === 'Enabled' || this.#state === 'Creating') this.#setState('Disabling', 'stop requested');
    this.#stopAbort.abort();
    await this.#started?.catch(() => undefined);
    const runtime = this.#runtime;
    if (runtime !== null) {
      const drained = runtime.drained().then(() => true);
      const timer = new AbortController();
      const finished = await Promise.race([drained, sleep(timeoutMs, timer.signal).then(() => false)]);
      timer.abort(); // do not keep the process alive for the rest of the timeout
      if (!finished) {
        this.#logger.warn({ timeoutMs }, 'shutdown timeout: aborting in-flight invocations; their records return to the source');
        this.#invokeAbort.abort();
        await drained;
      }
    }
    await this.#runner?.close();
    await this.#destination?.close?.();
    await (runtime === null ? this.#source?.close() : runtime.close());
    this.#deps.metrics.pollers.set({ pipeline: this.name }, 0);
    if (this.#state !== 'Failed') this.#setState('Disabled', null);
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
