/**
 * One enabled period of a pipeline: open the source, prepare the function, build the on-failure destination, start
 * the source's lane assigner — each step retried with back-off while it fails for a reason that may pass (a broker
 * or lease table that is not reachable yet, a topic or queue that does not exist yet, a handler that cannot
 * initialise) — then run until stopped. Stopping drains: no new reads, in-flight batches finish within the timeout
 * (then their invocations are aborted and the records return to the source), leases are handed over, everything is
 * closed. What happens is reported to the supervisor (pipeline.ts) through `RunHooks`.
 */
import type { Logger } from 'pino';
import type { CheckpointStore } from '../checkpoint/types.js';
import { loadConnector } from '../connector/registry.js';
import type { ConnectorDefinition } from '../connector/definition.js';
import { resolveRegion } from '../connector/aws-client-options.js';
import { functionArnOf } from '../connector/kit/function-arn.js';
import { sleep } from '../connector/kit/sleep.js';
import type { Source } from '../connector/types.js';
import type { PipelineConfig, SourceConfig } from '../config/types.js';
import { TributaryError, errorMessage, isTributaryError } from '../errors.js';
import type { TypedEmitter } from '../observability/events.js';
import type { Metrics } from '../observability/metrics.js';
import type { PipelineFacts, Tracing } from '../observability/tracing/types.js';
import { seedPipelineMetrics } from '../observability/seed-metrics.js';
import { backoffDelayMs, type BackoffOptions } from '../policy/backoff.js';
import { createRunner, type RunnerContext } from '../runner/create-runner.js';
import type { FunctionRunner } from '../runner/types.js';
import type { Assigner } from './assign/assigner.js';
import { ElasticLanes } from './assign/elastic-lanes.js';
import { GroupPartitions } from './assign/group-partitions.js';
import { LeasedShards } from './assign/leased-shards.js';
import type { DiscardTarget } from './execute/discard.js';
import type { QueueExecutor } from './execute/queue-executor.js';
import type { RecordMatcher } from './record-matcher.js';
import type { RunContext } from './run-context.js';
import type { Health } from './supervise/health.js';

export interface PipelineDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: TypedEmitter;
  readonly now: () => number;
  readonly random: () => number;
  /** This process's id in lease tables. */
  readonly workerId: string;
  /** The service's checkpoint store, opened on first use (stream pipelines only). */
  readonly checkpointStore: () => Promise<CheckpointStore>;
  /** Builds the pipeline's on-failure destination (stream and Kafka pipelines with `destinationConfig`). */
  readonly destination: (config: PipelineConfig) => Promise<DiscardTarget | null>;
  /** Builds the record matcher of a pipeline's filterCriteria for its connector. */
  readonly matcher: (config: PipelineConfig, connector: ConnectorDefinition) => RecordMatcher;
  /** Lease expiry for stream shards (KCL's failoverTime); default 10 s. */
  readonly leaseDurationMs?: number;
  /** Overrides the runner built from `config.function` (tests, library users with custom runners). */
  readonly runner?: FunctionRunner;
  /**
   * Gives a run its function runner (the service's function registry: one shared runner per declared function,
   * behind its reserved concurrency); default a new runner from `config.function`. The run closes what it gets:
   * for a shared runner that only ends this run's use.
   */
  readonly runnerFor?: (config: PipelineConfig, use: RunnerUse) => FunctionRunner;
  /** Account id in generated function ARNs (default: the source ARN's account). */
  readonly accountId?: string;
  /** Finds the connector of a source config (default: the registry); tests and custom sources override it. */
  readonly loadConnector?: (config: SourceConfig) => Promise<ConnectorDefinition>;
  /** Back-off between in-place retries (default 1 s doubling to 60 s). */
  readonly backoff?: BackoffOptions;
  /**
   * How the lanes of a queue source run a batch (default: the ack executor, Lambda's SQS rules). The internal
   * pipelines of asynchronous invocation (issue 14) bring their own.
   */
  readonly queueExecutor?: QueueExecutor;
  /** The service's tracing (README "Tracing"); absent or off: no tracer reaches the lanes. */
  readonly tracing?: Tracing;
}

/** What a run's function runner is built for. */
export interface RunnerUse extends RunnerContext {
  /** Aborted when the run stops: a wait for the function's concurrency ends then. */
  readonly stopSignal: AbortSignal;
}

