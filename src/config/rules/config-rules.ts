/**
 * Rules that look at several fields or several pipelines at once. They run on the raw
 * (interpolated) value even when the schema found problems, so all issues surface together.
 */
import { defaultConsumerGroupId } from '../defaults.js';
import type { FieldPath, PathIssue } from '../field-path.js';
import { formatFieldPath } from '../field-path.js';
import { commonRules, type RuleContext } from './common-rules.js';
import { asyncInvokeRules } from './async-invoke-rules.js';
import { functionReferenceRules } from './function-references.js';
import { kafkaRules, serverList } from './kafka-rules.js';
import { metricsConfigRules } from './metrics-config-rules.js';
import { pipelineView, type PipelineView } from './pipeline-view.js';
import { provisionedPollerRules } from './provisioned-poller-rules.js';
import { sqsRules } from './sqs-rules.js';
import { dynamoDbStreamsRules, kinesisRules } from './stream-rules.js';
import { uuidRules } from './uuid-rules.js';

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
  issues.push(...uniqueNames(views), ...uniqueConsumerGroups(views), ...uuidRules(views), ...functionReferenceRules(config), ...asyncInvokeRules(config));
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
  const bySource = {
    sqs: sqsRules,
    kinesis: kinesisRules,
    'dynamodb-streams': dynamoDbStreamsRules,
    kafka: kafkaRules,
  } as const;
  const specific = view.sourceType === undefined ? [] : bySource[view.sourceType](view);
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

/** A consumer group "must be unique to this ESM" [KF-CG]: two pipelines on one cluster must not share one. */
function uniqueConsumerGroups(views: readonly PipelineView[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const groups: { readonly index: number; readonly group: string; readonly servers: readonly string[] }[] = [];
  views.forEach((view, index) => {
    if (view.sourceType !== 'kafka') return;
    const name = view.get('name');
    const explicit = view.source['consumerGroupId'];
    const group = typeof explicit === 'string' && explicit.trim() !== '' ? explicit : name === undefined ? undefined : defaultConsumerGroupId(name);
    const servers = serverList(view.source['bootstrapServers']);
    if (group === undefined) return;
    const clash = groups.find((other) => other.group === group && other.servers.some((server) => servers.includes(server)));
    if (clash !== undefined) {
      issues.push({
        path: ['pipelines', index, 'source', 'consumerGroupId'],
        message: `consumer group "${group}" is also used by pipelines[${clash.index}] on the same cluster; each pipeline needs its own group`,
      });
    }
    groups.push({ index, group, servers });
  });
  return issues;
}
