/** What connectors' SourceIdentity checks (./source-traits.ts) share. Pure. */

/** Two optional facts (an account, a region) agree unless both are known and differ. */
export function agree(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}
