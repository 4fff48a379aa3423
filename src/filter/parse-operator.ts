/**
 * Parses one operator object inside a value list — `{"prefix": "us-"}`, `{"numeric": [">", 0]}`, … —
 * into a {@link LeafMatcher}, with the error messages users see.
 *
 * Operators Lambda documents (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax):
 * null, empty, equals, equals-ignore-case, and, or, `$or`, anything-but (a list), numeric (equals,
 * range), exists, prefix, suffix. Lambda says it "supports the same set of syntax and rules as
 * Amazon EventBridge", so where Lambda is silent we accept EventBridge's forms
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
 * `anything-but` with a single value or with `prefix` / `suffix` / `equals-ignore-case`, and `prefix` /
 * `suffix` with `equals-ignore-case`. The grammar (what is allowed where, empty prefixes, mixed lists)
 * follows aws/event-ruler's `JsonRuleCompiler`, the library EventBridge uses.
 *
 * Not accepted: `wildcard` (EventBridge only; Lambda does not list it) and `cidr` (likewise).
 */
import { type JsonValue, JsonNumber, isJsonObject } from './json-text.js';
import { inNumericRange, NUMERIC_LIMIT, toComparable } from './numeric.js';
import type { LeafMatcher, NumericBound } from './pattern-types.js';

/** A matcher, or the reason the operator object is invalid. */
export type OperatorResult = { readonly ok: true; readonly matcher: LeafMatcher } | { readonly ok: false; readonly reason: string };

/** Operator names; inside `$or` they may not be used as field names (event-ruler rule). */
export const OPERATOR_NAMES: ReadonlySet<string> = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'wildcard',
  'cidr',
]);

const SUPPORTED = '"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric" or "exists"';

const ok = (matcher: LeafMatcher): OperatorResult => ({ ok: true, matcher });
const bad = (reason: string): OperatorResult => ({ ok: false, reason });

/** Short description of a JSON value for messages: `a string`, `an array`, `5`. */
export function describeJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JsonNumber) return value.raw;
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

/** Parses an operator object (`{ name: argument }`). */
export function parseOperator(operator: { readonly [key: string]: JsonValue }): OperatorResult {
  const names = Object.keys(operator);
  const [name] = names;
  if (name === undefined) return bad('empty objects are not allowed in a value list');
  if (names.length > 1) return bad(`an operator object has exactly one key (got ${names.map((n) => JSON.stringify(n)).join(', ')})`);
  const arg = operator[name] ?? null;
  switch (name) {
    case 'prefix':
    case 'suffix':
      return parseAffix(name, arg);
    case 'equals-ignore-case':
      return typeof arg === 'string'
        ? ok({ op: 'equals-ignore-case', value: arg.toLowerCase() })
        : bad(`"equals-ignore-case" expects a string (got ${describeJson(arg)})`);
    case 'anything-but':
      return parseAnythingBut(arg);
    case 'numeric':
      return parseNumeric(arg);
    case 'exists':
      return typeof arg === 'boolean'
        ? ok({ op: 'exists', present: arg })
        : bad(`"exists" expects true or false (got ${describeJson(arg)})`);
    case 'wildcard':
    case 'cidr':
      return bad(`"${name}" is an EventBridge operator that Lambda event filtering does not support; use ${SUPPORTED}`);
    default:
      return bad(`unknown operator ${JSON.stringify(name)}; expected ${SUPPORTED}`);
  }
}

/** `{"prefix": "x"}` / `{"prefix": {"equals-ignore-case": "x"}}`, same for suffix. */
function parseAffix(op: 'prefix' | 'suffix', arg: JsonValue): OperatorResult {
  if (typeof arg === 'string') return ok({ op, value: arg, ignoreCase: false });
  if (isJsonObject(arg)) {
    const keys = Object.keys(arg);
    const inner = arg['equals-ignore-case'];
    if (keys.length === 1 && typeof inner === 'string') return ok({ op, value: inner.toLowerCase(), ignoreCase: true });
  }
  return bad(`"${op}" expects a string or {"equals-ignore-case": "…"} (got ${describeJson(arg)})`);
}

/**
 * `anything-but`: a string, a number, a non-empty list of only strings or only numbers, or
 * `{"prefix": "…"}` / `{"suffix": "…"}` (non-empty) / `{"equals-ignore-case": "…" | ["…"]}`.
 */
