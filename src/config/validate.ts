/**
 * Validation of a configuration value, shared by files and library objects:
 * interpolation → schema → per-source and cross-pipeline rules. Every issue is collected;
 * nothing stops at the first one.
 */
import { finishMessage } from './echo.js';
import type { FieldPath, PathIssue } from './field-path.js';
import { formatFieldPath, isUnder } from './field-path.js';
import { checkInputShape } from './input-shape.js';
import { interpolate, type ConfigEnv } from './interpolate.js';
import { CONFIG_LIMITS } from './limits.js';
import { awsOnlyWarnings } from './rules/aws-only-warnings.js';
import { configRules } from './rules/config-rules.js';
import { fileConfigSchema, libraryConfigSchema, type ParsedConfig } from './schema/config.js';
import { knownFieldNames } from './schema/json-schema.js';
import { fromZodIssues, issueMessage } from './schema/zod-issues.js';
import { isSecretPath } from './secret-fields.js';

/** How to validate. */
export interface ValidateOptions {
  /** Environment for `${VAR}` interpolation; null disables interpolation. */
  readonly env: ConfigEnv | null;
  /** The injected clock (epoch ms), for "StartingPositionTimestamp cannot be in the future". */
  readonly nowMs: number;
  /** Library objects may use `function: { type: 'in-process' }`; files may not. */
  readonly allowInProcess: boolean;
}

/** The parsed configuration and its warnings, or every issue (paths only; index.ts locates them). */
export type ValidationResult =
  | { readonly ok: true; readonly config: ParsedConfig; readonly warnings: readonly PathIssue[] }
  | { readonly ok: false; readonly issues: readonly PathIssue[] };

/**
 * Validate `input` (a parsed YAML/JSON document or a library object). Its shape is checked first
 * (input-shape.ts: cycles, nesting, size), so nothing below meets a value that could exhaust the stack or
 * the memory. No message echoes the value of a field that may hold a secret (secret-fields.ts).
 */
export function validateConfig(input: unknown, options: ValidateOptions): ValidationResult {
  if (input === undefined) return { ok: false, issues: [{ path: [], message: 'expected a mapping with a pipelines list (got nothing)' }] };
  const shape = checkInputShape(input, CONFIG_LIMITS);
  if (shape !== null) return { ok: false, issues: [{ path: shape.path, message: finishMessage(shape.message, true) }] };
  const interpolated = options.env === null ? { value: input, issues: [], secretPaths: [] } : interpolate(input, options.env);
  const schema = options.allowInProcess ? libraryConfigSchema : fileConfigSchema;
  const parsed = schema.safeParse(interpolated.value, { error: issueMessage });
  const schemaIssues = parsed.success ? [] : fromZodIssues(parsed.error.issues, knownFieldNames());
  const ruleIssues = configRules(interpolated.value, { nowMs: options.nowMs });
  // A value whose interpolation failed is unknown: issues about it would only be noise.
  const unresolved: readonly FieldPath[] = interpolated.issues.map((issue) => issue.path);
  const downstream = [...schemaIssues, ...ruleIssues].filter((issue) => !unresolved.some((path) => isUnder(issue.path, path)));
  const secret = (path: FieldPath): boolean => isSecretPath(path) || interpolated.secretPaths.some((prefix) => isUnder(path, prefix));
  const issues = dedupe([...interpolated.issues, ...downstream]).map((issue) => ({ path: issue.path, message: finishMessage(issue.message, secret(issue.path)) }));
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  const warnings = awsOnlyWarnings(interpolated.value).map((w) => ({ path: w.path, message: finishMessage(w.message, secret(w.path)) }));
  return { ok: true, config: parsed.data, warnings };
}

function dedupe(issues: readonly PathIssue[]): PathIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${formatFieldPath(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
