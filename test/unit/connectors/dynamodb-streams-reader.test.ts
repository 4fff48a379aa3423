// The shard reader's recovery rules, against a scripted stand-in for GetShardIterator, GetRecords and
// DescribeStream (pure logic: the real service is exercised in test/integration/dynamodb-streams-source.test.ts;
// DynamoDB Local cannot be made to expire iterators, trim records or drop NextShardIterator on demand).
import { describe, expect, it } from 'vitest';
import type { SourceRecord, StartPosition } from '../../../src/connector/index.js';
import { TributaryError } from '../../../src/errors.js';
import type { IteratorPosition, RecordsPage, StreamShard } from '../../../connectors/dynamodb-streams/client.js';
import { toDynamoDbStreamsError } from '../../../connectors/dynamodb-streams/errors.js';
import type { DynamoDbStreamRecordData } from '../../../connectors/dynamodb-streams/event.js';
import { DynamoDbShardReader, MAX_RECOVERIES_PER_READ, toStreamStart } from '../../../connectors/dynamodb-streams/reader.js';

type Step = RecordsPage | Error;

const signal = new AbortController().signal;
const SHARD = 'shardId-00000001700000000000-aaaaaaaa';

/** What an AWS SDK v3 service exception looks like, mapped as client.ts maps it. */
function sdkError(name: string, message = `${name} message`, operation = 'GetRecords'): TributaryError {
  return toDynamoDbStreamsError('DynamoDB Streams', operation, Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } }));
}
const expired = (): TributaryError => sdkError('ExpiredIteratorException');
const trimmed = (operation = 'GetRecords'): TributaryError => sdkError('TrimmedDataAccessException', 'trimmed', operation);
const invalidShard = (): TributaryError => sdkError('ResourceNotFoundException', 'Invalid ShardId in ShardIterator');

function rec(sequenceNumber: string): DynamoDbStreamRecordData {
  return { eventID: `e-${sequenceNumber}`, eventName: 'INSERT', dynamodb: { Keys: { pk: { S: sequenceNumber } }, SequenceNumber: sequenceNumber } };
}

function page(sequences: string[], next: string | null): RecordsPage {
  return { records: sequences.map(rec), nextShardIterator: next };
}

const open = (): StreamShard => ({ shardId: SHARD, parentShardId: null, startingSequenceNumber: '100', endingSequenceNumber: null });
const closed = (ending: string): StreamShard => ({ ...open(), endingSequenceNumber: ending });

interface Script {
  /** GetRecords outcomes, one per call. */
  records: Step[];
  /** GetShardIterator outcomes, one per call; an exhausted list means success. */
  iterators?: (Error | null)[];
  /** What DescribeStream says about the shard now. */
  shard?: () => StreamShard | null;
}

function reader(start: StartPosition, script: Script) {
  const iteratorCalls: IteratorPosition[] = [];
  const recordCalls: { iterator: string; limit: number }[] = [];
  let describeCalls = 0;
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const api = {
    getShardIterator(_shardId: string, position: IteratorPosition): Promise<string> {
      iteratorCalls.push(position);
      const outcome = script.iterators?.shift() ?? null;
      return outcome === null ? Promise.resolve(`it-${iteratorCalls.length}`) : Promise.reject(outcome);
    },
    getRecords(iterator: string, limit: number): Promise<RecordsPage> {
      recordCalls.push({ iterator, limit });
      const step = script.records.shift();
      if (step === undefined) return Promise.reject(new Error('script exhausted'));
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
    describeShard(): Promise<StreamShard | null> {
      describeCalls++;
      return Promise.resolve((script.shard ?? open)());
    },
  };
  const toRecord = (r: DynamoDbStreamRecordData): SourceRecord => {
    const seq = r.dynamodb?.SequenceNumber ?? '';
    return { id: seq, shard: SHARD, position: seq, partitionKey: seq, arrivedAtMs: 0, receiveCount: 1, sizeBytes: 1, eventRecord: {}, filterPayload: null };
  };
  const log = { warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }) };
  const shardReader = new DynamoDbShardReader({ shardId: SHARD, start, api, toRecord, maxLimit: 1_000, log });
  return { shardReader, iteratorCalls, recordCalls, warnings, describeCalls: () => describeCalls };
}

const ids = (result: { records: readonly SourceRecord[] }): string[] => result.records.map((r) => r.id);
const after = (sequenceNumber: string): IteratorPosition => ({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber });
const HORIZON: IteratorPosition = { type: 'TRIM_HORIZON' };

