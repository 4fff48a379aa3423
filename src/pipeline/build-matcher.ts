/**
 * Builds a pipeline's RecordMatcher from its filterCriteria. The patterns were validated with the config, so a
 * compile failure here is a bug, reported as INTERNAL.
 */
import type { SourceRecord } from '../connector/types.js';
import type { SourceType } from '../config/types.js';
import { TributaryError } from '../errors.js';
import { compileFilters, filterView, type PayloadKey } from '../filter/index.js';
import { MATCH_ALL, type RecordMatcher } from './record-matcher.js';

/** Which part of the event record Lambda matches patterns against, and which key holds the encoded payload. */
function filterTarget(source: SourceType, record: SourceRecord): { target: Readonly<Record<string, unknown>>; key: PayloadKey | null } {
  switch (source) {
    case 'sqs':
      return { target: record.eventRecord, key: 'body' };
    case 'kinesis':
      // Lambda filters Kinesis records on the `kinesis` object's fields (`data`, `partitionKey`…).
      return { target: (record.eventRecord['kinesis'] as Record<string, unknown> | undefined) ?? {}, key: 'data' };
    case 'kafka':
      return { target: record.eventRecord, key: 'value' };
    case 'dynamodb-streams':
      return { target: record.eventRecord, key: null };
  }
}

export function buildRecordMatcher(patterns: readonly string[], source: SourceType): RecordMatcher {
  if (patterns.length === 0) return MATCH_ALL;
  const compiled = compileFilters(patterns, { source, maxFilters: 10 });
  if (!compiled.ok) {
    throw new TributaryError('INTERNAL', `filter patterns passed validation but do not compile: ${compiled.errors.map((e) => e.message).join('; ')}`);
  }
  const { filter } = compiled;
  return {
    matches(record) {
      const { target, key } = filterTarget(source, record);
      return filter.matches(filterView(target, key, record.filterPayload));
    },
  };
}
