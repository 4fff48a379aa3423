/**
 * The service's Lambda API (`api:`): the mapping control plane over the running pipelines, the declared functions,
 * Invoke through their shared runners, all served by src/api's server. Built and started by the service; this file
 * only wires the pieces together and turns `api:` into the server's options.
 */
import { isLoopbackHost } from '../api/auth-policy.js';
import type { SourceDefaults } from '../api/esm-source.js';
import { functionArn } from '../api/function-name.js';
import { startApiServer, type ApiServer } from '../api/http-server.js';
import type { ApiCredential } from '../api/sigv4-verify.js';
import type { MappingStore } from '../checkpoint/mapping-store.js';
import type { ApiConfig, AwsClientConfig, TributaryConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import type { EventInvokeConfigStore } from '../api/ports.js';
import { FunctionInvoker, type AsyncEnqueuer } from '../functions/function-invoker.js';
import type { FunctionRegistry } from '../functions/function-registry.js';
import { PendingEventInvokeConfigs } from '../functions/pending-event-invoke-configs.js';
import type { Logger } from '../observability/logger.js';
import { ServiceMappingControl } from './mapping-control.js';
import { MappingSync } from './mapping-sync.js';
import type { PipelineHost } from './pipeline-host.js';

export interface LambdaApiOptions {
  readonly config: TributaryConfig;
  readonly host: PipelineHost;
  readonly functions: FunctionRegistry;
  readonly store: MappingStore;
  readonly credentials: readonly ApiCredential[];
  readonly logger: Logger;
  readonly now: () => number;
  /** The folder of the config file (relative `file://` destinations of API mappings resolve here). */
  readonly baseDir: string;
  /** Lease expiry of stream pipelines: how long a killed replica's leases of a deleted mapping are waited for. */
  readonly leaseDurationMs: number;
  /** Where Invoke stores `Event` invocations (absent: 501). */
  readonly asyncQueue?: AsyncEnqueuer;
  /** Where FunctionEventInvokeConfigs are kept (absent: reads find none, writes answer 501). */
  readonly eventInvokeConfigs?: EventInvokeConfigStore;
}

/**
 * Refuses an API reachable from other hosts without credentials before anything starts (the server would refuse to
 * start later anyway; failing first keeps pipelines from starting for a service that will not run).
 * @throws TributaryError CONFIG_INVALID
 */
export function checkApiExposure(api: ApiConfig, credentials: readonly ApiCredential[]): void {
  if (!api.enabled || isLoopbackHost(api.host) || credentials.length > 0) return;
  throw new TributaryError(
    'CONFIG_INVALID',
    `api.host is ${api.host}, reachable from other hosts: set TRIBUTARY_API_ACCESS_KEY_ID and TRIBUTARY_API_SECRET_ACCESS_KEY (requests must then be SigV4-signed with them), or bind api.host to 127.0.0.1`,
  );
}

/** The control plane of one service; `start()` serves the API once the file's pipelines run. */
export class LambdaApi {
  readonly sync: MappingSync;
  readonly #options: LambdaApiOptions;
  #server: ApiServer | null = null;

  constructor(options: LambdaApiOptions) {
    this.#options = options;
    const { config } = options;
    this.sync = new MappingSync({
      config,
      store: options.store,
      host: options.host,
      logger: options.logger,
      now: options.now,
      baseDir: options.baseDir,
      releaseGraceMs: 2 * options.leaseDurationMs + config.shutdownTimeoutMs + config.api.syncIntervalMs,
    });
  }

  get url(): string | null {
    return this.#server?.url ?? null;
  }

  /** Starts the periodic sync and the server. */
  async start(): Promise<void> {
    const { config, logger } = this.#options;
    const api = config.api;
    const identity = { region: api.region, accountId: api.accountId };
    const arn = (name: string): string => functionArn(identity, name);
    this.sync.start(api.syncIntervalMs);
    const mappings = new ServiceMappingControl({
      sync: this.sync,
      host: this.#options.host,
      resolution: () => ({ functions: config.functions, baseDir: this.#options.baseDir, nowMs: this.#options.now() }),
      fileMappingsWritable: api.fileMappings === 'writable',
      now: this.#options.now,
      functionArn: arn,
    });
    this.#server = await startApiServer({
      host: api.host,
      port: api.port,
      region: api.region,
      accountId: api.accountId,
      credentials: this.#options.credentials,
      sourceDefaults: sourceDefaultsOf(api),
      baseDir: this.#options.baseDir,
      logger: logger.child({ component: 'lambda-api' }),
      now: this.#options.now,
      ports: {
        mappings,
        functions: this.#options.functions,
        invoker: new FunctionInvoker({
          registry: this.#options.functions,
          now: this.#options.now,
          functionArn: arn,
          ...(this.#options.asyncQueue === undefined ? {} : { asyncQueue: this.#options.asyncQueue }),
        }),
        eventInvokeConfigs: this.#options.eventInvokeConfigs ?? new PendingEventInvokeConfigs(),
      },
    });
    logger.info({ url: this.#server.url, signatures: this.#server.requireSignature ? 'required' : 'optional' }, 'Lambda API listening');
  }

  /** Stops serving and syncing (pipelines are the service's to stop). */
  async close(): Promise<void> {
    await this.#server?.close();
    await this.sync.close();
  }
}

function sourceDefaultsOf(api: ApiConfig): SourceDefaults {
  const aws = (given: AwsClientConfig): { endpoint?: string; region?: string } => ({
    ...(given.endpoint === null ? {} : { endpoint: given.endpoint }),
    ...(given.region === null ? {} : { region: given.region }),
  });
  const defaults = api.sourceDefaults;
  return { sqs: aws(defaults.sqs), kinesis: aws(defaults.kinesis), dynamodbStreams: aws(defaults.dynamodbStreams), mskBootstrapServers: defaults.mskBootstrapServers };
}
