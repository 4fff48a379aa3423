/**
 * The shape check every configuration value passes before anything else looks at it (issue 19): no cycle,
 * nesting, size and pipeline count within `CONFIG_LIMITS`. The walk is iterative and stops at the first
 * problem, so a circular, deeply nested or alias-bomb value costs at most `maxNodes` steps; what runs after it
 * (interpolation, zod, rules) can then recurse and iterate safely. Pure.
 */
import { errorMessage } from '../errors.js';
import { formatFieldPath, type FieldPath, type PathIssue } from './field-path.js';
import { formatCount, type ConfigLimits } from './limits.js';

/** One step of the walk: visit a value, or leave a collection (it is no longer an ancestor). */
type Step =
  | { readonly kind: 'visit'; readonly value: unknown; readonly path: FieldPath; readonly key: string | null }
  | { readonly kind: 'leave'; readonly node: object };

/** Arrays and plain objects are walked; functions, class instances and other leaves are left to the schema. */
function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function where(path: FieldPath): string {
  return path.length === 0 ? 'the whole configuration' : formatFieldPath(path);
}

/** The pipelines list, when it is longer than the limit. */
function tooManyPipelines(value: unknown, limits: ConfigLimits): PathIssue | null {
  if (!isCollection(value) || Array.isArray(value)) return null;
  let pipelines: unknown;
  try {
    pipelines = value['pipelines'];
  } catch {
    return null;
  }
  if (!Array.isArray(pipelines) || pipelines.length <= limits.maxPipelines) return null;
  return {
    path: ['pipelines', limits.maxPipelines],
    message: `too many pipelines: ${pipelines.length} (a configuration holds at most ${formatCount(limits.maxPipelines)})`,
  };
}

const tooManyNodes = (limits: ConfigLimits): string =>
  `the configuration holds more than ${formatCount(limits.maxNodes)} keys and values (after expanding aliases), the limit`;

/**
 * The children of a collection as steps, in order, or the problem of reading them. `budget` is the number of
 * nodes left: each entry costs at least one, so a list or mapping too long for it is refused before its
 * entries are read (an `Array(1e9)` must not be materialised).
 */
function childrenOf(node: Record<string, unknown> | unknown[], path: FieldPath, budget: number, limits: ConfigLimits): Step[] | PathIssue {
  let keys: readonly (string | number)[];
  try {
    keys = Array.isArray(node) ? [] : Object.keys(node);
    const length = Array.isArray(node) ? node.length : keys.length;
    if (length > budget) return { path: [...path, Array.isArray(node) ? budget : (keys[budget] ?? '')], message: tooManyNodes(limits) };
    if (Array.isArray(node)) keys = Array.from({ length }, (_, index) => index);
  } catch (error) {
    return { path, message: `cannot be read: ${errorMessage(error)}` };
  }
  const children: Step[] = [];
  for (const key of keys) {
    try {
      children.push({ kind: 'visit', value: (node as Record<string | number, unknown>)[key], path: [...path, key], key: typeof key === 'string' ? key : null });
    } catch (error) {
      return { path: [...path, key], message: `cannot be read: ${errorMessage(error)}` };
    }
  }
  return children;
}

/**
 * The first problem of `value`'s shape, or null. Counts are of the tree as the schema will see it: a value
 * reached twice (a YAML alias, a shared object) counts twice, and a mapping's key counts as a node.
 */
export function checkInputShape(value: unknown, limits: ConfigLimits): PathIssue | null {
  const pipelines = tooManyPipelines(value, limits);
  if (pipelines !== null) return pipelines;
  const ancestors = new Map<object, FieldPath>();
  const stack: Step[] = [{ kind: 'visit', value, path: [], key: null }];
  let nodes = 0;
  let chars = 0;
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if (step.kind === 'leave') {
      ancestors.delete(step.node);
      continue;
    }
    const { value: node, path, key } = step;
    nodes += key === null ? 1 : 2;
    chars += (key?.length ?? 0) + (typeof node === 'string' ? node.length : 0);
    if (nodes > limits.maxNodes) return { path, message: tooManyNodes(limits) };
    if (chars > limits.maxTextChars) {
      return { path, message: `the configuration holds more than ${formatCount(limits.maxTextChars)} characters of text (after expanding aliases), the limit` };
    }
    if (!isCollection(node)) continue;
    const ancestor = ancestors.get(node);
    if (ancestor !== undefined) {
      return { path, message: `refers back to ${where(ancestor)} (a circular reference: a YAML alias inside its own anchor, or an object that contains itself)` };
    }
    if (path.length >= limits.maxDepth) return { path, message: `is nested deeper than ${limits.maxDepth} levels of mappings and lists, the limit` };
    const children = childrenOf(node, path, limits.maxNodes - nodes, limits);
    if (!Array.isArray(children)) return children;
    ancestors.set(node, path);
    stack.push({ kind: 'leave', node });
    stack.push(...children.reverse());
  }
  return null;
}
