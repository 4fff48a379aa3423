/**
 * A Tributary service: several pipelines, the operations server, shared logger and metrics, the declared functions
 * (one shared runner each, src/functions), and — with `api:` — Lambda's REST API with the control plane that adds,
 * changes, pauses and deletes pipelines while the service runs (src/control). One failing pipeline never stops the
 * others.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { ApiCredential } from '../api/sigv4-verify.js';
import type { PipelineConfig, TributaryConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import { TypedEmitter, type PipelineEventMap, type PipelineEventName } from '../observability/events.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import type { Tracing } from '../observability/tracing/types.js';
import { RecentEvents } from '../observability/recent-events.js';
import { hiddenSeries } from '../observability/metric-groups.js';
import { startOpsServer, type OpsServer } from '../server/server.js';
import { Pipeline, type PipelineDeps, type PipelineStatus, type SupervisorOptions } from './pipeline.js';
import { PIPELINE_STATES } from './lifecycle.js';
import { buildRecordMatcher } from './build-matcher.js';
import { createCheckpointStore, createMappingStore } from '../checkpoint/index.js';
import type { MappingStore } from '../checkpoint/mapping-store.js';
import type { CheckpointStore } from '../checkpoint/types.js';
import { createWorkerId } from '../checkpoint/worker-id.js';
import { resolveRegion } from '../connector/aws-client-options.js';
import { createDestination } from '../destination/create-destination.js';
import { checkApiExposure, LambdaApi } from '../control/lambda-api.js';
import type { PipelineHost } from '../control/pipeline-host.js';
import { FunctionRegistry } from '../functions/function-registry.js';
import { ASYNC_QUEUE_FILE, AsyncInvocations, type AsyncQueueDepth } from '../functions/async/async-invocations.js';
import { FileEventInvokeConfigs } from '../functions/async/event-invoke-config-file.js';
import { functionArn } from '../api/function-name.js';
import { loadConnector } from '../connector/registry.js';

export interface ServiceOptions {
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  readonly random?: () => number;
  /** This process's id in lease tables (default: host, pid and a random suffix). */
  readonly workerId?: string;
  /** Lease expiry for stream shards; default 10 s (KCL's failoverTime). */
  readonly leaseDurationMs?: number;
  /** How long a part of a pipeline may fail before the pipeline is Failed (default 60 s). */
  readonly failureBudgetMs?: number;
  /** Account id in generated function ARNs (default: the source ARN's account). */
  readonly accountId?: string;
  /** Finds the connector of a source config (default: the built-in registry): a custom source for library users. */
  readonly loadConnector?: PipelineDeps['loadConnector'];
  /** Back-off between in-place retries (default 1 s doubling to 60 s). */
  readonly backoff?: PipelineDeps['backoff'];
  /** A checkpoint store to use instead of the one `checkpoints` configures (library users with their own). */
  readonly checkpointStore?: CheckpointStore;
  /** Keys the Lambda API accepts SigV4 signatures from (`tributary run`: TRIBUTARY_API_ACCESS_KEY_ID / …_SECRET_ACCESS_KEY). */
  readonly apiCredentials?: readonly ApiCredential[];
  /** Where mappings created through the API are stored (default: beside the checkpoints). */
  readonly mappingStore?: MappingStore;
  /** Folder relative `file://` destinations of API mappings resolve against (default: the config file's, else the working directory). */
  readonly baseDir?: string;
  /**
   * Where the embedded asynchronous-invocation queue and the stored FunctionEventInvokeConfigs live (default: the
   * `file` checkpoints' folder, else `.tributary` in the working directory).
   */
  readonly stateDirectory?: string;
  /**
   * Multiplies every wait and maximum age of asynchronous invocation (default TRIBUTARY_ASYNC_TIME_SCALE, else 1):
   * tests of a running service shorten AWS's minute-long waits with it. Never set it in production.
   */
  readonly asyncTimeScale?: number;
  /**
   * Spans of reads, invocations and settles (README "Tracing"): `startTracing()` (the `OTEL_*` variables) or
   * `tracingFromProvider(provider)`. The service shuts it down (the last spans exported) when it stops. Default: off.
   */
  readonly tracing?: Tracing;
}

