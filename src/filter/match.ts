/**
 * Evaluates a compiled pattern against a filter view.
 *
 * - Fields AND together, values in a list OR together, `$or` needs one branch per group
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax).
 * - "For Lambda to consider the event a match, the event must contain all the field names included in
 *   a filter. Lambda ignores the fields that aren't included in a filter." — only `exists: false`
 *   matches a missing field.
 * - Arrays in the event: a leaf list matches if any element matches; an object pattern matches if
 *   one element satisfies all of it (event-ruler's array-consistent matching, `rulesForJSONEvent`:
 *   it "will refuse to recognize any match in which any two fields are within JSON objects that are
 *   in different elements of the same array").
 * - `exists` "only works on leaf nodes": a field holding an object (or only objects, or `[]`) does not
 *   exist for `{"exists": true}` and matches `{"exists": false}`
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 * - The data key at the top level follows the source's payload-format table (`source-rules.ts`).
 */
import { collectLeaves, collectObjects, fieldOf } from './event-values.js';
import { matchesLeaf } from './operators.js';
import type { LeafPattern, ObjectPattern } from './pattern-types.js';
import { dataFieldAction, type PayloadFormat, type SourceFilterRules } from './source-rules.js';

/** Where the top-level data key's payload came from, so its format rules can apply. */
export interface RootContext {
  readonly rules: SourceFilterRules;
  readonly payloadFormat: PayloadFormat;
}

/** Whether `pattern` matches the event object `event` (the top level of a filter view). */
export function matchPattern(pattern: ObjectPattern, event: Readonly<Record<string, unknown>>, root: RootContext): boolean {
  return matchObject(pattern, event, root);
}

/**
 * `root` is set only at the top level (and in `$or` branches there), where the data key lives.
 * An object pattern against a non-object value: its fields are all absent, so only `exists: false`
 * leaves can still match (`{"detail": {"x": [{"exists": false}]}}` matches an event without `detail`).
 */
function matchObject(pattern: ObjectPattern, value: unknown, root: RootContext | null): boolean {
  const objects = collectObjects(value);
  if (objects.length === 0) return matchObjectFields(pattern, undefined, root);
  return objects.some((object) => matchObjectFields(pattern, object, root));
}

function matchObjectFields(pattern: ObjectPattern, object: Readonly<Record<string, unknown>> | undefined, root: RootContext | null): boolean {
  for (const field of pattern.fields) {
    const child = object === undefined ? undefined : fieldOf(object, field.key);
    if (root !== null && field.key === root.rules.dataKey) {
      const action = dataFieldAction(root.rules, root.payloadFormat, field.pattern.kind === 'object' ? 'json' : 'plain');
      if (action === 'drop') return false;
      if (action === 'ignore') continue;
    }
    const matched = field.pattern.kind === 'leaf' ? matchLeafList(field.pattern, child) : matchObject(field.pattern, child, null);
    if (!matched) return false;
  }
  // An `$or` branch sits at the same level as its parent, so it sees the same object (and root rules).
  return pattern.anyOf.every((branches) => branches.some((branch) => matchObjectFields(branch, object, root)));
}

function matchLeafList(pattern: LeafPattern, value: unknown): boolean {
  const leaves = collectLeaves(value);
  return pattern.matchers.some((matcher) =>
    matcher.op === 'exists' ? matcher.present === leaves.length > 0 : leaves.some((leaf) => matchesLeaf(matcher, leaf)),
  );
}
