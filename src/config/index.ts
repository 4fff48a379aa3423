/**
 * Public entry points of the configuration (DESIGN §4, §7.3): load a YAML/JSON file or resolve a
 * library object into the frozen `TributaryConfig`, and the JSON Schema of the file format.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { ConfigError, TributaryError, type ConfigIssue } from '../errors.js';
import { checkConfigText, decodeConfigBytes } from './config-text.js';
import { safeText, shortKey } from './echo.js';
import { formatFieldPath, type PathIssue } from './field-path.js';
import type { ConfigEnv } from './interpolate.js';
import { CONFIG_LIMITS } from './limits.js';
import { loadYaml, type Locator } from './load-yaml.js';
import { readBounded, type BoundedRead } from './read-bounded.js';
import { resolveConfig } from './resolve.js';
import type { TributaryConfig } from './types.js';
import { validateConfig } from './validate.js';

export type * from './types.js';
export type { ConfigEnv } from './interpolate.js';
export { CONFIG_LIMITS, type ConfigLimits } from './limits.js';
export type { TributaryConfigInput } from './schema/config.js';
export type { InProcessHandler } from './schema/function.js';
export { configJsonSchema } from './schema/json-schema.js';
export { AWS_ONLY_PARAMETERS, awsOnlyMessage, awsOnlyParameter, type AwsOnlyParameter } from './aws-only.js';
export { pipelineUuid, PIPELINE_UUID_NAMESPACE } from './pipeline-uuid.js';

/** Options of `loadConfigFile` and `parseConfigText`. */
export interface LoadConfigOptions {
  /** Environment for `${VAR}` / `${VAR:-default}` interpolation (e.g. `process.env`). */
  readonly env: ConfigEnv;
  /** Clock, epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
  /** Folder a relative `path` is resolved against; default `process.cwd()`. */
  readonly cwd?: string;
}

const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'not found',
  EISDIR: 'cannot be read: it is a directory',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: permission denied',
};

/**
 * Read, interpolate, validate and resolve a configuration file (YAML or JSON). At most
 * `CONFIG_LIMITS.maxFileBytes` bytes are read; a larger file, a binary file and a file of several
 * YAML documents are refused with a positioned issue.
 * @throws ConfigError with every issue at once, each with file, line, column and field path.
 * @throws TributaryError `CONFIG_NOT_FOUND` when the file cannot be read.
 */
export async function loadConfigFile(path: string, options: LoadConfigOptions): Promise<TributaryConfig> {
  const absolute = resolvePath(options.cwd ?? process.cwd(), path);
  let read: BoundedRead;
  try {
    read = await readBounded(absolute, CONFIG_LIMITS.maxFileBytes);
  } catch (error) {
    const reason = READ_FAILURES[String((error as { code?: unknown }).code)] ?? 'cannot be read';
    throw new TributaryError('CONFIG_NOT_FOUND', `configuration file ${safeText(path)} ${reason}`, { cause: error });
  }
  const decoded = decodeConfigBytes(read.bytes, path, CONFIG_LIMITS, read.size, read.truncated);
  if (!decoded.ok) throw new ConfigError([decoded.issue]);
  return parseConfigText(decoded.text, { ...options, file: path, absolutePath: absolute });
}

/** Options of `parseConfigText`: `file` labels issues; `absolutePath` locates relative paths. */
export interface ParseConfigTextOptions extends LoadConfigOptions {
  readonly file: string;
  readonly absolutePath: string;
}

/**
 * Like `loadConfigFile` for text already in memory.
 * @throws ConfigError with every issue at once.
 */
export function parseConfigText(text: string, options: ParseConfigTextOptions): TributaryConfig {
  const checked = checkConfigText(text, options.file, CONFIG_LIMITS);
  if (!checked.ok) throw new ConfigError([checked.issue]);
  const loaded = loadYaml(text, options.file);
  if (!loaded.ok) throw new ConfigError(loaded.issues);
  if (loaded.value === null || loaded.value === undefined) {
    throw new ConfigError([{ file: options.file, line: 1, column: 1, path: '', message: 'the file is empty (expected a mapping with a pipelines list)' }]);
  }
  const result = validateConfig(loaded.value, { env: options.env, nowMs: (options.now ?? Date.now)(), allowInProcess: false });
  if (!result.ok) throw new ConfigError(locateIssues(result.issues, options.file, loaded.locate));
  const warnings = locateIssues(result.warnings, options.file, loaded.locate);
  return resolveConfig(result.config, { file: options.absolutePath, baseDir: dirname(options.absolutePath), warnings });
}

/** Options of `resolveConfigObject`. */
export interface ResolveConfigOptions {
  /** Environment for `${VAR}` interpolation; when absent, strings are taken literally. */
  readonly env?: ConfigEnv;
  /** Folder relative paths (handlers, checkpoints, `file://`) resolve against; default `process.cwd()`. */
  readonly baseDir?: string;
  /** Clock, epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Validate and resolve a configuration object built in code (same rules as a file, plus
 * `function: { type: 'in-process', handler }`). Issues carry no file or line.
 * @throws ConfigError with every issue at once.
 */
export function resolveConfigObject(input: unknown, options: ResolveConfigOptions = {}): TributaryConfig {
  const result = validateConfig(input, { env: options.env ?? null, nowMs: (options.now ?? Date.now)(), allowInProcess: true });
  if (!result.ok) throw new ConfigError(result.issues.map((issue) => toConfigIssue(issue, null, null)));
  const warnings = result.warnings.map((issue) => toConfigIssue(issue, null, null));
  return resolveConfig(result.config, { file: null, baseDir: resolvePath(options.baseDir ?? process.cwd()), warnings });
}

function locateIssues(issues: readonly PathIssue[], file: string, locate: Locator): ConfigIssue[] {
  return issues
    .map((issue) => toConfigIssue(issue, file, locate))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function toConfigIssue(issue: PathIssue, file: string | null, locate: Locator | null): ConfigIssue {
  const position = locate?.(issue.path) ?? null;
  return {
    file,
    line: position?.line ?? null,
    column: position?.column ?? null,
    path: safeText(formatFieldPath(issue.path.map((segment) => (typeof segment === 'string' ? shortKey(segment) : segment)))),
    message: issue.message,
  };
}