export class TributaryService {
  readonly config: TributaryConfig;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The declared functions: one shared runner each, behind its reserved concurrency. */
  readonly functions: FunctionRegistry;
  /** Asynchronous invocation (Invoke with InvocationType Event): each declared function's queue and its pipeline. */
  readonly asyncInvocations: AsyncInvocations;
  /** The last notable events of each pipeline (failures, on-failure deliveries, errors, state changes), for `/status`. */
  readonly recentEvents: RecentEvents;
  readonly #now: () => number;
  readonly #events: TypedEmitter;
  readonly #deps: PipelineDeps;
  readonly #supervision: SupervisorOptions;
  readonly #options: ServiceOptions;
  readonly #pipelines = new Map<string, Pipeline>();
  /** The internal pipelines of asynchronous invocation, by function, created when a function first gets an event. */
  readonly #asyncPipelines = new Map<string, Pipeline>();
  readonly #eventInvokeConfigs: FileEventInvokeConfigs;
  readonly #stateDirectory: string;
  /** Whether each pipeline should be running (a pause through the API does not change its config). */
  readonly #enabled = new Map<string, boolean>();
  #server: OpsServer | null = null;
  #store: Promise<CheckpointStore> | null = null;
  #api: LambdaApi | null = null;
  #mappingStore: MappingStore | null = null;
  #running = false;
  #stopping = false;
  #started: Promise<void> | null = null;
  #stopped: Promise<void> | null = null;

