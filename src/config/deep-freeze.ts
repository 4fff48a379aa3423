/**
 * Freeze a resolved configuration and everything it holds (DESIGN §7.3). Functions (an
 * in-process handler) belong to the library user and are left untouched.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
