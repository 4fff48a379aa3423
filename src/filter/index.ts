/**
 * Lambda event filtering (`filterCriteria`), pure: compile patterns once, build a view per record,
 * match. Follows https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html and,
 * where Lambda defers to it, EventBridge's event-pattern rules.
 *
 * ```ts
 * const compiled = compileFilters(config.filterPatterns, { source: 'sqs' });
 * if (!compiled.ok) … compiled.errors[i].message …
 * const keep = compiled.filter.matches(filterView(record.eventRecord, 'body', record.filterPayload));
 * ```
 */
export {
  compileFilters,
  DEFAULT_MAX_FILTERS,
  MAX_FILTERS_CEILING,
  type CompileOptions,
  type CompileResult,
  type FilterPatternError,
  type FilterQuota,
  type RecordFilter,
} from './compile-filters.js';
export { filterView, type FilterView } from './filter-view.js';
export { JsonNumber } from './json-text.js';
export { FILTER_PATTERN_MAX_LENGTH } from './parse-pattern.js';
export type { FilterSourceType, PayloadFormat, PayloadKey } from './source-rules.js';
