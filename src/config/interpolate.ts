/**
 * `${VAR}` / `${VAR:-default}` interpolation of every scalar string of the configuration
 * (DESIGN §4), from an injected environment map.
 *
 * - `${VAR}`: the value of VAR; an unset VAR is an issue (all of them are collected).
 * - `${VAR:-default}`: the default when VAR is unset **or empty** (the shell's `:-`). The
 *   default is literal text up to the first `}`; it is not interpolated again.
 * - `$${` is a literal `${`. A `$` anywhere else is literal.
 * - Keys are never interpolated, only values.
 *
 * Interpolation runs before schema validation, so the result is always a string; numeric and
 * boolean fields accept number- and boolean-looking strings (see schema/fields.ts), which is
 * how `batchSize: ${BATCH:-100}` becomes the number 100.
 */
import { show } from './echo.js';
import type { FieldPath, PathIssue } from './field-path.js';
import { isSecretName } from './secret-fields.js';

/** Environment variables, e.g. `process.env` or `CliIo.env`. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** The interpolated tree and one issue per failed reference. */
export interface InterpolationResult {
  readonly value: unknown;
  readonly issues: readonly PathIssue[];
  /** Fields that took a value from a variable named like a secret (`${KAFKA_PASSWORD}`): never echoed. */
  readonly secretPaths: readonly FieldPath[];
}

/** One interpolated string, or its errors. */
export type StringInterpolation =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly errors: readonly string[] };

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Interpolate one string. */
export function interpolateString(text: string, env: ConfigEnv): StringInterpolation {
  if (!text.includes('$')) return { ok: true, value: text };
  const errors: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i + 2);
      if (end < 0) {
        errors.push('unterminated "${" (write "$${" for a literal "${")');
        break;
      }
      const body = text.slice(i + 2, end);
      const match = REFERENCE.exec(body);
      const name = match?.[1];
      if (match === null || name === undefined) {
        errors.push(`invalid reference ${show(`\${${body}}`)} (expected \${NAME} or \${NAME:-default})`);
      } else {
        const fallback = match[2];
        const value = env[name];
        if (value !== undefined && (fallback === undefined || value !== '')) out += value;
        else if (fallback !== undefined) out += fallback;
        else errors.push(`environment variable ${name} is not set (use \${${name}:-default} for a default)`);
      }
      i = end + 1;
    } else {
      out += text.charAt(i);
      i += 1;
    }
  }
  return errors.length === 0 ? { ok: true, value: out } : { ok: false, errors };
}

/** The variables a string refers to (`${NAME}` and `${NAME:-default}`). */
function referencedNames(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');
}

/**
 * Interpolate every string value of a plain data tree (objects and arrays from YAML/JSON or a
 * library object). Returns a new tree; non-plain objects and functions are kept as they are.
 * A string that fails keeps its original text and yields one issue per error, at its path.
 * The tree must have passed `checkInputShape` (input-shape.ts): this walk recurses, so it relies on the
 * depth limit and on the absence of cycles.
 */
export function interpolate(value: unknown, env: ConfigEnv): InterpolationResult {
  const issues: PathIssue[] = [];
  const secretPaths: FieldPath[] = [];
  const walk = (node: unknown, path: FieldPath): unknown => {
    if (typeof node === 'string') {
      if (node.includes('${') && referencedNames(node).some(isSecretName)) secretPaths.push(path);
      const result = interpolateString(node, env);
      if (result.ok) return result.value;
      for (const message of result.errors) issues.push({ path, message });
      return node;
    }
    if (Array.isArray(node)) return node.map((item: unknown, index) => walk(item, [...path, index]));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, [...path, key]);
      return out;
    }
    return node;
  };
  return { value: walk(value, []), issues, secretPaths };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