/** What a run tells its supervisor. */
export interface RunHooks {
  /** A step failed; `permanent`: no retry will help; `immediate`: the pipeline is Failed now (an init error). */
  problem(error: unknown, how: { readonly permanent: boolean; readonly immediate: boolean }): void;
  /** Every step succeeded: lanes are running. */
  started(): void;
  /** Lambda's LastProcessingResult. */
  report(result: string): void;
  recordError(error: unknown, fallbackCode: string): void;
  readonly health: Health;
}

/** Errors no retry fixes without changing the configuration: the pipeline stays Failed. */
function isPermanent(error: unknown): boolean {
  return isTributaryError(error, 'CONFIG_INVALID') || isTributaryError(error, 'INTERNAL');
}

const START_BACKOFF = { baseMs: 1_000, maxMs: 30_000 };
const SHARD_SYNC_INTERVAL_MS = 10_000;

export class PipelineRun {
  readonly config: PipelineConfig;
  readonly #deps: PipelineDeps;
  readonly #hooks: RunHooks;
  readonly #logger: Logger;
  readonly #stop = new AbortController();
  readonly #invoke = new AbortController();
  #source: Source | null = null;
  #runner: FunctionRunner | null = null;
  #destination: DiscardTarget | null = null;
  #assigner: Assigner | null = null;
  #started: Promise<void> | null = null;

  constructor(config: PipelineConfig, deps: PipelineDeps, hooks: RunHooks) {
    this.config = config;
    this.#deps = deps;
    this.#hooks = hooks;
    this.#logger = deps.logger.child({ pipeline: config.name });
  }

  get sourceArn(): string | null {
    return this.#source?.sourceArn || null;
  }

  lanes(): number {
    return this.#assigner?.lanes() ?? 0;
  }

