/**
 * Building blocks of the configuration schema: scalar fields with AWS-style messages
 * (`must be between 1 and 10000 (got 20000)`) and the coercion rules of the file format.
 *
 * Decisions (AWS is silent, the file format is ours):
 * - An empty value (YAML `null`, `""`, or a string of blanks) is the same as leaving the field
 *   out, so `endpoint: ${KINESIS_ENDPOINT:-}` means "no endpoint" when the variable is unset.
 * - Numeric and boolean fields also accept a string holding a number (`"100"`, `"1e3"`) or a
 *   boolean (`true`/`True`/`TRUE`, same for false). Interpolation always yields strings, so
 *   this is what makes `batchSize: ${BATCH:-100}` valid. The JSON Schema allows `${…}`
 *   strings in those fields for the same reason.
 * - String fields never accept numbers: YAML would have already rewritten `0123` to `123`,
 *   which is silently wrong for a password or an id. The message asks to quote the value.
 */
import * as z from 'zod';
import type { Range } from '../defaults.js';
import { echo, safeText, shortKey, show } from '../echo.js';
import { isHostOrIp } from '../host-name.js';

export { show } from '../echo.js';

/** Schemas whose JSON Schema must also admit a `${VAR}` string (applied by json-schema.ts). */
export const acceptsInterpolation = new WeakSet<object>();
/** JSON Schema keywords that replace what zod generates for a schema (applied by json-schema.ts). */
export const jsonSchemaPatches = new WeakMap<object, Record<string, unknown>>();
/** `default` annotations: zod drops them from coercing (transforming) schemas in input mode. */
export const jsonSchemaDefaults = new WeakMap<object, unknown>();

/** Error callback input: every zod raw issue carries the input that failed. */
interface IssueInput {
  readonly input?: unknown;
}

/** `is required` for a missing value, else `expected <what> (got <value>)`. */
export function expected(what: string, hint?: (input: unknown) => string) {
  return (issue: IssueInput): string => {
    if (issue.input === undefined) return 'is required';
    return `expected ${what} (got ${show(issue.input)})${hint === undefined ? '' : hint(issue.input)}`;
  };
}

/**
 * Error of a `z.record`: a bad key gets `keyMessage`, anything else `expected a mapping`. The key is shown even
 * in a secret mapping (`environment`): it is a name, already part of the field path, never the secret.
 */
export function mappingError(keyMessage: string) {
  const notMapping = expected('a mapping');
  return (issue: IssueInput & { readonly code?: string }): string =>
    issue.code === 'invalid_key' ? `${keyMessage} (got ${safeText(JSON.stringify(shortKey(String(issue.input))))})` : notMapping(issue);
}

function between(range: Range) {
  return (issue: IssueInput): string => `must be between ${range.min} and ${range.max} (got ${show(issue.input)})`;
}

/** `; quote it: "0123"`, or only `; quote it` in a secret field. */
const quoteHint = (input: unknown): string =>
  typeof input === 'number' || typeof input === 'boolean' ? `; quote it${echo(`: "${String(input)}"`, '')}` : '';

function blankToUndefined(value: unknown): unknown {
  return value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;
}

