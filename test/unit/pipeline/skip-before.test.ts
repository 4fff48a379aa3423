// A pinned LATEST of a stream without AT_TIMESTAMP (DynamoDB Streams) restarts at TRIM_HORIZON and skips what
// arrived before the pin. DynamoDB Local rounds ApproximateCreationDateTime down to the minute: with a cut to the
// second, every record put in the minute of the start was skipped — lost (chaos suite, issue 19).
import { describe, expect, it } from 'vitest';
import type { ShardReader, ShardReadResult, SourceRecord } from '../../../src/connector/types.js';
import { skipBefore } from '../../../src/pipeline/lane/shard-polling.js';

function record(id: string, arrivedAtMs: number): SourceRecord {
  return { id, position: id, key: 'k', arrivedAtMs, sizeBytes: 10, eventRecord: {} } as unknown as SourceRecord;
}

function reader(pages: SourceRecord[][]): ShardReader {
  return {
    read: (): Promise<ShardReadResult> => Promise.resolve({ records: pages.shift() ?? [], shardEnd: false, millisBehindLatest: null }),
    close: () => Promise.resolve(),
  };
}

const signal = new AbortController().signal;
const start = Date.UTC(2026, 11, 2, 3, 54, 13, 500); // the pin: 03:54:13.5

describe('skipBefore', () => {
  it('keeps a record put after the pin whose arrival time was rounded down to the minute (DynamoDB Local)', async () => {
    const minute = Date.UTC(2026, 11, 2, 3, 54, 0);
    const skipping = skipBefore(reader([[record('put-after-start', minute)]]), start);
    expect((await skipping.read(10, signal)).records.map((r) => r.id)).toEqual(['put-after-start']);
  });

  it('drops what arrived minutes before the pin, then passes everything from the first record kept', async () => {
    const old = start - 10 * 60_000;
    const skipping = skipBefore(reader([[record('old-1', old), record('old-2', old + 1)], [record('new', start + 1_000), record('late-stamped', old)]]), start);
    expect((await skipping.read(10, signal)).records).toEqual([]);
    expect((await skipping.read(10, signal)).records.map((r) => r.id)).toEqual(['new', 'late-stamped']);
  });
});
