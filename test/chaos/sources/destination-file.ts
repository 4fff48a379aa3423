/**
 * The `file://` on-failure destination of the stream and Kafka pipelines: AWS's invocation records, which name
 * the discarded records by position only (shard and sequence numbers, or topic-partition and offsets). Mapped
 * back to ids through an index of what the source holds.
 */
import { existsSync, readFileSync } from 'node:fs';

/** Shard or topic-partition → position → record id. */
export type PositionIndex = Map<string, Map<string, string>>;

export interface DiscardedRange {
  readonly unit: string;
  readonly first: string;
  readonly last: string;
}

function lines(path: string): unknown[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/** The ranges of every invocation record in the file; `info` is the batch-info key of the source. */
export function discardedRanges(path: string, info: 'DDBStreamBatchInfo' | 'KinesisBatchInfo' | 'KafkaBatchInfo'): DiscardedRange[] {
  const out: DiscardedRange[] = [];
  for (const record of lines(path)) {
    const batch = (record as Record<string, unknown>)[info] as Record<string, unknown> | undefined;
    if (batch === undefined) continue;
    if (info === 'KafkaBatchInfo') {
      const infos = (batch['recordsInfo'] ?? {}) as Record<string, { firstRecordOffset: string; lastRecordOffset: string }>;
      for (const [unit, range] of Object.entries(infos)) out.push({ unit, first: String(range.firstRecordOffset), last: String(range.lastRecordOffset) });
    } else {
      out.push({ unit: String(batch['shardId']), first: String(batch['startSequenceNumber']), last: String(batch['endSequenceNumber']) });
    }
  }
  return out;
}

/** Every id whose position falls in a range, once per range it falls in. */
export function idsInRanges(ranges: readonly DiscardedRange[], index: PositionIndex): string[] {
  const out: string[] = [];
  for (const range of ranges) {
    const positions = index.get(range.unit);
    if (positions === undefined) continue;
    const first = BigInt(range.first);
    const last = BigInt(range.last);
    for (const [position, id] of positions) {
      const p = BigInt(position);
      if (p >= first && p <= last) out.push(id);
    }
  }
  return out;
}