const NUMBER_TEXT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
function coerceNumber(value: unknown): unknown {
  const v = blankToUndefined(value);
  return typeof v === 'string' && NUMBER_TEXT.test(v.trim()) ? Number(v.trim()) : v;
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
function coerceBoolean(value: unknown): unknown {
  const v = blankToUndefined(value);
  if (typeof v !== 'string') return v;
  if (TRUE.has(v.trim())) return true;
  return FALSE.has(v.trim()) ? false : v;
}

/** An integer in `range`. */
export function int(range: Range) {
  return z
    .int({ error: expected('an integer') })
    .min(range.min, { error: between(range) })
    .max(range.max, { error: between(range) });
}

/** `-1` (infinite, as AWS) or an integer in `range`. */
export function intOrInfinite(range: Range) {
  const schema = z.int({ error: expected('an integer') }).refine((n) => n === -1 || (n >= range.min && n <= range.max), {
    error: (issue: IssueInput) => `must be -1 or between ${range.min} and ${range.max} (got ${show(issue.input)})`,
  });
  jsonSchemaPatches.set(schema, { type: 'integer', anyOf: [{ const: -1 }, { minimum: range.min, maximum: range.max }] });
  return schema;
}

/** A finite number ≥ `min`. */
export function numberAtLeast(min: number) {
  return z.number({ error: expected('a number') }).min(min, {
    error: (issue: IssueInput) => `must be at least ${min} (got ${show(issue.input)})`,
  });
}

/** A string; numbers and booleans are refused with a hint to quote them. */
export function text() {
  return z.string({ error: expected('a string', quoteHint) });
}

/** A string matching `pattern`; `description` says what is expected, e.g. `an SQS queue ARN`. */
export function matching(pattern: RegExp, description: string) {
  return text().regex(pattern, { error: (issue: IssueInput) => `must be ${description} (got ${show(issue.input)})`, abort: true });
}

/** A string that parses as an absolute URL with one of `protocols` (e.g. `['http:', 'https:']`). */
export function url(protocols: readonly string[], description: string) {
  return text().refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
    error: (issue: IssueInput) => `must be ${description} (got ${show(issue.input)})`,
  });
}

/** A listen address: an IP literal or a host name (host-name.ts). */
export function hostName() {
  return text().refine(isHostOrIp, {
    error: (issue: IssueInput) =>
      `must be a host name or an IP address such as 127.0.0.1, 0.0.0.0, ::1 or localhost, without brackets or port (got ${show(issue.input)})`,
  });
}

/** One of `values`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue: IssueInput) =>
      issue.input === undefined ? 'is required' : `must be one of ${values.join(', ')} (got ${show(issue.input)})`,
  });
}

/** JSON Schema annotations shown by editors. */
export interface FieldDoc {
  readonly description?: string;
  readonly default?: unknown;
}

function annotate<T extends z.ZodType>(schema: T, doc: FieldDoc | undefined): T {
  if (doc === undefined) return schema;
  const annotated = doc.description === undefined ? schema : schema.meta({ description: doc.description });
  if (doc.default !== undefined) jsonSchemaDefaults.set(annotated, doc.default);
  return annotated;
}

type Coerced<T extends z.ZodType, Extra> = z.ZodType<z.output<T>, z.input<T> | Extra>;

/** An optional field; blank means absent. */
export function optional<T extends z.ZodType>(inner: T, doc?: FieldDoc): z.ZodOptional<Coerced<T, never>> {
  return annotate(z.preprocess(blankToUndefined, inner.optional()).optional(), doc) as never;
}

/** A required field; blank means absent, so it reports `is required`. */
export function required<T extends z.ZodType>(inner: T, doc?: FieldDoc): Coerced<T, never> {
  return annotate(z.preprocess(blankToUndefined, inner), doc) as never;
}

/** An optional numeric field that also accepts a number-looking string. */
export function optionalNumber<T extends z.ZodType<number>>(inner: T, doc?: FieldDoc): z.ZodOptional<Coerced<T, string>> {
  const schema = z.preprocess(coerceNumber, inner.optional());
  acceptsInterpolation.add(schema);
  return annotate(schema.optional(), doc) as never;
}

/** A required numeric field that also accepts a number-looking string. */
export function requiredNumber<T extends z.ZodType<number>>(inner: T, doc?: FieldDoc): Coerced<T, string> {
  const schema = z.preprocess(coerceNumber, inner);
  acceptsInterpolation.add(schema);
  return annotate(schema, doc) as never;
}

/** An optional boolean field that also accepts `"true"` / `"false"`. */
export function optionalBoolean(doc?: FieldDoc): z.ZodOptional<z.ZodType<boolean, boolean | string>> {
  const schema = z.preprocess(coerceBoolean, z.boolean({ error: expected('true or false') }).optional());
  acceptsInterpolation.add(schema);
  return annotate(schema.optional(), doc) as never;
}
