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
type Step = { readonly kind: 'visit'; readonly value: unknown; readonly path: FieldPath } | { readonly kind: 'leave'; readonly node: object };

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

/** The keys (or indexes) of a collection, in order. */
function keysOf(node: Record<string, unknown> | unknown[]): readonly (string | number)[] {
  return Array.isArray(node) ? Array.from({ length: node.length }, (_, index) => index) : Object.keys(node);
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

/**
 * The first problem of `value`'s shape, or null. Counts are of the tree as the schema will see it: a value
 * reached twice (a YAML alias, a shared object) counts twice.
 */
export function checkInputShape(value: unknown, limits: ConfigLimits): PathIssue | null {
  const pipelines = tooManyPipelines(value, limits);
  if (pipelines !== null) return pipelines;
  const ancestors = new Map<object, FieldPath>();
  const stack: Step[] = [{ kind: 'visit', value, path: [] }];
  let nodes = 0;
  let chars = 0;
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if (step.kind === 'leave') {
      ancestors.delete(step.node);
      continue;
    }
    const { value: node, path } = step;
    nodes += 1;
    if (typeof node === 'string') chars += node.length;
    if (nodes > limits.maxNodes) {
      return { path, message: `the configuration holds more than ${formatCount(limits.maxNodes)} keys and values (after expanding aliases), the limit` };
    }
    if (chars > limits.maxTextChars) {
      return { path, message: `the configuration holds more than ${formatCount(limits.maxTextChars)} characters of text (after expanding aliases), the limit` };
    }
    if (!isCollection(node)) continue;
    const ancestor = ancestors.get(node);
    if (ancestor !== undefined) {
      return { path, message: `refers back to ${where(ancestor)} (a circular reference: a YAML alias inside its own anchor, or an object that contains itself)` };
    }
    if (path.length >= limits.maxDepth) {
      return { path, message: `is nested deeper than ${limits.maxDepth} levels of mappings and lists, the limit` };
    }
    let keys: readonly (string | number)[];
    try {
      // Each entry costs at least one node: a list or mapping too long for the budget is refused before its
      // keys are listed (an `Array(1e9)` must not be materialised).
      const length = Array.isArray(node) ? node.length : Object.keys(node).length;
      if (nodes + length > limits.maxNodes) {
        const first = Array.isArray(node) ? limits.maxNodes - nodes : (Object.keys(node)[limits.maxNodes - nodes] ?? '');
        return { path: [...path, first], message: `the configuration holds more than ${formatCount(limits.maxNodes)} keys and values (after expanding aliases), the limit` };
      }
      keys = keysOf(node);
    } catch (error) {
      return { path, message: `cannot be read: ${errorMessage(error)}` };
    }
    const children: Step[] = [];
    for (const key of keys) {
      let child: unknown;
      try {
        child = (node as Record<string | number, unknown>)[key];
      } catch (error) {
        return { path: [...path, key], message: `cannot be read: ${errorMessage(error)}` };
      }
      if (typeof key === 'string') {
        nodes += 1;
        chars += key.length;
      }
      children.push({ kind: 'visit', value: child, path: [...path, key] });
    }
    ancestors.set(node, path);
    stack.push({ kind: 'leave', node });
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as Step);
  }
  return null;
}
