/**
 * Validation of a mapping's parameters with the very code `tributary validate` runs (src/config:
 * `resolveConfigObject` → schema, per-source rules, filter compiler, resolution), so the API and the config file can
 * never disagree on what is valid. The pipeline is checked as a one-pipeline configuration.
 *
 * The function is not part of a mapping's parameters: it is one of the declared `functions:`, looked up by the API
 * first (ResourceNotFoundException otherwise). The configuration still needs a `function:` to validate a pipeline,
 * so the check uses a stand-in `http` function that carries only the declared function's timeout (the one function
 * property a mapping rule reads: Kafka's 14-minute limit) and is never run; issues about the stand-in itself are
 * dropped. Cross-mapping rules (duplicate mappings, shared consumer groups) need every mapping and belong to the
 * MappingControl.
 */
import { resolveConfigObject } from '../config/index.js';
import type { PipelineConfig } from '../config/types.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { invalidParameter, validationError } from './api-errors.js';
import { apiIssues } from './esm-issue-messages.js';
import type { PipelineInput } from './ports.js';

/** How validation resolves relative paths and what "now" is (StartingPositionTimestamp cannot be in the future). */
export interface MappingValidationContext {
  /** `file://` destinations resolve against this folder (the config file's). */
  readonly baseDir: string;
  readonly nowMs: number;
}

/** Lambda's maximum function timeout, the stand-in's limit (the schema's `function.timeout` range). */
const MAX_TIMEOUT_SECONDS = 900;
const STAND_IN_URL = 'http://127.0.0.1/';

/**
 * The resolved pipeline (AWS defaults applied), for the document; its `function` is the stand-in and must not be run.
 * @throws LambdaApiError InvalidParameterValueException (or ValidationException) with AWS's message where AWS has one.
 */
export function resolveMappingPipeline(pipeline: PipelineInput, functionTimeoutSeconds: number, context: MappingValidationContext): PipelineConfig {
  const standIn = { type: 'http', url: STAND_IN_URL, timeout: Math.min(Math.max(1, Math.round(functionTimeoutSeconds)), MAX_TIMEOUT_SECONDS) };
  try {
    const config = resolveConfigObject({ pipelines: [{ ...pipeline, function: standIn }] }, { baseDir: context.baseDir, now: () => context.nowMs });
    const resolved = config.pipelines[0];
    if (resolved === undefined) throw invalidParameter('The event source mapping has no parameters');
    return resolved;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw refusal(error.issues.filter((issue) => isAboutTheMapping(issue)), pipeline);
  }
}

function isAboutTheMapping(issue: ConfigIssue): boolean {
  if (!issue.path.startsWith('pipelines[0].function')) return true;
  return issue.path === 'pipelines[0].function.timeout';
}

function refusal(issues: readonly ConfigIssue[], pipeline: PipelineInput): Error {
  const mapped = apiIssues(issues, pipeline);
  const violations = mapped.filter((issue) => issue.type === 'ValidationException').map((issue) => issue.message);
  if (violations.length > 0) return validationError(violations);
  if (mapped.length === 0) return invalidParameter('The event source mapping parameters are not valid');
  return invalidParameter(mapped.map((issue) => issue.message).join('; '));
}
