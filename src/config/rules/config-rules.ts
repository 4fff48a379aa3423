/**
 * Rules that look at several fields or several pipelines at once. They run on the raw
 * (interpolated) value even when the schema found problems, so all issues surface together.
 */
import type { FieldPath, PathIssue } from '../field-path.js';
import { formatFieldPath } from '../field-path.js';
import { commonRules, type RuleContext } from './common-rules.js';
import { asyncInvokeRules } from './async-invoke-rules.js';
import { functionReferenceRules } from './function-references.js';
import { metricsConfigRules } from './metrics-config-rules.js';
import { pipelineView, type PipelineView } from './pipeline-view.js';
import { provisionedPollerRules } from './provisioned-poller-rules.js';
import { uuidRules } from './uuid-rules.js';
import type { SourceDescriptor } from '../../connector/source-descriptor.js';
import { SOURCE_DESCRIPTORS, findSourceDescriptor } from '../../connector/source-descriptors.js';

export type { RuleContext } from './common-rules.js';

/** All cross-field rules of a configuration; paths are absolute. */
export function configRules(config: unknown, context: RuleContext): PathIssue[] {
  const pipelines = typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['pipelines'] : undefined;
  if (!Array.isArray(pipelines)) return [];
  if (pipelines.length === 0 && !apiEnabled(config)) return [{ path: ['pipelines'], message: 'must list at least 1 pipeline (or enable api: to create mappings through the Lambda API)' }];
  const views = pipelines.map((raw: unknown) => pipelineView(raw));
  const issues: PathIssue[] = [];
  views.forEach((view, index) => {
    const prefix: FieldPath = ['pipelines', index];
    for (const issue of pipelineRules(view, context)) issues.push({ path: [...prefix, ...issue.path], message: issue.message });
  });
  const fileRules = SOURCE_DESCRIPTORS.flatMap((descriptor: SourceDescriptor) => descriptor.fileRules?.(views) ?? []);
  issues.push(...uniqueNames(views), ...fileRules, ...uuidRules(views), ...functionReferenceRules(config), ...asyncInvokeRules(config));
  return issues;
}

/** `api:` is given and not `enabled: false` (the schema reports a malformed one). */
function apiEnabled(config: unknown): boolean {
  const api = (config as Record<string, unknown>)['api'];
  if (typeof api !== 'object' || api === null) return false;
  const enabled = (api as Record<string, unknown>)['enabled'];
  return String(enabled).trim().toLowerCase() !== 'false';
}

function pipelineRules(view: PipelineView, context: RuleContext): PathIssue[] {
  const specific = findSourceDescriptor(view.sourceType)?.rules(view) ?? [];
  return [...specific, ...commonRules(view, context), ...metricsConfigRules(view), ...provisionedPollerRules(view)];
}

/** Pipeline names are unique: they key checkpoints, metrics and consumer groups. */
function uniqueNames(views: readonly PipelineView[]): PathIssue[] {
  const seen = new Map<string, number>();
  const issues: PathIssue[] = [];
  views.forEach((view, index) => {
    const name = view.get('name');
    if (name === undefined) return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else issues.push({ path: ['pipelines', index, 'name'], message: `duplicate pipeline name "${name}" (also ${formatFieldPath(['pipelines', first, 'name'])})` });
  });
  return issues;
}
