/** PEM text versus a file path, for the settings that take either (RFC 7468: PEM begins with `-----BEGIN <label>-----`). */
export function isPemText(value: string): boolean {
  return value.trimStart().startsWith('-----BEGIN ');
}
