/**
 * The compiled form of a filter pattern: a tree of object patterns whose leaves are lists of
 * matchers (ORed). Produced by `parse-pattern.ts`, evaluated by `match.ts`.
 */

/** A numeric bound in comparable form (see `numeric.ts`). */
export interface NumericBound {
  /** `toComparable(value)`: an integer, compared exactly. */
  readonly comparable: number;
  readonly inclusive: boolean;
}

/** One matcher inside a field's value list, e.g. `"x"`, `{"prefix": "us-"}`, `{"exists": false}`. */
export type LeafMatcher =
  /** `"x"`, `true`, `false`, `null`: exact match on a string / boolean / null leaf. */
  | { readonly op: 'equals'; readonly value: string | boolean | null }
  /** `300`: exact match on a number leaf by its string form (`300` ≠ `300.0`). */
  | { readonly op: 'equals-number'; readonly raw: string }
  | { readonly op: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly op: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  /** `value` is stored lower-cased. */
  | { readonly op: 'equals-ignore-case'; readonly value: string }
  /** `{"anything-but": …}` with values: any leaf except these strings / number string forms. */
  | { readonly op: 'anything-but'; readonly strings: ReadonlySet<string>; readonly numbers: ReadonlySet<string> }
  | { readonly op: 'anything-but-prefix'; readonly value: string }
  | { readonly op: 'anything-but-suffix'; readonly value: string }
  /** `values` are stored lower-cased. */
  | { readonly op: 'anything-but-ignore-case'; readonly values: ReadonlySet<string> }
  /** `{"numeric": […]}`; `=` is a closed range with equal bounds. */
  | { readonly op: 'numeric'; readonly lower: NumericBound | null; readonly upper: NumericBound | null }
  | { readonly op: 'exists'; readonly present: boolean };

/** `"field": [ … ]` — matches when any matcher matches (a leaf list is an OR). */
export interface LeafPattern {
  readonly kind: 'leaf';
  readonly matchers: readonly LeafMatcher[];
}

/** `"field": { … }` — matches when every field matches and every `$or` group has a matching branch. */
export interface ObjectPattern {
  readonly kind: 'object';
  readonly fields: readonly FieldPattern[];
  /** Each `"$or": [ {…}, {…} ]` at this level; every group needs one matching branch. */
  readonly anyOf: readonly (readonly ObjectPattern[])[];
}

/** One named field of an object pattern. */
export interface FieldPattern {
  readonly key: string;
  readonly pattern: LeafPattern | ObjectPattern;
}