  constructor(config: TributaryConfig, options: ServiceOptions = {}) {
    this.config = config;
    this.#options = options;
    checkApiExposure(config.api, options.apiCredentials ?? []);
    this.logger = options.logger ?? createLogger(config.logLevel);
    this.metrics = options.metrics ?? createMetrics();
    this.#events = new TypedEmitter((error) => this.logger.error({ err: error }, 'event listener threw'));
    const now = options.now ?? Date.now;
    this.#now = now;
    this.recentEvents = new RecentEvents({ now });
    this.recentEvents.subscribe(this);
    this.functions = new FunctionRegistry({
      functions: config.functions,
      region: config.api.enabled ? config.api.region : resolveRegion(null, null),
      logger: this.logger,
      metrics: this.metrics,
      now,
      loadedAtMs: now(),
    });
    this.#deps = {
      logger: this.logger,
      metrics: this.metrics,
      events: this.#events,
      matcher: (pipeline, connector) => buildRecordMatcher(pipeline.filterPatterns, pipeline.source.type, connector),
      now,
      random: options.random ?? Math.random,
      workerId: options.workerId ?? createWorkerId(),
      checkpointStore: () => this.#checkpointStore(),
      destination: async (pipeline) => (pipeline.onFailure === null ? null : createDestination(pipeline.onFailure, { source: pipeline.source, logger: this.logger })),
      leaseDurationMs: this.#leaseDurationMs(),
      runnerFor: (pipeline, use) => this.functions.runnerFor(pipeline, use),
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
      ...(options.loadConnector === undefined ? {} : { loadConnector: options.loadConnector }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.tracing === undefined ? {} : { tracing: options.tracing }),
    };
    this.#supervision = options.failureBudgetMs === undefined ? {} : { failureBudgetMs: options.failureBudgetMs };
    this.#stateDirectory = options.stateDirectory ?? (config.checkpoints.type === 'file' ? config.checkpoints.path : join(process.cwd(), '.tributary'));
    this.#eventInvokeConfigs = new FileEventInvokeConfigs(this.#stateDirectory);
    // The API's identity: records name the function as Invoke and GetFunction do.
    const identity = { region: config.api.region, accountId: config.api.accountId };
    this.asyncInvocations = new AsyncInvocations({
      functions: config.functions,
      registry: this.functions,
      stateDirectory: this.#stateDirectory,
      configs: this.#eventInvokeConfigs,
      functionArn: (name) => functionArn(identity, name, '$LATEST'),
      loadConnector: (source) => (options.loadConnector ?? loadConnector)(source),
      logger: this.logger,
      metrics: this.metrics,
      now,
      timeScale: options.asyncTimeScale ?? asyncTimeScaleFromEnvironment(),
      onEnqueued: (name) => this.#startAsync(name),
    });
    for (const pipeline of config.pipelines) this.#create(pipeline);
  }

  /**
   * Each function's asynchronous queue for `/status` (issue 14): only the queues of this run that got events, or that
   * a previous run left, so a service without asynchronous invocations opens no queue.
   */
  async asyncQueues(): Promise<readonly AsyncQueueDepth[]> {
    if (this.#asyncPipelines.size === 0) return [];
    return this.asyncInvocations.depths(AbortSignal.timeout(5_000), [...this.#asyncPipelines.keys()]);
  }

  /** Every pipeline this service runs now: the file's and those created through the API. */
  get pipelines(): readonly Pipeline[] {
    return [...this.#pipelines.values()];
  }

  /** The operations server's base URL once started (null when `server.enabled` is false). */
  get url(): string | null {
    return this.#server?.url ?? null;
  }

  /** The Lambda API's base URL once started (null without `api:`). */
  get apiUrl(): string | null {
    return this.#api?.url ?? null;
  }

  on<K extends PipelineEventName>(name: K, listener: (event: PipelineEventMap[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /** Starts the server and every pipeline. Resolves when the server listens; pipelines connect in the background. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  /** Resolves when every enabled pipeline is running, or failed. */
  async whenSettled(): Promise<void> {
    await Promise.allSettled(this.pipelines.map((p) => p.start()));
  }

  /** Every enabled pipeline runs (and the Lambda API listens, with `api:`). */
  ready(): boolean {
    if (this.config.api.enabled && this.apiUrl === null) return false;
    return this.pipelines.every((p) => !(this.#enabled.get(p.name) ?? p.config.enabled) || p.state === 'Enabled');
  }

  /** The pipelines' statuses, the internal ones of asynchronous invocation last. */
  statuses(): readonly PipelineStatus[] {
    return [...this.pipelines, ...this.#asyncPipelines.values()].map((p) => p.status());
  }

  /** Adds a pipeline and, once the service runs, starts it (left Disabled with `enabled: false`). */
  addPipeline(config: PipelineConfig): Pipeline {
    if (this.#pipelines.has(config.name)) throw new TributaryError('CONFIG_INVALID', `a pipeline named ${config.name} is already running`);
    const pipeline = this.#create(config);
    if (this.#running) pipeline.start().catch(() => undefined); // the pipeline records its own failure
    return pipeline;
  }

  /** Applies a new configuration live: in-flight batches finish, then it resumes from the stored positions with it. */
  async updatePipeline(name: string, config: PipelineConfig): Promise<void> {
    this.#enabled.set(name, config.enabled);
    await this.#existing(name).update(config, this.config.shutdownTimeoutMs);
  }

  /** Resumes a paused pipeline from its stored positions. */
  async enablePipeline(name: string): Promise<void> {
    this.#enabled.set(name, true);
    await this.#existing(name).enable();
  }

  /** Pauses a pipeline: polling stops, in-flight batches finish, every position is kept. */
  async disablePipeline(name: string): Promise<void> {
    this.#enabled.set(name, false);
    await this.#existing(name).disable(this.config.shutdownTimeoutMs, 'disabled');
  }

  /** Deletes a pipeline: drains in-flight batches, hands its leases back, forgets it. */
  async deletePipeline(name: string): Promise<void> {
    const pipeline = this.#pipelines.get(name);
    if (pipeline === undefined) return;
    await pipeline.delete(this.config.shutdownTimeoutMs);
    if (this.#pipelines.get(name) !== pipeline) return;
    this.#pipelines.delete(name);
    this.#enabled.delete(name);
    for (const state of PIPELINE_STATES) this.metrics.pipelineState.remove({ pipeline: name, state });
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  #create(config: PipelineConfig): Pipeline {
    const pipeline = new Pipeline(config, this.#deps, this.#supervision);
    this.#pipelines.set(config.name, pipeline);
    this.#enabled.set(config.name, config.enabled);
    return pipeline;
  }

  /**
   * Starts the internal pipeline of `functionName`'s asynchronous queue unless it runs (or the service is not
   * running: `#start` starts them). Lazy, so a service that never gets an asynchronous event opens no queue.
   */
  #startAsync(functionName: string): void {
    if (!this.#running || this.#stopping || this.#asyncPipelines.has(functionName)) return;
    const built = this.asyncInvocations.pipelineFor(functionName);
    const deps: PipelineDeps = { ...this.#deps, queueExecutor: built.queueExecutor, runnerFor: (_config, use) => built.runnerFor(use.region) };
    const pipeline = new Pipeline(built.config, deps, this.#supervision);
    this.#asyncPipelines.set(functionName, pipeline);
    pipeline.start().catch(() => undefined); // the pipeline records its own failure
  }

  #existing(name: string): Pipeline {
    const pipeline = this.#pipelines.get(name);
    if (pipeline === undefined) throw new TributaryError('CONFIG_INVALID', `no pipeline named ${name}`);
    return pipeline;
  }

  #checkpointStore(): Promise<CheckpointStore> {
    const given = this.#options.checkpointStore;
    this.#store ??= given === undefined ? createCheckpointStore(this.config.checkpoints, { logger: this.logger }) : Promise.resolve(given);
    return this.#store;
  }

  #leaseDurationMs(): number {
    return this.#options.leaseDurationMs ?? (this.config.checkpoints.type === 'dynamodb' ? this.config.checkpoints.leaseDurationMs : 10_000);
  }

  async #start(): Promise<void> {
    if (this.config.server.enabled) {
      this.#server = await startOpsServer({
        host: this.config.server.host,
        port: this.config.server.port,
        registry: this.metrics.registry,
        status: this,
        recentEvents: this.recentEvents,
        now: this.#now,
        onError: (error) => this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'status sampling failed'),
        hiddenSeries: () => new Map(this.pipelines.map((pipeline) => [pipeline.name, hiddenSeries(pipeline.config)])),
      });
      this.logger.info({ url: this.#server.url }, 'operations server listening');
    }
    const api = this.config.api.enabled ? await this.#loadApi() : null;
    this.#running = true;
    for (const pipeline of this.#pipelines.values()) {
      pipeline.start().catch(() => undefined); // the pipeline records its own failure (state Failed, lastError)
    }
    // Events a previous run accepted are still waiting: drain every function's queue. An SQS-backed queue may get
    // events from other replicas at any time: its pipeline always runs.
    if (existsSync(join(this.#stateDirectory, ASYNC_QUEUE_FILE))) for (const name of this.asyncInvocations.functionNames) this.#startAsync(name);
    for (const name of this.asyncInvocations.sharedQueueFunctions) this.#startAsync(name);
    await api?.start();
  }

  /** The control plane, with the stored changes of the file's pipelines applied before they start. */
  async #loadApi(): Promise<LambdaApi> {
    this.#mappingStore = this.#options.mappingStore ?? (await createMappingStore(this.config.checkpoints));
    const api = new LambdaApi({
      config: this.config,
      host: this.#host(),
      functions: this.functions,
      store: this.#mappingStore,
      credentials: this.#options.apiCredentials ?? [],
      logger: this.logger,
      now: this.#now,
      baseDir: this.#options.baseDir ?? (this.config.file === null ? process.cwd() : dirname(this.config.file)),
      leaseDurationMs: this.#leaseDurationMs(),
      asyncQueue: this.asyncInvocations,
      eventInvokeConfigs: this.#eventInvokeConfigs,
    });
    this.#api = api;
    for (const [name, override] of await api.sync.load(AbortSignal.timeout(30_000))) {
      this.#pipelines.delete(name);
      this.#enabled.delete(name);
      if (override.kind === 'run') this.#create(override.config);
    }
    return api;
  }

  /** The service as the control plane drives it; changes after shutdown began are ignored. */
  #host(): PipelineHost {
    const unlessStopping = async (action: () => Promise<void>): Promise<void> => {
      if (!this.#stopping) await action();
    };
    return {
      workerId: this.#deps.workerId,
      status: (name) => this.#pipelines.get(name)?.status() ?? null,
      add: (config) => {
        if (!this.#stopping) this.addPipeline(config);
      },
      update: (name, config) => unlessStopping(() => this.updatePipeline(name, config)),
      setEnabled: (name, enabled) => unlessStopping(() => (enabled ? this.enablePipeline(name) : this.disablePipeline(name))),
      remove: (name) => unlessStopping(() => this.deletePipeline(name)),
      checkpointStore: () => this.#checkpointStore(),
      onStateChanged: (listener) => this.on('state-changed', (event) => listener(event.pipeline, event.state)),
    };
  }

  async #stop(): Promise<void> {
    await this.#started?.catch(() => undefined);
    this.#stopping = true;
    await this.#api?.close();
    await Promise.all([...this.pipelines, ...this.#asyncPipelines.values()].map((p) => p.stop(this.config.shutdownTimeoutMs)));
    await this.asyncInvocations.close();
    await this.functions.close();
    await (await this.#store?.catch(() => null))?.close();
    await this.#mappingStore?.close();
    await this.#server?.close();
    // After the pipelines: their last settle spans are in the final export.
    await this.#options.tracing?.shutdown();
    this.logger.info('stopped');
  }
}

/** TRIBUTARY_ASYNC_TIME_SCALE: a number in (0, 1]; anything else is 1. */
function asyncTimeScaleFromEnvironment(): number {
  const value = Number(process.env['TRIBUTARY_ASYNC_TIME_SCALE'] ?? '1');
  return Number.isFinite(value) && value > 0 && value <= 1 ? value : 1;
}
