/**
 * Which configuration fields may hold a secret, so that no message echoes their value (issue 19; DESIGN §5
 * "Secrets never appear in logs"): SASL credentials, http runner headers, sandbox environment values, and any
 * field or environment variable named like a secret.
 */
import type { FieldPath } from './field-path.js';

/** Words that mark a secret in a field or variable name (`X-Api-Key`, `clientSecret`, `DB_PASSWORD`, `bearerToken`). */
const SECRET_WORDS = new Set([
  'secret', 'secrets', 'token', 'tokens', 'password', 'passwords', 'passwd', 'pwd', 'pass', 'passphrase', 'key', 'keys',
  'apikey', 'credential', 'credentials', 'auth', 'authorization', 'cookie', 'session', 'signature', 'private', 'privatekey',
]);
/**
 * These keys and every value below them are secret (header values, environment values, SASL credentials), except
 * the fields listed: a mapping written as one string (`headers: "Authorization: Bearer …"`) is not echoed either.
 */
const SECRET_CONTAINERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['headers', new Set<string>()],
  ['environment', new Set<string>()],
  ['sasl', new Set(['mechanism'])],
]);

/** `X-Api-Key` → [x, api, key]; `clientSecret` → [client, secret]; `DB_PASSWORD` → [db, password]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** The name (of a field or an environment variable) reads like a secret. */
export function isSecretName(name: string): boolean {
  return words(name).some((word) => SECRET_WORDS.has(word));
}

/** The field at `path` may hold a secret: its value must never be echoed. */
export function isSecretPath(path: FieldPath): boolean {
  return path.some((segment, index) => {
    if (typeof segment !== 'string') return false;
    const except = SECRET_CONTAINERS.get(segment);
    if (except !== undefined) {
      const next = path[index + 1];
      if (next === undefined || typeof next === 'number' || !except.has(next)) return true;
    }
    return isSecretName(segment);
  });
}
