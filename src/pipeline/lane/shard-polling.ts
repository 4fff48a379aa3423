/**
 * A stream shard reader as a lane reader: GetRecords returns at once, so an empty read waits here — no longer than
 * the lane asked and no longer than the source's idle poll interval (Lambda polls an idle Kinesis shard once a
 * second, a DynamoDB stream shard four times a second) — and never polls an idle shard faster than that.
 */
import type { LaneReader, ShardReader } from '../../connector/types.js';
import { sleep } from '../../connector/kit/sleep.js';

export function pollingShardReader(shard: ShardReader, idlePollIntervalMs: number): LaneReader {
  return {
    async read({ maxRecords, waitMs, signal }) {
      const result = await shard.read(maxRecords, signal, waitMs);
      // A push reader has already waited up to waitMs for records: pausing again would only delay the next push.
      if (result.records.length === 0 && !result.shardEnd && shard.waitsForRecords !== true) await sleep(Math.min(Math.max(waitMs, 1), idlePollIntervalMs), signal);
      const caughtUp = result.millisBehindLatest === null ? result.records.length === 0 : result.millisBehindLatest === 0;
      return { records: result.records, end: result.shardEnd, caughtUp };
    },
    close: () => shard.close(),
  };
}

/**
 * How coarse an arrival time may be. AWS rounds DynamoDB's ApproximateCreationDateTime down to the second
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html); DynamoDB Local
 * rounds it down to the minute. Skipping a record put after the start would lose it, so the cut is a minute early:
 * at most a minute of older records is delivered again, never one skipped.
 */
export const ARRIVAL_PRECISION_MS = 60_000;

/**
 * Drops the records that arrived before `notBeforeMs` (floored to {@link ARRIVAL_PRECISION_MS}, so a record whose
 * arrival time was rounded down is kept), until the first one at or after it. A pinned LATEST of a stream without
 * AT_TIMESTAMP restarts at TRIM_HORIZON this way.
 */
export function skipBefore(shard: ShardReader, notBeforeMs: number): ShardReader {
  const from = Math.floor(notBeforeMs / ARRIVAL_PRECISION_MS) * ARRIVAL_PRECISION_MS;
  let reached = false;
  return {
    ...(shard.waitsForRecords === true ? { waitsForRecords: true } : {}),
    async read(maxRecords, signal, waitMs) {
      const result = await shard.read(maxRecords, signal, waitMs);
      if (reached) return result;
      const first = result.records.findIndex((record) => record.arrivedAtMs >= from);
      if (first >= 0) reached = true;
      return { ...result, records: first < 0 ? [] : result.records.slice(first) };
    },
    close: () => shard.close(),
  };
}
