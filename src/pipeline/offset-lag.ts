/**
 * Offset lag of a consumer-group partition (Lambda's `OffsetLag` metric for Kafka): how many records the partition
 * holds past what the pipeline has settled. Pure, BigInt-safe (offsets are 64-bit).
 */
import type { PartitionBatch, SourceRecord } from '../connector/types.js';

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

/**
 * The lag after a batch settled: the next offset to commit is the one after the last settled record, or the batch's
 * first record when none settled. Null when the source did not report a high watermark.
 */
export function offsetLagAfterBatch(batch: Pick<PartitionBatch, 'highWatermark' | 'records'>, settled: readonly SourceRecord[]): number | null {
  const last = settled.at(-1);
  if (last === undefined) return offsetLag(batch.highWatermark, batch.records[0]?.position);
  const lastOffset = toOffset(last.position);
  return lastOffset === null ? null : offsetLag(batch.highWatermark, (lastOffset + 1n).toString());
}
