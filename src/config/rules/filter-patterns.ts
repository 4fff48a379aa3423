/**
 * Deep validation of `filterCriteria.filters[].pattern` by the filter compiler (src/filter,
 * DG-FILT: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html).
 * The schema already checked that each pattern is the JSON text of an object and that there are
 * at most 10; the compiler checks the pattern language itself for the pipeline's source
 * (data key, operators, value types).
 */
import { compileFilters } from '../../filter/index.js';
import { MAX_FILTERS } from '../defaults.js';
import type { PathIssue } from '../field-path.js';
import type { SourceType } from '../types.js';

/**
 * Issues for the patterns the filter compiler refuses, at `filterCriteria.filters[i].pattern`.
 * `patterns` holds, per filter index, the pattern text when the schema accepted it, else
 * undefined (already reported); only the accepted ones are compiled, so one malformed pattern
 * does not hide the problems of the others.
 */
export function filterPatternIssues(patterns: readonly (string | undefined)[], source: SourceType): PathIssue[] {
  if (patterns.length > MAX_FILTERS) return [];
  const indexes: number[] = [];
  const accepted: string[] = [];
  patterns.forEach((pattern, index) => {
    if (pattern === undefined) return;
    indexes.push(index);
    accepted.push(pattern);
  });
  if (accepted.length === 0) return [];
  // The single place where configuration calls into src/filter. Our limit is the raised quota (10).
  const result = compileFilters(accepted, { source, maxFilters: MAX_FILTERS });
  if (result.ok) return [];
  return result.errors.map((error) => ({
    path: ['filterCriteria', 'filters', indexes[error.index] ?? error.index, 'pattern'],
    message: error.field === '' ? error.reason : `${error.field}: ${error.reason}`,
  }));
}
