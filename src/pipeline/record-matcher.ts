/** Decides whether a record goes to the function (filterCriteria). Built once per pipeline. */
import type { SourceRecord } from '../connector/types.js';

export interface RecordMatcher {
  /** True when the record passes the pipeline's filters (always true without filters). */
  matches(record: SourceRecord): boolean;
}

export const MATCH_ALL: RecordMatcher = { matches: () => true };
