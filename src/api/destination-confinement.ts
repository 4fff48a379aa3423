/**
 * `file://` destinations given through the API stay inside the API's base folder. A destination in the config file
 * is the operator's choice; one in an API request is a caller's, and without this rule an API caller could make
 * Tributary append JSON lines to any file it can write (`file:///home/app/.ssh/authorized_keys`). Pure.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { parseDestination } from '../config/destination-string.js';
import { invalidParameter } from './api-errors.js';

/**
 * @throws LambdaApiError InvalidParameterValueException when `destination` is a `file://` path outside `baseDir`.
 */
export function requireConfinedDestination(destination: string | null | undefined, baseDir: string, member: string): void {
  if (typeof destination !== 'string') return;
  const parsed = parseDestination(destination);
  if (!parsed.ok || parsed.ref.kind !== 'file') return;
  const inside = relative(baseDir, resolve(baseDir, parsed.ref.path));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw invalidParameter(`${member}: a file:// destination given through the API must be a relative path inside the API's folder (got ${JSON.stringify(destination)})`);
  }
}