describe('DynamoDbShardReader: iterators', () => {
  it('takes the iterator lazily, chains NextShardIterator, keeps order and clamps the limit to 1..1000', async () => {
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101', '102'], 'n1'), page(['103'], 'n2'), page([], 'n3')] });
    await shardReader.prepare(signal);
    expect(iteratorCalls).toEqual([]);
    expect(await shardReader.read(5_000, signal)).toEqual({ records: expect.any(Array) as unknown, shardEnd: false, millisBehindLatest: null });
    expect(ids(await shardReader.read(0, signal))).toEqual(['103']);
    await shardReader.read(10, signal);
    expect(iteratorCalls).toEqual([HORIZON]);
    expect(recordCalls).toEqual([{ iterator: 'it-1', limit: 1_000 }, { iterator: 'n1', limit: 1 }, { iterator: 'n2', limit: 10 }]);
  });

  it('resumes AFTER_SEQUENCE_NUMBER of a checkpoint, and takes a LATEST iterator when it opens', async () => {
    const fromCheckpoint = reader({ kind: 'AFTER', position: '150' }, { records: [page(['151'], 'n')] });
    expect(ids(await fromCheckpoint.shardReader.read(10, signal))).toEqual(['151']);
    expect(fromCheckpoint.iteratorCalls).toEqual([after('150')]);

    const latest = reader({ kind: 'LATEST' }, { records: [page([], 'n')] });
    await latest.shardReader.prepare(signal);
    expect(latest.iteratorCalls).toEqual([{ type: 'LATEST' }]);
    await latest.shardReader.read(10, signal);
    expect(latest.recordCalls.map((c) => c.iterator)).toEqual(['it-1']);
  });

  it('refuses AT_TIMESTAMP with CONFIG_INVALID (DynamoDB Streams has no such iterator)', () => {
    expect(() => toStreamStart({ kind: 'AT_TIMESTAMP', timestampMs: 1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error);
    expect(() => reader({ kind: 'AT_TIMESTAMP', timestampMs: 1 }, { records: [] })).toThrow(TributaryError);
  });

  it.each([
    ['ExpiredIteratorException', expired],
    ['DynamoDB Local "Invalid ShardId in ShardIterator"', invalidShard],
  ])('recovers from %s in the same read, AFTER the last record returned', async (_name, failure) => {
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101', '102'], 'n1'), failure(), page(['103'], 'n2')] });
    await shardReader.read(10, signal);
    expect(ids(await shardReader.read(10, signal))).toEqual(['103']);
    expect(iteratorCalls).toEqual([HORIZON, after('102')]);
    expect(recordCalls.map((c) => c.iterator)).toEqual(['it-1', 'n1', 'it-2']);
  });

  it.each<[StartPosition, IteratorPosition]>([
    [{ kind: 'TRIM_HORIZON' }, HORIZON],
    [{ kind: 'AFTER', position: '150' }, after('150')],
  ])('re-opens at the start %j when nothing was read yet', async (start, position) => {
    const { shardReader, iteratorCalls } = reader(start, { records: [expired(), page(['160'], 'n')] });
    expect(ids(await shardReader.read(10, signal))).toEqual(['160']);
    expect(iteratorCalls).toEqual([position, position]);
  });

  it('keeps the last sequence number across empty reads', async () => {
    const { shardReader, iteratorCalls } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['109'], 'n1'), page([], 'n2'), expired(), page([], 'n3')] });
    for (let i = 0; i < 3; i++) await shardReader.read(10, signal);
    expect(iteratorCalls.at(-1)).toEqual(after('109'));
  });

  it(`gives up after ${MAX_RECOVERIES_PER_READ} re-opens in one read (retryable) and recovers on the next read`, async () => {
    const failures = Array.from({ length: MAX_RECOVERIES_PER_READ + 1 }, expired);
    const { shardReader, iteratorCalls } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101'], 'n1'), ...failures, page(['102'], 'n2')] });
    await shardReader.read(10, signal);
    const failure = await shardReader.read(10, signal).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'SOURCE_READ_FAILED', retryable: true, recovery: 'expired-iterator' });
    expect(ids(await shardReader.read(10, signal))).toEqual(['102']);
    expect(iteratorCalls.slice(1)).toEqual(Array.from({ length: MAX_RECOVERIES_PER_READ + 1 }, () => after('101')));
  });

  it('keeps its iterator when a call fails for another reason, so the retry reads the same records', async () => {
    const throttled = sdkError('LimitExceededException');
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101'], 'n1'), throttled, page(['102'], 'n2')] });
    await shardReader.read(10, signal);
    await expect(shardReader.read(10, signal)).rejects.toMatchObject({ code: 'SOURCE_THROTTLED', retryable: true });
    expect(ids(await shardReader.read(10, signal))).toEqual(['102']);
    expect(iteratorCalls).toHaveLength(1);
    expect(recordCalls.map((c) => c.iterator)).toEqual(['it-1', 'n1', 'n1']);
  });

  it('refuses reads once closed', async () => {
    const { shardReader } = reader({ kind: 'TRIM_HORIZON' }, { records: [] });
    await shardReader.close();
    await shardReader.close();
    await expect(shardReader.read(10, signal)).rejects.toMatchObject({ code: 'STOPPED' });
  });
});

