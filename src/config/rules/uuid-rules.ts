/**
 * Pipeline UUIDs are unique: the ESM API addresses mappings by UUID. A UUID is the one written (`uuid:`, compared
 * without case) or the one derived from the name (../pipeline-uuid.ts); two derived ones only collide when the names
 * do, which config-rules.ts already reports.
 */
import { formatFieldPath, type PathIssue } from '../field-path.js';
import { pipelineUuid, UUID_PATTERN } from '../pipeline-uuid.js';
import type { PipelineView } from './pipeline-view.js';

/** One issue per pipeline whose explicit `uuid` is also another pipeline's UUID, at `pipelines[i].uuid`. */
export function uuidRules(views: readonly PipelineView[]): PathIssue[] {
  const owners = new Map<string, { readonly index: number; readonly explicit: boolean }>();
  const issues: PathIssue[] = [];
  views.forEach((view, index) => {
    const written = view.raw['uuid'];
    const explicit = typeof written === 'string' && UUID_PATTERN.test(written);
    const name = view.get('name');
    const uuid = explicit ? written.toLowerCase() : name === undefined ? undefined : pipelineUuid(name);
    if (uuid === undefined) return;
    const owner = owners.get(uuid);
    if (owner === undefined) {
      owners.set(uuid, { index, explicit });
      return;
    }
    if (!explicit && !owner.explicit) return;
    const where = explicit ? index : owner.index;
    const other = explicit ? owner.index : index;
    issues.push({ path: ['pipelines', where, 'uuid'], message: `duplicate uuid "${uuid}" (also the uuid of ${formatFieldPath(['pipelines', other])})` });
  });
  return issues;
}
