/**
 * Evaluates leaf matchers against event leaves. Semantics, with the page each follows:
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax and
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html.
 *
 * - Strings match "character-by-character … without case-folding or any other string normalization".
 * - Numbers in exact matches use their string form: "300, 300.0, and 3.0e2 are not considered equal".
 *   We apply the same rule to numbers listed in `anything-but` (the docs state it for numbers in
 *   general, so `[{"anything-but": [300]}]` is exactly the complement of `[300]`).
 * - Types never cross: the string `"300"` is not the number `300`, `"true"` is not `true`.
 * - `null` and `""` are different: "Null values and empty strings are not interchangeable"
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html).
 * - `prefix`, `suffix`, `equals-ignore-case` "only work on string-valued fields" (aws/event-ruler README).
 * - `numeric` "only works with values that are JSON numbers", within ±5e9 (see `numeric.ts`).
 * - `anything-but` "matches anything except what's provided": any present leaf of any type that is not
 *   excluded (event-ruler compares the raw value bytes, so a number passes a string exclusion list).
 * - Case folding uses `toLowerCase()` (Unicode default case mapping, locale-independent).
 */
import { JsonNumber } from './json-text.js';
import { inNumericRange, toComparable } from './numeric.js';
import type { Leaf } from './event-values.js';
import type { LeafMatcher, NumericBound } from './pattern-types.js';

/** Every matcher except `exists`, which looks at presence rather than at one leaf. */
export type ValueMatcher = Exclude<LeafMatcher, { readonly op: 'exists' }>;

/** Whether one leaf satisfies one matcher. */
export function matchesLeaf(matcher: ValueMatcher, leaf: Leaf): boolean {
  switch (matcher.op) {
    case 'equals':
      return leaf === matcher.value;
    case 'equals-number':
      return leaf instanceof JsonNumber && leaf.raw === matcher.raw;
    case 'prefix':
      return typeof leaf === 'string' && (matcher.ignoreCase ? leaf.toLowerCase() : leaf).startsWith(matcher.value);
    case 'suffix':
      return typeof leaf === 'string' && (matcher.ignoreCase ? leaf.toLowerCase() : leaf).endsWith(matcher.value);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && leaf.toLowerCase() === matcher.value;
    case 'anything-but':
      if (typeof leaf === 'string') return !matcher.strings.has(leaf);
      if (leaf instanceof JsonNumber) return !matcher.numbers.has(leaf.raw);
      return true;
    case 'anything-but-prefix':
      return typeof leaf !== 'string' || !leaf.startsWith(matcher.value);
    case 'anything-but-suffix':
      return typeof leaf !== 'string' || !leaf.endsWith(matcher.value);
    case 'anything-but-ignore-case':
      return typeof leaf !== 'string' || !matcher.values.has(leaf.toLowerCase());
    case 'numeric':
      return leaf instanceof JsonNumber && inNumericRange(leaf.value) && withinBounds(toComparable(leaf.value), matcher.lower, matcher.upper);
  }
}

function withinBounds(value: number, lower: NumericBound | null, upper: NumericBound | null): boolean {
  if (lower !== null && (lower.inclusive ? value < lower.comparable : value <= lower.comparable)) return false;
  if (upper !== null && (upper.inclusive ? value > upper.comparable : value >= upper.comparable)) return false;
  return true;
}
