/**
 * Compiles a mapping's `filterCriteria.filters[].pattern` strings into one {@link RecordFilter}.
 *
 * "Your filters are logically ORed together. If a record from your event source satisfies one or more
 * of your filters, Lambda includes the record … If none of your filters are satisfied, Lambda discards
 * the record." (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html)
 * No filters at all means no filtering: every record is delivered.
 */
import { TributaryError } from '../errors.js';
import type { FilterView } from './filter-view.js';
import { matchPattern } from './match.js';
import { parsePattern } from './parse-pattern.js';
import type { ObjectPattern } from './pattern-types.js';
import { type FilterSourceType, SOURCE_FILTER_RULES } from './source-rules.js';

/**
 * Filters per mapping. "By default, you can define up to five different filters for a single event
 * source mapping … you can request a quota increase for up to 10 filters for each event source. If you
 * attempt to add more filters than your current quota permits, Lambda will return an error."
 * We enforce the default so a pipeline that validates here also deploys to a default AWS account;
 * {@link CompileOptions.maxFilters} stands for a raised quota and stops at AWS's ceiling of 10.
 */
export const DEFAULT_MAX_FILTERS = 5;
/** The most filters AWS allows after a quota increase. */
export const MAX_FILTERS_CEILING = 10;
/** An allowed filter quota: the default 5 up to the ceiling 10. */
export type FilterQuota = 5 | 6 | 7 | 8 | 9 | 10;

/** What {@link compileFilters} needs to know besides the patterns. */
export interface CompileOptions {
  /** The mapping's `source.type`; decides the data key and its JSON rules. */
  readonly source: FilterSourceType;
  /** The account's filter quota (default {@link DEFAULT_MAX_FILTERS}). */
  readonly maxFilters?: FilterQuota;
}

/** One invalid pattern (or the filter count). */
export interface FilterPatternError {
  /** Which pattern (index into `filters`); for too many filters, the first one over the limit. */
  readonly index: number;
  /** Path inside the pattern (`body.price`, `$or[1].state`), `''` for the pattern as a whole. */
  readonly field: string;
  /** The problem alone, e.g. `"numeric" expects a number after ">" (got the string "10")`. */
  readonly reason: string;
  /** Ready to print: `filterCriteria.filters[1].pattern: body.price: "numeric" expects …`. */
  readonly message: string;
}

/** A compiled set of patterns for one source. */
export interface RecordFilter {
  readonly source: FilterSourceType;
  /** How many patterns were compiled; 0 ⇒ every record matches. */
  readonly patternCount: number;
  /**
   * True when any pattern matches the view (patterns are ORed); always true with zero patterns.
   * @throws TributaryError `INTERNAL` when the view was built for another source's data key.
   */
  matches(view: FilterView): boolean;
}

/** The filter, or every problem with the patterns. */
export type CompileResult = { readonly ok: true; readonly filter: RecordFilter } | { readonly ok: false; readonly errors: readonly FilterPatternError[] };

/** Validates and compiles `patterns` (JSON strings, as in `FilterCriteria.Filters[].Pattern`); never throws. */
export function compileFilters(patterns: readonly string[], options: CompileOptions): CompileResult {
  const rules = SOURCE_FILTER_RULES[options.source];
  const maxFilters = options.maxFilters ?? DEFAULT_MAX_FILTERS;
  const errors: FilterPatternError[] = [];
  const compiled: ObjectPattern[] = [];

  if (patterns.length > maxFilters) {
    const reason =
      `${patterns.length} filters given; Lambda allows ${maxFilters} per event source mapping` +
      (maxFilters < MAX_FILTERS_CEILING ? ` (${DEFAULT_MAX_FILTERS} by default; set maxFilters for a raised quota, at most ${MAX_FILTERS_CEILING})` : '');
    errors.push({ index: maxFilters, field: '', reason, message: `filterCriteria.filters: ${reason}` });
  }
  patterns.forEach((text, index) => {
    const result = parsePattern(text, rules);
    if (result.ok) {
      compiled.push(result.pattern);
      return;
    }
    for (const issue of result.issues) {
      const where = issue.field === '' ? '' : `${issue.field}: `;
      errors.push({ index, field: issue.field, reason: issue.reason, message: `filterCriteria.filters[${index}].pattern: ${where}${issue.reason}` });
    }
  });
  if (errors.length > 0) return { ok: false, errors };

  const filter: RecordFilter = {
    source: options.source,
    patternCount: compiled.length,
    matches(view: FilterView): boolean {
      if (view.dataKey !== rules.payloadKey) {
        throw new TributaryError('INTERNAL', `filter for ${rules.label} got a view with data key ${String(view.dataKey)}; expected ${String(rules.payloadKey)}`);
      }
      if (compiled.length === 0) return true;
      const root = { rules, payloadFormat: view.payloadFormat };
      return compiled.some((pattern) => matchPattern(pattern, view.event, root));
    },
  };
  return { ok: true, filter: Object.freeze(filter) };
}