describe('DynamoDbShardReader: TrimmedDataAccessException', () => {
  it('re-opens at TRIM_HORIZON when the horizon itself moved, without a warning', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'TRIM_HORIZON' }, { records: [trimmed(), page(['120'], 'n')] });
    expect(ids(await shardReader.read(10, signal))).toEqual(['120']);
    expect(iteratorCalls).toEqual([HORIZON, HORIZON]);
    expect(warnings).toEqual([]);
  });

  it('goes to TRIM_HORIZON and warns when the checkpoint it starts after is trimmed', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'AFTER', position: '150' }, { iterators: [trimmed('GetShardIterator')], records: [page(['300'], 'n')] });
    expect(ids(await shardReader.read(10, signal))).toEqual(['300']);
    expect(iteratorCalls).toEqual([after('150'), HORIZON]);
    expect(warnings).toEqual([{ fields: { shard: SHARD, after: '150' }, message: expect.stringContaining('expired') as string }]);
  });

  it('re-opens after the last record first; only if that is trimmed too, TRIM_HORIZON with a warning', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'TRIM_HORIZON' }, {
      records: [page(['101', '102'], 'n1'), trimmed(), page(['400'], 'n2')],
      iterators: [null, trimmed('GetShardIterator')],
    });
    await shardReader.read(10, signal);
    expect(ids(await shardReader.read(10, signal))).toEqual(['400']);
    expect(iteratorCalls).toEqual([HORIZON, after('102'), HORIZON]);
    expect(warnings).toEqual([{ fields: { shard: SHARD, after: '102' }, message: expect.stringContaining('expired') as string }]);
  });

  it('does not warn when re-opening after the last record works', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101'], 'n1'), trimmed(), page(['102'], 'n2')] });
    await shardReader.read(10, signal);
    expect(ids(await shardReader.read(10, signal))).toEqual(['102']);
    expect(iteratorCalls).toEqual([HORIZON, after('101')]);
    expect(warnings).toEqual([]);
  });

  it('forgets an old trim once records flow again', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'TRIM_HORIZON' }, {
      records: [page(['101'], 'n1'), trimmed(), page(['102'], 'n2'), trimmed(), page(['103'], 'n3')],
    });
    for (let i = 0; i < 3; i++) await shardReader.read(10, signal);
    expect(iteratorCalls).toEqual([HORIZON, after('101'), after('102')]);
    expect(warnings).toEqual([]);
  });

  it('re-opens a trimmed LATEST iterator (a DynamoDB Local quirk on fresh tables) at TRIM_HORIZON, with a warning', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'LATEST' }, { records: [trimmed(), page(['500'], 'n')] });
    await shardReader.prepare(signal);
    expect(ids(await shardReader.read(10, signal))).toEqual(['500']);
    expect(iteratorCalls).toEqual([{ type: 'LATEST' }, HORIZON]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('TRIM_HORIZON');
  });
});

