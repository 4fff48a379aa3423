/**
 * Validation of a configuration value, shared by files and library objects:
 * interpolation → schema → per-source and cross-pipeline rules. Every issue is collected;
 * nothing stops at the first one.
 */
import type { FieldPath, PathIssue } from './field-path.js';
import { formatFieldPath, isUnder } from './field-path.js';
import { interpolate, type ConfigEnv } from './interpolate.js';
import { awsOnlyWarnings } from './rules/aws-only-warnings.js';
import { configRules } from './rules/config-rules.js';
import { fileConfigSchema, libraryConfigSchema, type ParsedConfig } from './schema/config.js';
import { knownFieldNames } from './schema/json-schema.js';
import { fromZodIssues, issueMessage } from './schema/zod-issues.js';

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

/** Validate `input` (a parsed YAML/JSON document or a library object). */
export function validateConfig(input: unknown, options: ValidateOptions): ValidationResult {
  const interpolated = options.env === null ? { value: input, issues: [] } : interpolate(input, options.env);
  const schema = options.allowInProcess ? libraryConfigSchema : fileConfigSchema;
  const parsed = schema.safeParse(interpolated.value, { error: issueMessage });
  const schemaIssues = parsed.success ? [] : fromZodIssues(parsed.error.issues, knownFieldNames());
  const ruleIssues = configRules(interpolated.value, { nowMs: options.nowMs });
  // A value whose interpolation failed is unknown: issues about it would only be noise.
  const unresolved: readonly FieldPath[] = interpolated.issues.map((issue) => issue.path);
  const downstream = [...schemaIssues, ...ruleIssues].filter((issue) => !unresolved.some((path) => isUnder(issue.path, path)));
  const issues = dedupe([...interpolated.issues, ...downstream]);
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, config: parsed.data, warnings: awsOnlyWarnings(interpolated.value) };
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
