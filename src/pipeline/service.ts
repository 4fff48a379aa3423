/**
 * A Tributary service: several pipelines, the operations server, shared logger and metrics.
 * One failing pipeline never stops the others.
 */
import type { Logger } from 'pino';
import type { TributaryConfig } from '../config/types.js';
import { TypedEmitter, type PipelineEventMap, type PipelineEventName } from '../observability/events.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { RecentEvents } from '../observability/recent-events.js';
import { startOpsServer, type OpsServer } from '../server/server.js';
import { Pipeline, type PipelineDeps, type PipelineStatus } from './pipeline.js';
import { buildRecordMatcher } from './build-matcher.js';
import { createCheckpointStore } from '../checkpoint/index.js';
import type { CheckpointStore } from '../checkpoint/types.js';
import { createWorkerId } from '../checkpoint/worker-id.js';
import { createDestination } from '../destination/create-destination.js';

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
}

export class TributaryService {
  readonly config: TributaryConfig;
  readonly pipelines: readonly Pipeline[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The last notable events of each pipeline (failures, on-failure deliveries, errors, state changes), for `/status`. */
  readonly recentEvents: RecentEvents;
  readonly #now: () => number;
  readonly #events: TypedEmitter;
  #server: OpsServer | null = null;
  #store: Promise<CheckpointStore> | null = null;
  #started: Promise<void> | null = null;
  #stopped: Promise<void> | null = null;

  constructor(config: TributaryConfig, options: ServiceOptions = {}) {
    this.config = config;
    this.logger = options.logger ?? createLogger(config.logLevel);
    this.metrics = options.metrics ?? createMetrics();
    this.#events = new TypedEmitter((error) => this.logger.error({ err: error }, 'event listener threw'));
    const now = options.now ?? Date.now;
    this.#now = now;
    this.recentEvents = new RecentEvents({ now });
    this.recentEvents.subscribe(this);
    const random = options.random ?? Math.random;
    const workerId = options.workerId ?? createWorkerId();
    const checkpointStore = (): Promise<CheckpointStore> => {
      this.#store ??= options.checkpointStore === undefined ? createCheckpointStore(config.checkpoints, { logger: this.logger }) : Promise.resolve(options.checkpointStore);
      return this.#store;
    };
    const deps: PipelineDeps = {
      logger: this.logger,
      metrics: this.metrics,
      events: this.#events,
      matcher: (pipeline, connector) => buildRecordMatcher(pipeline.filterPatterns, pipeline.source.type, connector),
      now,
      random,
      workerId,
      checkpointStore,
      destination: async (pipeline) => (pipeline.onFailure === null ? null : createDestination(pipeline.onFailure, { source: pipeline.source, logger: this.logger })),
      leaseDurationMs: options.leaseDurationMs ?? (config.checkpoints.type === 'dynamodb' ? config.checkpoints.leaseDurationMs : 10_000),
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
      ...(options.loadConnector === undefined ? {} : { loadConnector: options.loadConnector }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    };
    const supervision = options.failureBudgetMs === undefined ? {} : { failureBudgetMs: options.failureBudgetMs };
    this.pipelines = config.pipelines.map((pipeline) => new Pipeline(pipeline, deps, supervision));
  }

  /** The operations server's base URL once started (null when `server.enabled` is false). */
  get url(): string | null {
    return this.#server?.url ?? null;
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

  ready(): boolean {
    return this.pipelines.every((p) => !p.config.enabled || p.state === 'Enabled');
  }

  statuses(): readonly PipelineStatus[] {
    return this.pipelines.map((p) => p.status());
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
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
      });
      this.logger.info({ url: this.#server.url }, 'operations server listening');
    }
    for (const pipeline of this.pipelines) {
      pipeline.start().catch(() => undefined); // the pipeline records its own failure (state Failed, lastError)
    }
  }

  async #stop(): Promise<void> {
    await this.#started?.catch(() => undefined);
    await Promise.all(this.pipelines.map((p) => p.stop(this.config.shutdownTimeoutMs)));
    await (await this.#store?.catch(() => null))?.close();
    await this.#server?.close();
    this.logger.info('stopped');
  }
}
