/**
 * Validated input → the frozen `TributaryConfig` (DESIGN §7.3): AWS defaults per source,
 * milliseconds, nulls instead of missing fields, paths made absolute, then deep-frozen.
 */
import { absolute } from './absolute-path.js';
import {
  DEFAULT_API,
  DEFAULT_CHECKPOINT_PATH,
  DEFAULT_LOG_LEVEL,
  DEFAULT_PARALLELIZATION_FACTOR,
  DEFAULT_SERVER,
  DEFAULT_SHUTDOWN_TIMEOUT_SECONDS,
  INFINITE,
} from './defaults.js';
import { deepFreeze } from './deep-freeze.js';
import { TributaryError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import { pipelineUuid } from './pipeline-uuid.js';
import { resolveMetricsConfig, withProvisionedPollers } from './resolve-esm-knobs.js';
import { resolveFunction } from './resolve-function.js';
import { resolveFunctionAsync } from './resolve-function-async.js';
import { resolveSource } from './resolve-source.js';
import { destinationString, destinationTarget, resolveDestination } from './resolve-destination.js';
import { sourceDescriptorOf } from '../connector/source-descriptors.js';
import type { SourceTraits } from '../connector/source-traits.js';
import type { ParsedConfig, ParsedPipeline } from './schema/config.js';
import type {
  ApiConfig,
  AwsClientConfig,
  CheckpointConfig,
  DeclaredFunctionConfig,
  PipelineConfig,
  TributaryConfig,
} from './types.js';

/** Where the configuration came from. */
export interface ResolveContext {
  /** Absolute path of the config file, or null for a library object. */
  readonly file: string | null;
  /** Relative paths (handlers, checkpoints, `file://` destinations) resolve against this folder. */
  readonly baseDir: string;
  /** Located warnings of the validation (`TributaryConfig.warnings`); none when absent. */
  readonly warnings?: readonly ConfigIssue[];
}

type Functions = Readonly<Record<string, DeclaredFunctionConfig>>;

/** Resolve a configuration that passed validation. */
export function resolveConfig(parsed: ParsedConfig, context: ResolveContext): TributaryConfig {
  const functions = resolveFunctions(parsed.functions, context.baseDir);
  return deepFreeze({
    file: context.file,
    server: {
      enabled: parsed.server?.enabled ?? DEFAULT_SERVER.enabled,
      host: parsed.server?.host ?? DEFAULT_SERVER.host,
      port: parsed.server?.port ?? DEFAULT_SERVER.port,
    },
    checkpoints: resolveCheckpoints(parsed.checkpoints, context.baseDir),
    shutdownTimeoutMs: (parsed.shutdownTimeoutSeconds ?? DEFAULT_SHUTDOWN_TIMEOUT_SECONDS) * 1000,
    logLevel: parsed.logLevel ?? DEFAULT_LOG_LEVEL,
    exitOnFailed: parsed.exitOnFailed ?? false,
    api: resolveApi(parsed.api),
    functions,
    pipelines: parsed.pipelines.map((pipeline) => resolvePipeline(pipeline, context.baseDir, functions)),
    // A JSON copy: the validated values are plain data, and absent (blank) fields disappear instead of being `undefined`.
    pipelineInputs: Object.fromEntries(parsed.pipelines.map(({ function: _fn, ...input }) => [input.name, JSON.parse(JSON.stringify(input)) as Record<string, unknown>])),
    warnings: [...(context.warnings ?? [])],
  });
}

/** `functions:` entries: the runner settings resolved as an inline function named after the key, plus their own settings. */
function resolveFunctions(declared: ParsedConfig['functions'], baseDir: string): Functions {
  const functions: Record<string, DeclaredFunctionConfig> = {};
  for (const [name, fn] of Object.entries(declared ?? {})) {
    functions[name] = {
      ...resolveFunction(fn, name, baseDir),
      reservedConcurrency: fn.reservedConcurrency ?? null,
      description: fn.description ?? null,
      asyncInvoke: resolveFunctionAsync(fn, baseDir),
    };
  }
  return functions;
}

/** `api:` absent → disabled; present → enabled unless `enabled: false`. */
function resolveApi(api: ParsedConfig['api']): ApiConfig {
  const endpoint = (given: { endpoint?: string | undefined; region?: string | undefined } | undefined): AwsClientConfig => ({
    endpoint: given?.endpoint ?? null,
    region: given?.region ?? null,
  });
  const defaults = api?.sourceDefaults;
  return {
    enabled: api === undefined ? false : (api.enabled ?? true),
    host: api?.host ?? DEFAULT_API.host,
    port: api?.port ?? DEFAULT_API.port,
    region: api?.region ?? DEFAULT_API.region,
    accountId: api?.accountId ?? DEFAULT_API.accountId,
    fileMappings: api?.fileMappings ?? DEFAULT_API.fileMappings,
    syncIntervalMs: (api?.syncIntervalSeconds ?? DEFAULT_API.syncIntervalSeconds) * 1000,
    sourceDefaults: {
      sqs: endpoint(defaults?.sqs),
      kinesis: endpoint(defaults?.kinesis),
      dynamodbStreams: endpoint(defaults?.dynamodbStreams),
      mskBootstrapServers: { ...(defaults?.mskBootstrapServers ?? {}) },
    },
  };
}

function resolveCheckpoints(checkpoints: ParsedConfig['checkpoints'], baseDir: string): CheckpointConfig {
  if (checkpoints === undefined || checkpoints.type === 'file') {
    return { type: 'file', path: absolute(checkpoints?.path ?? DEFAULT_CHECKPOINT_PATH, baseDir) };
  }
  return {
    type: 'dynamodb',
    tableName: checkpoints.tableName,
    region: checkpoints.region ?? null,
    endpoint: checkpoints.endpoint ?? null,
    leaseDurationMs: (checkpoints.leaseDurationSeconds ?? 10) * 1000,
  };
}

function resolvePipeline(pipeline: ParsedPipeline, baseDir: string, functions: Functions): PipelineConfig {
  const source = withProvisionedPollers(resolveSource(pipeline.source, pipeline.name, baseDir), pipeline.provisionedPollerConfig);
  const type = source.type;
  const traits = sourceDescriptorOf(source).traits;
  const window = pipeline.maximumBatchingWindowInSeconds;
  const destination = pipeline.destinationConfig?.onFailure.destination;
  const onFailure = destination === undefined ? null : resolveDestination(destination, baseDir, source, destinationTarget(pipeline));
  const timestamp = pipeline.startingPositionTimestamp;
  const age = pipeline.maximumRecordAgeInSeconds ?? INFINITE;
  const fn = pipeline.function;
  return {
    name: pipeline.name,
    uuid: pipeline.uuid?.toLowerCase() ?? pipelineUuid(pipeline.name),
    enabled: pipeline.enabled ?? true,
    source,
    function: typeof fn === 'string' ? referenced(functions, fn) : resolveFunction(fn, pipeline.name, baseDir),
    functionRef: typeof fn === 'string' ? fn : null,
    batchSize: pipeline.batchSize ?? traits.defaultBatchSize,
    maximumBatchingWindowMs: window === undefined ? traits.defaultBatchingWindowMs : window * 1000,
    startingPosition: pipeline.startingPosition ?? null,
    startingPositionTimestampMs: timestamp === undefined ? null : Math.round(timestamp * 1000),
    parallelizationFactor: pipeline.parallelizationFactor ?? DEFAULT_PARALLELIZATION_FACTOR,
    bisectBatchOnFunctionError: pipeline.bisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: retryAttempts(pipeline, traits, onFailure !== null),
    maximumRecordAgeMs: age === INFINITE ? INFINITE : age * 1000,
    reportBatchItemFailures: pipeline.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    filterPatterns: pipeline.filterCriteria?.filters.map((filter) => filter.pattern) ?? [],
    onFailureDestination: onFailure === null ? null : destinationString(onFailure, destination ?? ''),
    onFailure,
    tumblingWindowMs: (pipeline.tumblingWindowInSeconds ?? 0) * 1000,
    onFailureDeliveryExhausted: pipeline.onFailureDeliveryExhausted ?? 'hold',
    metricsConfig: resolveMetricsConfig(pipeline.metricsConfig, type),
  };
}

/** The declared function `name` (rules/function-references.ts checked that it exists). */
function referenced(functions: Functions, name: string): DeclaredFunctionConfig {
  const fn = functions[name];
  if (fn === undefined) throw new TributaryError('INTERNAL', `unvalidated function reference ${name}`);
  return fn;
}

/**
 * Default -1 (infinite) [K-PARAM]. Where the source caps infinite retries with an OnFailure destination (Kafka:
 * "Lambda caps at 10 retries" [KF-RETRY, KF-OFD]), the resolved value is the effective cap.
 */
function retryAttempts(pipeline: ParsedPipeline, traits: SourceTraits, hasDestination: boolean): number {
  const attempts = pipeline.maximumRetryAttempts ?? INFINITE;
  const cap = traits.retryCapWithDestination;
  return cap !== null && hasDestination && attempts === INFINITE ? cap : attempts;
}