function parseAnythingBut(arg: JsonValue): OperatorResult {
  const expects = '"anything-but" expects a string, a number, a list of only strings or only numbers, or {"prefix" | "suffix" | "equals-ignore-case": …}';
  if (typeof arg === 'string') return ok({ op: 'anything-but', strings: new Set([arg]), numbers: new Set() });
  if (arg instanceof JsonNumber) {
    const range = checkRange('anything-but', arg);
    return range ?? ok({ op: 'anything-but', strings: new Set(), numbers: new Set([arg.raw]) });
  }
  if (Array.isArray(arg)) return parseAnythingButList(arg as readonly JsonValue[]);
  if (!isJsonObject(arg)) return bad(`${expects} (got ${describeJson(arg)})`);

  const keys = Object.keys(arg);
  const [key] = keys;
  if (key === undefined || keys.length > 1) return bad(`${expects} (got an object with ${keys.length} keys)`);
  const inner = arg[key] ?? null;
  if (key === 'prefix' || key === 'suffix') {
    if (typeof inner !== 'string' || inner === '') return bad(`"anything-but": {"${key}": …} expects a non-empty string (got ${describeJson(inner)})`);
    return ok({ op: key === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value: inner });
  }
  if (key === 'equals-ignore-case') {
    const list = typeof inner === 'string' ? [inner] : Array.isArray(inner) ? (inner as readonly JsonValue[]) : null;
    if (list === null || list.length === 0 || !list.every((v): v is string => typeof v === 'string')) {
      return bad(`"anything-but": {"equals-ignore-case": …} expects a string or a non-empty list of strings (got ${describeJson(inner)})`);
    }
    return ok({ op: 'anything-but-ignore-case', values: new Set(list.map((v) => v.toLowerCase())) });
  }
  return bad(`"anything-but" cannot be combined with ${JSON.stringify(key)}; use "prefix", "suffix" or "equals-ignore-case"`);
}

function parseAnythingButList(list: readonly JsonValue[]): OperatorResult {
  if (list.length === 0) return bad('"anything-but" expects a non-empty list');
  const strings = new Set<string>();
  const numbers = new Set<string>();
  for (const item of list) {
    if (typeof item === 'string') strings.add(item);
    else if (item instanceof JsonNumber) {
      const range = checkRange('anything-but', item);
      if (range) return range;
      numbers.add(item.raw);
    } else return bad(`"anything-but" lists hold only strings or only numbers (got ${describeJson(item)})`);
  }
  if (strings.size > 0 && numbers.size > 0) return bad('"anything-but" lists hold only strings or only numbers, not both');
  return ok({ op: 'anything-but', strings, numbers });
}

function checkRange(op: string, n: JsonNumber): OperatorResult | null {
  return inNumericRange(n.value) ? null : bad(`"${op}": ${n.raw} is outside the supported range -${NUMERIC_LIMIT} to ${NUMERIC_LIMIT}`);
}

const LOWER_OPS = new Set(['>', '>=']);
const UPPER_OPS = new Set(['<', '<=']);
const NUMERIC_FORMS = '["=", n], [">" or ">=", n], ["<" or "<=", n] or [">" or ">=", low, "<" or "<=", high]';

/** `numeric`: `["=", n]`, one bound, or lower bound then upper bound (event-ruler's order). */
function parseNumeric(arg: JsonValue): OperatorResult {
  if (!Array.isArray(arg)) return bad(`"numeric" expects an array such as [">", 0, "<=", 5] (got ${describeJson(arg)})`);
  const terms = arg as readonly JsonValue[];
  if (terms.length !== 2 && terms.length !== 4) return bad(`"numeric" expects ${NUMERIC_FORMS} (got ${terms.length} elements)`);

  const bounds: { op: string; n: JsonNumber }[] = [];
  for (let i = 0; i < terms.length; i += 2) {
    const op = terms[i] ?? null;
    const n = terms[i + 1] ?? null;
    if (typeof op !== 'string' || !(op === '=' || LOWER_OPS.has(op) || UPPER_OPS.has(op))) {
      return bad(`"numeric" expects an operator "=", ">", ">=", "<" or "<=" (got ${describeJson(op)})`);
    }
    if (!(n instanceof JsonNumber)) return bad(`"numeric" expects a number after "${op}" (got ${describeJson(n)})`);
    const range = checkRange('numeric', n);
    if (range) return range;
    bounds.push({ op, n });
  }

  const [first, second] = bounds;
  if (first === undefined) return bad(`"numeric" expects ${NUMERIC_FORMS}`);
  const bound = (b: { op: string; n: JsonNumber }): NumericBound => ({ comparable: toComparable(b.n.value), inclusive: b.op.endsWith('=') });
  if (second === undefined) {
    if (first.op === '=') {
      const exact = { comparable: toComparable(first.n.value), inclusive: true };
      return ok({ op: 'numeric', lower: exact, upper: exact });
    }
    return LOWER_OPS.has(first.op) ? ok({ op: 'numeric', lower: bound(first), upper: null }) : ok({ op: 'numeric', lower: null, upper: bound(first) });
  }
  if (!LOWER_OPS.has(first.op) || !UPPER_OPS.has(second.op)) {
    return bad(`"numeric" range must be [">" or ">=", low, "<" or "<=", high] (got "${first.op}" then "${second.op}")`);
  }
  if (!(first.n.value < second.n.value)) return bad(`"numeric" range lower bound ${first.n.raw} must be less than upper bound ${second.n.raw}`);
  return ok({ op: 'numeric', lower: bound(first), upper: bound(second) });
}
