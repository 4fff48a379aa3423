/**
 * Tributary's library API: run Lambda event source mappings inside your own service.
 *
 * ```ts
 * import { createPipeline, type SQSEvent } from 'tributary-esm';
 * const pipeline = createPipeline({
 *   name: 'orders',
 *   source: { type: 'sqs', queueUrl: process.env.QUEUE_URL },
 *   function: async (event) => ({ batchItemFailures: [] }),   // event: SQSEvent
 *   functionResponseTypes: ['ReportBatchItemFailures'],
 * });
 * await pipeline.start();
 * // …
 * await pipeline.stop();
 * ```
 *
 * The input is typed (src/types/input/): a pipeline is a union discriminated by `source.type`, each with the
 * parameters its source takes, and an in-process handler gets the source's Lambda event type (src/types/events/).
 */
import { resolveConfigObject } from './config/index.js';
import type { TributaryConfig } from './config/types.js';
import type { PipelineEventMap, PipelineEventName, PipelineState } from './observability/events.js';
import type { PipelineStatus } from './pipeline/pipeline.js';
import { TributaryService, type ServiceOptions } from './pipeline/service.js';
import type { AnyEventHandler, PipelineInput, ServiceInput, ServiceSettingsInput, SourceTypeInput } from './types/index.js';

export { TributaryService, type ServiceOptions } from './pipeline/service.js';
export type { PipelineStatus } from './pipeline/pipeline.js';
export type { PipelineEventMap, PipelineEventName, PipelineState } from './observability/events.js';
export type { TributaryConfig, PipelineConfig, SourceConfig, FunctionConfig } from './config/types.js';
export type { LambdaContext, LambdaHandler, FunctionRunner, InvokeResult } from './runner/types.js';
export { TributaryError, ConfigError, type ErrorCode, type ConfigIssue } from './errors.js';
export { loadConfigFile, resolveConfigObject, configJsonSchema } from './config/index.js';
export type * from './types/index.js';
export { startTracing, tracingFromProvider, type StartTracingOptions } from './observability/tracing/start.js';
export type { Tracing } from './observability/tracing/types.js';

/** A handler passed directly: `async (event, context) => result`, exactly as a Lambda handler (any source). */
export type InProcessHandler = AnyEventHandler;

export interface PipelineHandle {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): PipelineStatus;
  readonly state: PipelineState;
  on<K extends PipelineEventName>(name: K, listener: (event: PipelineEventMap[K]) => void): () => void;
}

export interface LibraryOptions extends ServiceOptions {
  /** Environment for `${VAR}` interpolation (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folder `./handlers/x.handler` and `file://` paths resolve from (default: process.cwd()). */
  readonly baseDir?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Anything that is not a mapping goes to the validator as it is, which reports it as a ConfigError (issue 19).
function normaliseFunction(pipeline: unknown): unknown {
  if (!isRecord(pipeline)) return pipeline;
  const fn = pipeline['function'];
  return typeof fn === 'function' ? { ...pipeline, function: { type: 'in-process', handler: fn } } : pipeline;
}

function resolve(input: unknown, options: LibraryOptions): TributaryConfig {
  const resolveOptions = { env: options.env ?? process.env, baseDir: options.baseDir ?? process.cwd() };
  if (!isRecord(input)) return resolveConfigObject(input, resolveOptions);
  const pipelines = Array.isArray(input['pipelines']) ? (input['pipelines'] as unknown[]).map(normaliseFunction) : input['pipelines'];
  return resolveConfigObject({ ...input, pipelines }, resolveOptions);
}

/**
 * `ServiceInput` with each pipeline tied to its own source type (`Types[I]`, inferred from `source.type`), so each
 * inline handler is typed by its source; `Ref` is inferred from the keys of `functions:`.
 */
type TypedServiceInput<Types extends readonly SourceTypeInput[], Ref extends string> = ServiceSettingsInput & {
  readonly functions?: ServiceInput<Types, Ref>['functions'];
  readonly pipelines: { readonly [I in keyof Types]: PipelineInput<Types[I], Ref> & { readonly source: { readonly type: Types[I] } } };
};

/**
 * A service running several pipelines (and, unless `server.enabled: false`, the operations server). Takes the YAML
 * file's shape, typed: each pipeline by its `source.type`, and `function: '<name>'` only for names of `functions:`.
 * Values the types cannot check (ranges, ARNs, a missing `queueUrl`) throw a `ConfigError` listing every issue.
 */
export function createService<const Types extends readonly SourceTypeInput[], const Ref extends string = never>(
  config: TypedServiceInput<Types, Ref>,
  options: LibraryOptions = {},
): TributaryService {
  return new TributaryService(resolve(config, options), options);
}

/**
 * One pipeline, in-process, without the operations server; typed by its `source.type` (its handler gets that
 * source's Lambda event). Config errors throw a ConfigError at once.
 */
export function createPipeline<const T extends SourceTypeInput>(
  pipeline: PipelineInput<T> & { readonly source: { readonly type: T } },
  options: LibraryOptions = {},
): PipelineHandle {
  const service = new TributaryService(resolve({ server: { enabled: false }, pipelines: [pipeline] }, options), options);
  const [only] = service.pipelines;
  if (only === undefined) throw new Error('unreachable: one pipeline was given');
  return {
    name: only.name,
    start: async () => {
      await service.start();
      await only.start();
    },
    stop: () => service.stop(),
    status: () => only.status(),
    get state() {
      return only.state;
    },
    on: (name, listener) => service.on(name, listener),
  };
}
