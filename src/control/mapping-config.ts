/**
 * The pipeline a mapping runs with, from what is stored: the parameters resolved by the configuration's own code
 * (src/api/esm-validation.ts — the same as `tributary validate`), the function of the config's `functions:` map it
 * names (the very object the file's pipelines share, so the function registry gives them one runner), and the
 * mapping's UUID. Pure.
 *
 * A pipeline of the config file changed through the API (`fileMappings: writable`) is its file input with the stored
 * parameters over it; its source stays the file's (the store keeps only `source.scalingConfig`, never credentials).
 */
import { resolveMappingPipeline } from '../api/esm-validation.js';
import type { PipelineInput } from '../api/ports.js';
import type { StoredMapping } from '../checkpoint/mapping-store.js';
import type { DeclaredFunctionConfig, FunctionConfig, PipelineConfig } from '../config/types.js';
import { deepFreeze } from '../config/deep-freeze.js';
import { TributaryError } from '../errors.js';

/** What resolution needs besides the mapping. */
export interface MappingResolution {
  readonly functions: Readonly<Record<string, DeclaredFunctionConfig>>;
  /** Relative `file://` destinations resolve here (the config file's folder). */
  readonly baseDir: string;
  readonly nowMs: number;
}

/** The file's own pipeline, for a mapping of the config file. */
export interface FileMapping {
  readonly config: PipelineConfig;
  readonly input: PipelineInput;
}

/**
 * The pipeline config of `input` calling `functionName` under `uuid`.
 * @throws LambdaApiError when the parameters do not resolve; TributaryError CONFIG_INVALID for an unknown function.
 */
export function mappingPipelineConfig(input: PipelineInput, functionName: string, uuid: string, resolution: MappingResolution, file: FileMapping | null = null): PipelineConfig {
  const declared = resolution.functions[functionName];
  // A file pipeline with an inline function keeps it while the API leaves the function alone.
  const inline = file !== null && file.config.functionRef === null && file.config.function.functionName === functionName ? file.config.function : null;
  const fn: FunctionConfig | undefined = inline ?? declared;
  if (fn === undefined) throw new TributaryError('CONFIG_INVALID', `function ${functionName} is not declared in functions:`);
  const resolved = resolveMappingPipeline(input, fn.timeoutMs / 1000, { baseDir: resolution.baseDir, nowMs: resolution.nowMs });
  return deepFreeze({ ...resolved, uuid, function: fn, functionRef: inline === null ? functionName : null });
}

/** The input a stored change of a file pipeline runs with: the stored parameters over the file's, with the file's source. */
export function fileMappingInput(file: FileMapping, stored: StoredMapping): PipelineInput {
  const source = { ...asObject(file.input['source']), ...asObject(stored.pipeline['source']) };
  return { ...stored.pipeline, name: file.config.name, source };
}

/** What is stored for a change of a file pipeline: its parameters, and of its source only what the API may change. */
export function storableFileInput(input: PipelineInput): PipelineInput {
  const { source, ...rest } = input;
  const scaling = asObject(source)['scalingConfig'];
  return { ...rest, source: scaling === undefined ? {} : { scalingConfig: scaling } };
}

/** The function a file pipeline calls, as the API names it (its `functions:` entry, or its inline function's name). */
export function fileFunctionName(config: PipelineConfig): string {
  return config.functionRef ?? config.function.functionName;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
