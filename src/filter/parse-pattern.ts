/**
 * Validates one filter pattern (a JSON string) and compiles it to an {@link ObjectPattern}.
 *
 * Structure rules (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax,
 * with EventBridge's grammar where Lambda is silent, as enforced by aws/event-ruler's `JsonRuleCompiler`):
 * - the pattern is a JSON object; every field is either an object (a nested pattern) or a non-empty
 *   array of values / operator objects; empty objects and empty arrays are refused;
 * - `"$or"` takes an array of at least two non-empty objects, whose field names may not be operator names;
 * - duplicate keys: "Lambda uses only the last value for that key" (the parser keeps the last);
 * - Kinesis and DynamoDB: the pattern for the data key must be JSON (an object) — "Lambda throws an
 *   exception at the time of the event source mapping creation or update" (#filtering-streams).
 * Every problem is reported, not just the first.
 */
import { type JsonObject, type JsonValue, JsonNumber, isJsonObject, parseJson } from './json-text.js';
import { describeJson, OPERATOR_NAMES, parseOperator } from './parse-operator.js';
import type { FieldPattern, LeafMatcher, LeafPattern, ObjectPattern } from './pattern-types.js';
import type { SourceFilterRules } from './source-rules.js';

/** One problem in a pattern: where (a path inside the pattern, `''` for the whole) and why. */
export interface PatternIssue {
  /** Path of the offending field inside the pattern, e.g. `body.price` or `$or[1].state`; `''` for the pattern itself. */
  readonly field: string;
  readonly reason: string;
}

/** The compiled pattern, or every problem found. */
export type ParsePatternResult =
  | { readonly ok: true; readonly pattern: ObjectPattern }
  | { readonly ok: false; readonly issues: readonly PatternIssue[] };

/**
 * Largest pattern accepted: Lambda's API gives `Filter.Pattern` "Length Constraints: Minimum length
 * of 0. Maximum length of 4096." (https://docs.aws.amazon.com/lambda/latest/api/API_Filter.html).
 * Measured in UTF-16 code units, as the Java service would count `String.length()`.
 */
export const FILTER_PATTERN_MAX_LENGTH = 4096;

