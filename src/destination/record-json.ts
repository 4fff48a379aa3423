/**
 * One record as one line of JSON. The on-failure records are plain data, so this only fails for a caller bug
 * (a cycle, a BigInt, a `toJSON` returning undefined); retrying the same record cannot help, hence non-retryable.
 */
import { errorMessage } from '../errors.js';
import { destinationFailed } from './destination-errors.js';

/** `JSON.stringify(record)` (single line: JSON never contains a raw newline), or a non-retryable failure. */
export function recordJson(target: string, record: object, index: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(record);
  } catch (error) {
    throw destinationFailed(target, `record ${index} is not serializable as JSON: ${errorMessage(error)}`, { retryable: false, cause: error });
  }
  if (typeof json !== 'string') throw destinationFailed(target, `record ${index} serializes to no JSON`, { retryable: false });
  return json;
}
