/**
 * Offset lag of a consumer-group partition (Lambda's `OffsetLag` metric for Kafka): how many records the partition
 * holds past what the pipeline has settled. Pure, BigInt-safe (offsets are 64-bit).
 */

function toOffset(value: string | undefined): bigint | null {
  if (value === undefined || !/^-?\d+$/.test(value)) return null;
  return BigInt(value);
}

/** `highWatermark − nextOffset`, clamped at 0; null when either is missing or not an integer. */
export function offsetLag(highWatermark: string | undefined, nextOffset: string | undefined): number | null {
  const high = toOffset(highWatermark);
  const next = toOffset(nextOffset);
  if (high === null || next === null) return null;
  return high > next ? Number(high - next) : 0;
}
