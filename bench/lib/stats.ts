/** Small, pure statistics over the rounds of a case. */

/** The median (mean of the two middle values for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The median of every metric over the rounds, each metric on its own. */
export function medianMetrics(rounds: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const names = new Set(rounds.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const name of names) out[name] = median(rounds.map((r) => r[name] ?? Number.NaN));
  return out;
}

/** Round `round` (1-based) runs the contenders rotated by `round - 1`: A B C, B C A, C A B… so no one always goes first. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = (round - 1) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
