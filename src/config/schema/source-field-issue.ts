/**
 * A `source` field given to a source type that does not take it (`ssl` on a Kinesis source) is not a typo: the
 * schema's "unknown field" becomes "is only for kafka sources", so `validate` says which sources take it.
 */
import type { PathIssue } from '../field-path.js';
import { SOURCE_FIELD_TYPES } from './source.js';

export function sourceFieldIssue(issue: PathIssue): PathIssue {
  const key = issue.path.at(-1);
  const owners = typeof key === 'string' && issue.path.at(-2) === 'source' && issue.message.startsWith('unknown field') ? SOURCE_FIELD_TYPES.get(key) : undefined;
  return owners === undefined ? issue : { path: issue.path, message: `is only for ${owners.join(', ')} sources` };
}
