/** Reading raw (interpolated, unvalidated) config values in rules. Leaf module: connectors' rules use it too. */

/** Not absent and not blank (blank is the same as absent, see schema/fields.ts). */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/** The value as a mapping, or an empty one. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
