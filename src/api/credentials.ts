/**
 * API credentials from the environment: `TRIBUTARY_API_ACCESS_KEY_ID` and `TRIBUTARY_API_SECRET_ACCESS_KEY` (one
 * pair, the shape of AWS's own `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`), so a secret never has to be written
 * into the config file. Half a pair is an error, never silently "no authentication".
 */
import { TributaryError } from '../errors.js';
import type { ApiCredential } from './sigv4-verify.js';

export const ACCESS_KEY_ID_VARIABLE = 'TRIBUTARY_API_ACCESS_KEY_ID';
export const SECRET_ACCESS_KEY_VARIABLE = 'TRIBUTARY_API_SECRET_ACCESS_KEY';

/**
 * The credentials the environment configures (none when neither variable is set).
 * @throws TributaryError CONFIG_INVALID when only one of the two is set.
 */
export function apiCredentialsFromEnv(env: Readonly<Record<string, string | undefined>>): ApiCredential[] {
  const accessKeyId = env[ACCESS_KEY_ID_VARIABLE] ?? '';
  const secretAccessKey = env[SECRET_ACCESS_KEY_VARIABLE] ?? '';
  if (accessKeyId === '' && secretAccessKey === '') return [];
  if (accessKeyId === '' || secretAccessKey === '') {
    throw new TributaryError('CONFIG_INVALID', `set both ${ACCESS_KEY_ID_VARIABLE} and ${SECRET_ACCESS_KEY_VARIABLE}, or neither`);
  }
  return [{ accessKeyId, secretAccessKey }];
}
