/** Helpers shared by the filter tests (not a test file itself). */
import { compileFilters, filterView, type FilterSourceType, type RecordFilter } from '../../../src/filter/index.js';

/** Compiles or fails the test with every message. */
export function compile(patterns: readonly (string | object)[], source: FilterSourceType = 'dynamodb-streams'): RecordFilter {
  const result = compileFilters(
    patterns.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))),
    { source },
  );
  if (!result.ok) throw new Error(`expected the patterns to compile:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.filter;
}

/** Pure EventBridge-style matching of one pattern against a record with no encoded payload. */
export function matchesEvent(pattern: string | object, event: Readonly<Record<string, unknown>>): boolean {
  return compile([pattern]).matches(filterView(event, null, null));
}

/**
 * Matches `{"body": bodyPattern}` against an SQS record whose body is `bodyJson`: the way to test
 * values that only exist as JSON text (`300.0` vs `300`).
 */
export function matchesBody(bodyPattern: object, bodyJson: string): boolean {
  return compile([{ body: bodyPattern }], 'sqs').matches(filterView({ messageId: 'm1' }, 'body', bodyJson));
}

/** The error messages of patterns that must not compile. */
export function errorsOf(patterns: readonly (string | object)[], source: FilterSourceType = 'dynamodb-streams'): string[] {
  const result = compileFilters(
    patterns.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))),
    { source },
  );
  if (result.ok) throw new Error('expected the patterns to be rejected');
  return result.errors.map((e) => e.message);
}
