/**
 * Builds a pipeline's RecordMatcher from its filterCriteria and its connector's filter target (what part of a record
 * patterns address). The patterns were validated with the config, so a compile failure here is a bug (INTERNAL).
 */
import type { ConnectorDefinition } from '../connector/definition.js';
import type { SourceConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import { compileFilters, filterView } from '../filter/index.js';
import { MATCH_ALL, type RecordMatcher } from './record-matcher.js';

export function buildRecordMatcher(patterns: readonly string[], source: SourceConfig['type'], connector: Pick<ConnectorDefinition, 'filterTarget'>): RecordMatcher {
  // The asynchronous-invocation queue has no filterCriteria: Lambda filters mappings, never Invoke.
  if (patterns.length === 0 || source === 'async-queue') return MATCH_ALL;
  const compiled = compileFilters(patterns, { source, maxFilters: 10 });
  if (!compiled.ok) {
    throw new TributaryError('INTERNAL', `filter patterns passed validation but do not compile: ${compiled.errors.map((e) => e.message).join('; ')}`);
  }
  const { filter } = compiled;
  return {
    matches(record) {
      const { target, key } = connector.filterTarget(record);
      return filter.matches(filterView(target, key, record.filterPayload));
    },
  };
}
