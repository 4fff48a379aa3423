/**
 * Turn zod issues into `PathIssue`s with messages in the style of the rest of Tributary
 * (`expected an integer (got "abc")`, `must be one of …`, `unknown field (did you mean …?)`).
 * Messages set on a schema (fields.ts) win over this map; this covers the generic cases.
 */
import type * as z from 'zod';
import type { FieldPath, PathIssue } from '../field-path.js';
import { show } from './fields.js';
import { sourceFieldIssue } from './source-field-issue.js';

const NOUNS: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  function: 'a function',
};

/** The per-parse error map: pass as `safeParse(value, { error: issueMessage })`. */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? 'is required' : `expected ${NOUNS[issue.expected] ?? issue.expected} (got ${show(input)})`;
    case 'invalid_union': {
      if (issue.discriminator === undefined) return 'does not match any allowed form';
      const options = (Array.isArray(issue.options) ? (issue.options as unknown[]) : []).map(String).join(', ');
      const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
      return given === undefined || given === null || given === ''
        ? `is required (one of ${options})`
        : `must be one of ${options} (got ${show(given)})`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${show(issue.values[0])} (got ${show(input)})`
        : `must be one of ${issue.values.map((value) => String(value)).join(', ')} (got ${show(input)})`;
    case 'unrecognized_keys':
      return 'unknown field';
    case 'too_small':
      return `must be at least ${String(issue.minimum)} (got ${show(input)})`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)} (got ${show(input)})`;
    default:
      return undefined;
  }
}

/**
 * Convert the issues of a failed parse. An unknown key becomes one issue per key, at the key's
 * own path, with a suggestion from `vocabulary` when a known field name is close.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], vocabulary: readonly string[]): PathIssue[] {
  const out: PathIssue[] = [];
  const suggestions = new Map<string, string | null>();
  const suggest = (key: string): string | null => {
    let suggestion = suggestions.get(key);
    if (suggestion === undefined) {
      suggestion = closest(key, vocabulary);
      suggestions.set(key, suggestion);
    }
    return suggestion;
  };
  for (const issue of issues) {
    const path: FieldPath = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = suggest(key);
        out.push({ path: [...path, key], message: `unknown field${suggestion === null ? '' : ` (did you mean "${suggestion}"?)`}` });
      }
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out.map(sourceFieldIssue);
}

/** Keys longer than this get no suggestion: no field name is that long, and the distance costs length². */
const MAX_SUGGESTED_KEY = 64;

/** The closest known name: same letters ignoring case, or a few edits away (a swap counts as one). */
export function closest(key: string, vocabulary: readonly string[]): string | null {
  if (key.length > MAX_SUGGESTED_KEY) return null;
  const lower = key.toLowerCase();
  const allowed = Math.min(3, Math.ceil(key.length / 3));
  let best: string | null = null;
  let bestDistance = allowed + 1;
  for (const word of vocabulary) {
    // Each edit changes the length by at most one: a word too much longer or shorter cannot be close enough.
    if (Math.abs(word.length - key.length) >= bestDistance) continue;
    const distance = editDistance(lower, word.toLowerCase());
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j += 1) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(value);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
