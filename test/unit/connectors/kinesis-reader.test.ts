// The shard reader's iterator handling, against a scripted stand-in for the two Kinesis calls (pure logic: the
// real service is exercised in test/integration/kinesis-source.test.ts; kinesis-local expires iterators only
// after 300 s, too slow for a test).
import { describe, expect, it } from 'vitest';
import type { SourceRecord, StartPosition } from '../../../src/connector/index.js';
import { TributaryError } from '../../../src/errors.js';
import type { IteratorPosition, RecordsPage } from '../../../connectors/kinesis/client.js';
import { ExpiredIteratorError } from '../../../connectors/kinesis/errors.js';
import type { KinesisRecordData } from '../../../connectors/kinesis/event.js';
import { KinesisShardReader } from '../../../connectors/kinesis/reader.js';

type Step = RecordsPage | Error;

const signal = new AbortController().signal;

function rec(sequenceNumber: string): KinesisRecordData {
  return { sequenceNumber, partitionKey: 'pk', data: new Uint8Array([1]), approximateArrivalTimestampMs: 1000 };
}

function page(sequences: string[], next: string | null, millisBehindLatest: number | null = 0): RecordsPage {
  return { records: sequences.map(rec), nextShardIterator: next, millisBehindLatest };
}

/** A scripted API: each getRecords call consumes the next step; iterators are `it-<n>` in the order issued. */
function scripted(steps: Step[]) {
  const iteratorCalls: IteratorPosition[] = [];
  const recordCalls: { iterator: string; limit: number }[] = [];
  const api = {
    getShardIterator(_shardId: string, position: IteratorPosition): Promise<string> {
      iteratorCalls.push(position);
      return Promise.resolve(`it-${iteratorCalls.length}`);
    },
    getRecords(iterator: string, limit: number): Promise<RecordsPage> {
      recordCalls.push({ iterator, limit });
      const step = steps.shift();
      if (step === undefined) return Promise.reject(new Error('script exhausted'));
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
  };
  return { api, iteratorCalls, recordCalls };
}

function reader(start: StartPosition, steps: Step[], now: () => number = () => 5_000) {
  const script = scripted(steps);
  const toRecord = (r: KinesisRecordData): SourceRecord => ({
    id: r.sequenceNumber, shard: 'shardId-0', position: r.sequenceNumber, partitionKey: r.partitionKey, arrivedAtMs: 0,
    receiveCount: 1, sizeBytes: 1, eventRecord: {}, filterPayload: r.data,
  });
  const shardReader = new KinesisShardReader({ shardId: 'shardId-0', start, api: script.api, toRecords: (r) => [toRecord(r)], now, maxLimit: 10_000 });
  return { shardReader, ...script };
}

const expired = (): ExpiredIteratorError => new ExpiredIteratorError('GetRecords', new Error('ExpiredIteratorException'));

describe('KinesisShardReader', () => {
  it('takes the iterator lazily, then chains NextShardIterator and keeps order', async () => {
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, [page(['1', '2'], 'n1', 500), page(['3'], 'n2', 0)]);
    await shardReader.prepare(signal);
    expect(iteratorCalls).toEqual([]);
    const first = await shardReader.read(2, signal);
    expect(first).toMatchObject({ shardEnd: false, millisBehindLatest: 500 });
    expect(first.records.map((r) => r.id)).toEqual(['1', '2']);
    const second = await shardReader.read(2, signal);
    expect(second.records.map((r) => r.id)).toEqual(['3']);
    expect(iteratorCalls).toEqual([{ type: 'TRIM_HORIZON' }]);
    expect(recordCalls.map((c) => c.iterator)).toEqual(['it-1', 'n1']);
  });

  it('an AT_TIMESTAMP the service calls future (its clock behind ours) starts at LATEST instead of failing (kinesis-local in CI)', async () => {
    const future = new TributaryError('SOURCE_READ_FAILED', 'Kinesis GetShardIterator refused', {
      cause: Object.assign(new Error('Timestamp cannot be in the future'), { name: 'InvalidArgumentException' }),
    });
    let refusals = 0;
    const scriptedFail = reader({ kind: 'AT_TIMESTAMP', timestampMs: 9_000 }, [page(['7'], 'n1')]);
    const original = scriptedFail.api.getShardIterator.bind(scriptedFail.api);
    scriptedFail.api.getShardIterator = (shardId: string, position: IteratorPosition) => {
      if (position.type === 'AT_TIMESTAMP' && refusals++ === 0) {
        scriptedFail.iteratorCalls.push(position);
        return Promise.reject(future);
      }
      return original(shardId, position);
    };
    const read = await scriptedFail.shardReader.read(10, signal);
    expect(read.records.map((r) => r.id)).toEqual(['7']);
    expect(scriptedFail.iteratorCalls).toEqual([{ type: 'AT_TIMESTAMP', timestampMs: 9_000 }, { type: 'LATEST' }]);
  });

  it('another GetShardIterator refusal still fails the read', async () => {
    const scriptedFail = reader({ kind: 'AT_TIMESTAMP', timestampMs: 9_000 }, [page(['7'], 'n1')]);
    scriptedFail.api.getShardIterator = () => Promise.reject(new TributaryError('SOURCE_READ_FAILED', 'refused', { cause: Object.assign(new Error('bad shard'), { name: 'InvalidArgumentException' }) }));
    await expect(scriptedFail.shardReader.read(10, signal)).rejects.toThrow('refused');
  });

  it('clamps the limit to 1..maxLimit', async () => {
    const { shardReader, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, [page([], 'n1'), page([], 'n2')]);
    await shardReader.read(50_000, signal);
    await shardReader.read(0, signal);
    expect(recordCalls.map((c) => c.limit)).toEqual([10_000, 1]);
  });

  it.each<[StartPosition, IteratorPosition]>([
    [{ kind: 'TRIM_HORIZON' }, { type: 'TRIM_HORIZON' }],
    [{ kind: 'AT_TIMESTAMP', timestampMs: 1234 }, { type: 'AT_TIMESTAMP', timestampMs: 1234 }],
    [{ kind: 'AFTER', position: '77' }, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '77' }],
  ])('maps start %j to %j, and renews there when nothing was read yet', async (start, position) => {
    const { shardReader, iteratorCalls } = reader(start, [expired(), page(['1'], 'n')]);
    const result = await shardReader.read(10, signal);
    expect(result.records.map((r) => r.id)).toEqual(['1']);
    expect(iteratorCalls).toEqual([position, position]);
  });

  it('renews an expired iterator after the last record returned and retries once', async () => {
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, [page(['1', '2'], 'n1'), expired(), page(['3'], 'n2')]);
    await shardReader.read(10, signal);
    const result = await shardReader.read(10, signal);
    expect(result.records.map((r) => r.id)).toEqual(['3']);
    expect(iteratorCalls).toEqual([{ type: 'TRIM_HORIZON' }, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' }]);
    expect(recordCalls.map((c) => c.iterator)).toEqual(['it-1', 'n1', 'it-2']);
  });

  it('keeps the last sequence number across empty reads', async () => {
    const { shardReader, iteratorCalls } = reader({ kind: 'TRIM_HORIZON' }, [page(['9'], 'n1'), page([], 'n2'), expired(), page([], 'n3')]);
    await shardReader.read(10, signal);
    await shardReader.read(10, signal);
    await shardReader.read(10, signal);
    expect(iteratorCalls.at(-1)).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '9' });
  });

  it('throws a second expiry in one read (retryable) and renews again on the next read', async () => {
    const { shardReader, iteratorCalls } = reader({ kind: 'TRIM_HORIZON' }, [page(['1'], 'n1'), expired(), expired(), page(['2'], 'n2')]);
    await shardReader.read(10, signal);
    const failure = await shardReader.read(10, signal).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ExpiredIteratorError);
    expect((failure as TributaryError).retryable).toBe(true);
    const result = await shardReader.read(10, signal);
    expect(result.records.map((r) => r.id)).toEqual(['2']);
    expect(iteratorCalls.slice(1)).toEqual([
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '1' },
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '1' },
    ]);
  });

  it('keeps its iterator when a call fails for another reason, so the retry reads the same records', async () => {
    const throttled = new TributaryError('SOURCE_THROTTLED', 'throttled', { retryable: true });
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, [page(['1'], 'n1'), throttled, page(['2'], 'n2')]);
    await shardReader.read(10, signal);
    await expect(shardReader.read(10, signal)).rejects.toMatchObject({ code: 'SOURCE_THROTTLED' });
    expect((await shardReader.read(10, signal)).records.map((r) => r.id)).toEqual(['2']);
    expect(iteratorCalls).toHaveLength(1);
    expect(recordCalls.map((c) => c.iterator)).toEqual(['it-1', 'n1', 'n1']);
  });

  it('takes a LATEST iterator when it opens and renews it AT_TIMESTAMP of that moment if nothing was read', async () => {
    let now = 10_000;
    const { shardReader, iteratorCalls } = reader({ kind: 'LATEST' }, [page([], 'n1'), expired(), page(['5'], 'n2')], () => now);
    await shardReader.prepare(signal);
    expect(iteratorCalls).toEqual([{ type: 'LATEST' }]);
    now = 400_000;
    await shardReader.read(10, signal);
    const result = await shardReader.read(10, signal);
    expect(result.records.map((r) => r.id)).toEqual(['5']);
    expect(iteratorCalls).toEqual([{ type: 'LATEST' }, { type: 'AT_TIMESTAMP', timestampMs: 10_000 }]);
  });

  it('reports shardEnd with the last records when NextShardIterator is null, then stays ended without calls', async () => {
    const { shardReader, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, [page(['1'], 'n1'), page(['2', '3'], null, 0)]);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(false);
    const last = await shardReader.read(10, signal);
    expect(last.shardEnd).toBe(true);
    expect(last.records.map((r) => r.id)).toEqual(['2', '3']);
    expect(await shardReader.read(10, signal)).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
    expect(recordCalls).toHaveLength(2);
  });

  it('refuses reads once closed', async () => {
    const { shardReader } = reader({ kind: 'TRIM_HORIZON' }, []);
    await shardReader.close();
    await shardReader.close();
    await expect(shardReader.read(10, signal)).rejects.toMatchObject({ code: 'STOPPED' });
  });
});