  /** Runs the start steps until they succeed, the run is stopped, or a step fails for good. Never rejects. */
  start(): Promise<void> {
    this.#started ??= this.#start().catch((error: unknown) => {
      this.#hooks.problem(error, { permanent: true, immediate: true });
    });
    return this.#started;
  }

  /** Graceful stop within `timeoutMs`, then a hard one. Idempotent. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stop.abort();
    await this.#started;
    const assigner = this.#assigner;
    if (assigner !== null) {
      const timer = new AbortController();
      const finished = await Promise.race([assigner.drained().then(() => true), sleep(timeoutMs, timer.signal).then(() => false)]);
      timer.abort();
      if (!finished) {
        this.#logger.warn({ timeoutMs }, 'shutdown timeout: aborting in-flight invocations; their records return to the source');
        this.#invoke.abort();
        await assigner.drained();
      }
    }
    this.#invoke.abort();
    await this.#runner?.close().catch(() => undefined);
    await this.#destination?.close?.().catch(() => undefined);
    await this.#source?.close().catch(() => undefined);
    this.#deps.metrics.pollers.set({ pipeline: this.config.name }, 0);
  }

  async #start(): Promise<void> {
    const connector = await (this.#deps.loadConnector ?? loadConnector)(this.config.source);
    seedPipelineMetrics(this.#deps.metrics, { name: this.config.name, settledMetric: connector.settledMetric });
    const source = await this.#step('source', async () => {
      const created = await connector.create(this.config.source, {
        pipeline: this.config.name,
        logger: this.#logger,
        now: this.#deps.now,
        functionTimeoutMs: this.config.function.timeoutMs,
        batchSize: this.config.batchSize,
        startingPosition: this.config.startingPosition,
        startingPositionTimestampMs: this.config.startingPositionTimestampMs,
        maximumBatchingWindowMs: this.config.maximumBatchingWindowMs,
      });
      try {
        await created.open(this.#stop.signal);
      } catch (error) {
        await created.close().catch(() => undefined);
        throw error;
      }
      return created;
    });
    if (source === null) return;
    this.#source = source;
    // The function's region is the source's (its ARN, the configured region, else AWS_REGION …), never a constant.
    const region = source.region ?? resolveRegion(null, null);
    const runner = await this.#step('function', async () => {
      const use: RunnerUse = { region, now: this.#deps.now, logger: this.#logger, metrics: this.#deps.metrics, pipeline: this.config.name, stopSignal: this.#stop.signal };
      const built = this.#deps.runner ?? this.#deps.runnerFor?.(this.config, use) ?? createRunner(this.config.function, use);
      // Lambda's INIT phase before any record is read: a function that cannot start fails the pipeline, it never polls.
      const prepared = (await built.prepare?.(this.#stop.signal)) ?? { status: 'ok' as const, warnings: [] };
      if (prepared.status === 'error') {
        if (this.#deps.runner === undefined) await built.close().catch(() => undefined);
        const { errorType, errorMessage: message } = prepared.error;
        this.#logger.error({ errorType, errorMessage: message, stack: prepared.stack?.join('\n') }, `function init failed: ${errorType}: ${message}`);
        throw new TributaryError('HANDLER_LOAD_FAILED', `${errorType}: ${message}`, { retryable: true });
      }
      for (const warning of prepared.warnings) this.#logger.warn({ function: built.functionName }, warning);
      return built;
    });
    if (runner === null) return;
    this.#runner = runner;
    const built = await this.#step('destination', async () => ({ target: await this.#deps.destination(this.config) }));
    if (built === null) return;
    const destination = built.target;
    this.#destination = destination;
    const functionArn = functionArnOf(this.config.function, region, source.sourceArn || null, this.#deps.accountId ?? null);
    const tracing = this.#deps.tracing;
    const run: RunContext = {
      config: this.config,
      connector,
      logger: this.#logger,
      metrics: this.#deps.metrics,
      events: this.#deps.events,
      matcher: this.#deps.matcher(this.config, connector),
      runner,
      now: this.#deps.now,
      random: this.#deps.random,
      stopSignal: this.#stop.signal,
      invokeSignal: this.#invoke.signal,
      health: this.#hooks.health,
      report: (result) => this.#hooks.report(result),
      recordError: (error, code) => this.#hooks.recordError(error, code),
      destination,
      failureRecords:
        this.config.onFailure === null
          ? null
          : connector.failureRecords({ config: this.config.source, destination: this.config.onFailure, sourceArn: () => source.sourceArn, toEvent: (records) => source.toEvent(records) }),
      functionArn,
      ...(this.#deps.backoff === undefined ? {} : { backoff: this.#deps.backoff }),
      ...(this.#deps.queueExecutor === undefined ? {} : { queueExecutor: this.#deps.queueExecutor }),
      ...(tracing?.enabled === true ? { tracer: tracing.forPipeline(this.#tracingFacts(source, runner, functionArn)) } : {}),
    };
    const assigner = await this.#step('lanes', async () => {
      const built = await this.#assignerFor(run, source);
      await built.start();
      return built;
    });
    if (assigner === null) return;
    this.#assigner = assigner;
    if (!this.#stop.signal.aborted) this.#hooks.started();
  }

  /** What this run's spans say about it (observability/tracing/semconv.ts). */
  #tracingFacts(source: Source, runner: FunctionRunner, functionArn: string): PipelineFacts {
    const config = this.config.source;
    return {
      pipeline: this.config.name,
      mappingUuid: this.config.uuid,
      sourceType: config.type,
      sourceKind: source.kind,
      sourceArn: source.sourceArn,
      region: source.region,
      functionName: runner.functionName,
      functionArn,
      consumerGroup: source.kind === 'group' ? (source.consumerGroup ?? null) : null,
    };
  }

  async #assignerFor(run: RunContext, source: Source): Promise<Assigner> {
    switch (source.kind) {
      case 'queue':
        return new ElasticLanes(run, source);
      case 'group':
        return new GroupPartitions(run, source);
      case 'stream':
        return new LeasedShards(run, source, {
          store: await this.#deps.checkpointStore(),
          workerId: this.#deps.workerId,
          leaseDurationMs: this.#deps.leaseDurationMs ?? 10_000,
          shardSyncIntervalMs: SHARD_SYNC_INTERVAL_MS,
        });
    }
  }

  /**
   * Runs one start step until it succeeds (its health part is then ok), the run stops (null), or it fails for good
   * (rethrown). Failures are reported: a handler that cannot initialise fails the pipeline at once; anything else
   * counts against the supervisor's budget while it is retried.
   */
  async #step<T>(part: string, step: () => Promise<T>): Promise<T | null> {
    const component = `start: ${part}`;
    for (let attempt = 1; !this.#stop.signal.aborted; attempt += 1) {
      try {
        const value = await step();
        this.#hooks.health.ok(component);
        return value;
      } catch (error) {
        if (this.#stop.signal.aborted) return null;
        if (isPermanent(error)) throw error; // reported once, by start()
        this.#hooks.health.failed(component, error);
        this.#hooks.problem(error, { permanent: false, immediate: isTributaryError(error, 'HANDLER_LOAD_FAILED') });
        const delayMs = backoffDelayMs(attempt, START_BACKOFF, this.#deps.random);
        this.#logger.warn({ part, attempt, delayMs, err: errorMessage(error) }, `${part} not ready yet; retrying`);
        await sleep(delayMs, this.#stop.signal);
      }
    }
    return null;
  }
}