describe('DynamoDbShardReader: missing NextShardIterator', () => {
  it('does not end an open shard: it re-opens after the last record and keeps reading (DynamoDB Local quirk)', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'TRIM_HORIZON' }, {
      records: [page(['101'], null), page([], null), page(['102'], 'n1'), page([], null), page(['103'], 'n2')],
      shard: open,
    });
    expect(await shardReader.read(10, signal)).toMatchObject({ shardEnd: false });
    expect(await shardReader.read(10, signal)).toEqual({ records: [], shardEnd: false, millisBehindLatest: null });
    expect(ids(await shardReader.read(10, signal))).toEqual(['102']);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(false);
    expect(ids(await shardReader.read(10, signal))).toEqual(['103']);
    expect(iteratorCalls).toEqual([HORIZON, after('101'), after('101'), after('102')]);
    expect(warnings).toHaveLength(1);
  });

  it('hands out the last records of a closed shard, confirms the end with a fresh iterator, then stays ended', async () => {
    const { shardReader, iteratorCalls, recordCalls, describeCalls } = reader({ kind: 'TRIM_HORIZON' }, {
      records: [page(['101'], 'n1'), page(['102', '103'], null), page([], null)],
      shard: () => closed('999'),
    });
    await shardReader.read(10, signal);
    const last = await shardReader.read(10, signal);
    expect(last).toMatchObject({ shardEnd: false });
    expect(ids(last)).toEqual(['102', '103']);
    expect(await shardReader.read(10, signal)).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
    expect(iteratorCalls).toEqual([HORIZON, after('103')]);
    expect(describeCalls()).toBe(1);
    expect(await shardReader.read(10, signal)).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
    expect(recordCalls).toHaveLength(3);
  });

  it('ends a closed shard at once when the last record returned is its ending sequence number', async () => {
    const { shardReader, iteratorCalls } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101', '105'], 'n1'), page([], null)], shard: () => closed('105') });
    await shardReader.read(10, signal);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(true);
    expect(iteratorCalls).toEqual([HORIZON]);
  });

  it('ends a closed shard whose checkpoint is at its end without re-reading it', async () => {
    const { shardReader, iteratorCalls, recordCalls } = reader({ kind: 'AFTER', position: '105' }, { records: [page([], 'n1'), page([], null)], shard: () => closed('105') });
    await shardReader.read(10, signal);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(true);
    expect(iteratorCalls).toEqual([after('105')]);
    expect(recordCalls).toHaveLength(2);
  });

  it('does not end a closed shard before every record was returned: it re-opens and reads on', async () => {
    const { shardReader, iteratorCalls } = reader({ kind: 'TRIM_HORIZON' }, {
      records: [page(['101'], 'n1'), page([], null), page(['102'], null), page([], null)],
      shard: () => closed('102'),
    });
    await shardReader.read(10, signal);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(false);
    expect(ids(await shardReader.read(10, signal))).toEqual(['102']);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(true);
    expect(iteratorCalls).toEqual([HORIZON, after('101'), after('102')]);
  });

  it('ends a closed shard read from LATEST that never had a record, without replaying it from TRIM_HORIZON', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'LATEST' }, { records: [page([], 'n1'), page([], null)], shard: () => closed('999') });
    await shardReader.prepare(signal);
    await shardReader.read(10, signal);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(true);
    expect(iteratorCalls).toEqual([{ type: 'LATEST' }]);
    expect(warnings).toEqual([]);
  });

  it('re-opens an open shard read from LATEST that never had a record at TRIM_HORIZON, so nothing is skipped', async () => {
    const { shardReader, iteratorCalls, warnings } = reader({ kind: 'LATEST' }, { records: [page([], null), page(['700'], 'n')], shard: open });
    await shardReader.prepare(signal);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(false);
    expect(ids(await shardReader.read(10, signal))).toEqual(['700']);
    expect(iteratorCalls).toEqual([{ type: 'LATEST' }, HORIZON]);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('no NextShardIterator'), expect.stringContaining('LATEST')]);
  });

  it('ends a shard the stream no longer lists, with a warning', async () => {
    const { shardReader, warnings } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101'], 'n1'), page([], null)], shard: () => null });
    await shardReader.read(10, signal);
    expect((await shardReader.read(10, signal)).shardEnd).toBe(true);
    expect(warnings).toEqual([{ fields: { shard: SHARD, after: '101' }, message: expect.stringContaining('no longer listed') as string }]);
  });
});

describe('DynamoDbShardReader: shard that no longer exists', () => {
  const gone = (): TributaryError => sdkError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist', 'GetShardIterator');

  it('ends the shard with a warning when GetShardIterator says it does not exist and DescribeStream agrees', async () => {
    const { shardReader, warnings } = reader({ kind: 'TRIM_HORIZON' }, { records: [page(['101'], 'n1'), expired()], iterators: [null, gone()], shard: () => null });
    await shardReader.read(10, signal);
    expect(await shardReader.read(10, signal)).toEqual({ records: [], shardEnd: true, millisBehindLatest: null });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toEqual({ shard: SHARD, after: '101' });
  });

  it('reports SOURCE_NOT_FOUND when DescribeStream still lists the shard', async () => {
    const { shardReader } = reader({ kind: 'TRIM_HORIZON' }, { records: [], iterators: [gone()], shard: open });
    await expect(shardReader.read(10, signal)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });
});