/** Compiles one pattern for a source; never throws. */
export function parsePattern(text: string, rules: SourceFilterRules): ParsePatternResult {
  if (text.length > FILTER_PATTERN_MAX_LENGTH) {
    return fail({ field: '', reason: `is ${text.length} characters long; Lambda allows at most ${FILTER_PATTERN_MAX_LENGTH}` });
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return fail({ field: '', reason: `is not valid JSON: ${parsed.message}` });
  if (!isJsonObject(parsed.value)) {
    return fail({ field: '', reason: `must be a JSON object such as {"${rules.dataKey}": {"field": ["value"]}} (got ${describeJson(parsed.value)})` });
  }
  const issues: PatternIssue[] = [];
  const pattern = new PatternCompiler(rules, issues).object(parsed.value, { display: '', depth: 0, insideOr: false });
  return issues.length === 0 ? { ok: true, pattern } : { ok: false, issues };
}

function fail(issue: PatternIssue): ParsePatternResult {
  return { ok: false, issues: [issue] };
}

/** Where the compiler is: the path shown in messages, and the field depth (`$or` adds no depth). */
interface Position {
  readonly display: string;
  readonly depth: number;
  readonly insideOr: boolean;
}

const SIMPLE_KEY = /^[A-Za-z0-9_$@-]+$/;

/** `body` + `price` → `body.price`; odd keys are quoted: `body["a.b"]`. */
function childPath(parent: string, key: string): string {
  if (!SIMPLE_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

class PatternCompiler {
  private readonly rules: SourceFilterRules;
  private readonly issues: PatternIssue[];

  constructor(rules: SourceFilterRules, issues: PatternIssue[]) {
    this.rules = rules;
    this.issues = issues;
  }

  private report(field: string, reason: string): void {
    this.issues.push({ field, reason });
  }

  object(value: JsonObject, at: Position): ObjectPattern {
    const fields: FieldPattern[] = [];
    const anyOf: ObjectPattern[][] = [];
    const keys = Object.keys(value);
    if (keys.length === 0) this.report(at.display, 'empty objects are not allowed');
    for (const key of keys) {
      const child = value[key] ?? null;
      if (key === '$or') {
        const group = this.or(child, at);
        if (group) anyOf.push(group);
        continue;
      }
      const path = childPath(at.display, key);
      if (at.insideOr && OPERATOR_NAMES.has(key)) {
        this.report(path, `${JSON.stringify(key)} is an operator name and cannot be a field name inside "$or"`);
        continue;
      }
      const pattern = this.field(key, child, path, at);
      if (pattern) fields.push({ key, pattern });
    }
    return { kind: 'object', fields, anyOf };
  }

  private field(key: string, value: JsonValue, path: string, at: Position): LeafPattern | ObjectPattern | null {
    const isDataKey = at.depth === 0 && key === this.rules.dataKey;
    if (isJsonObject(value)) return this.object(value, { display: path, depth: at.depth + 1, insideOr: at.insideOr });
    if (Array.isArray(value)) {
      if (isDataKey && this.rules.dataPatternMustBeJson) {
        this.report(
          path,
          `${this.rules.label} filters on "${key}" must use a JSON object pattern such as {"${key}": {"field": ["value"]}}; ` +
            'Lambda rejects a non-JSON pattern for the data properties of stream sources',
        );
        return null;
      }
      return this.leaf(value as readonly JsonValue[], path);
    }
    this.report(path, `must be an object or an array (got ${describeJson(value)}); to match this value write [${jsonText(value)}]`);
    return null;
  }

  private leaf(values: readonly JsonValue[], path: string): LeafPattern | null {
    if (values.length === 0) {
      this.report(path, 'empty arrays are not allowed; to match null write [null], an empty string [""]');
      return null;
    }
    const matchers: LeafMatcher[] = [];
    let valid = true;
    for (const value of values) {
      if (typeof value === 'string' || typeof value === 'boolean' || value === null) {
        matchers.push({ op: 'equals', value });
      } else if (value instanceof JsonNumber) {
        matchers.push({ op: 'equals-number', raw: value.raw });
      } else if (isJsonObject(value)) {
        const result = parseOperator(value);
        if (result.ok) matchers.push(result.matcher);
        else {
          this.report(path, result.reason);
          valid = false;
        }
      } else {
        this.report(path, 'values must be strings, numbers, true, false, null or operator objects such as {"prefix": "…"} (got an array)');
        valid = false;
      }
    }
    return valid ? { kind: 'leaf', matchers } : null;
  }

  /** `"$or": [ {…}, {…}, … ]` — each branch is compiled at the same depth as its parent. */
  private or(value: JsonValue, at: Position): ObjectPattern[] | null {
    const path = at.display === '' ? '$or' : `${at.display}.$or`;
    if (!Array.isArray(value) || value.length < 2) {
      this.report(path, `"$or" expects an array of at least 2 objects (got ${Array.isArray(value) ? `${value.length} element(s)` : describeJson(value)})`);
      return null;
    }
    const branches: ObjectPattern[] = [];
    (value as readonly JsonValue[]).forEach((branch, i) => {
      const branchPath = `${path}[${i}]`;
      if (!isJsonObject(branch)) this.report(branchPath, `"$or" branches must be objects (got ${describeJson(branch)})`);
      else branches.push(this.object(branch, { display: branchPath, depth: at.depth, insideOr: true }));
    });
    return branches.length === value.length ? branches : null;
  }
}

/** The JSON text of a scalar, for the "write [x]" hint. */
function jsonText(value: JsonValue): string {
  return value instanceof JsonNumber ? value.raw : JSON.stringify(value);
}
