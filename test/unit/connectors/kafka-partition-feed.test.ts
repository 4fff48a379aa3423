// The Kafka partition feed (the bounded buffer between kafkajs's fetch loop and the core's lane) and the retry state
// it keeps in commit metadata. Pure: a scripted host stands in for the consumer.
import { describe, expect, it } from 'vitest';
import { decodeCommitMetadata, encodeCommitMetadata } from '../../../connectors/kafka/commit-metadata.js';
import { toSourceRecord, type KafkaRecordData } from '../../../connectors/kafka/event.js';
import { PartitionFeed, type FeedHost } from '../../../connectors/kafka/partition-feed.js';
import type { PersistOutcome } from '../../../src/connector/types.js';

const data = (offset: number, value = `m${offset}`): KafkaRecordData => ({
  topic: 'orders',
  partition: 0,
  offset: String(offset),
  timestampMs: 1_000 + offset,
  timestampType: 'CREATE_TIME',
  key: null,
  value: Buffer.from(value),
  headers: [],
});
const range = (from: number, count: number): KafkaRecordData[] => Array.from({ length: count }, (_, i) => data(from + i));

function host(overrides: Partial<FeedHost> = {}) {
  const calls: string[] = [];
  const commits: { offset: string; metadata: string | null }[] = [];
  const base: FeedHost = {
    toRecord: toSourceRecord,
    budget: { records: 10, bytes: 1_000_000 },
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    seek: (offset) => calls.push(`seek ${offset}`),
    commit: async (offset, metadata): Promise<PersistOutcome> => {
      commits.push({ offset, metadata });
      return 'ok';
    },
    committed: async () => ({ partition: 0, offset: '5', metadata: JSON.stringify({ tributaryAttempt: 3 }) }),
    finished: () => calls.push('finished'),
  };
  return { host: { ...base, ...overrides }, calls, commits };
}

const read = (feed: PartitionFeed, max = 100, waitMs = 0) =>
  feed.assigned.open(null).read({ maxRecords: max, waitMs, signal: new AbortController().signal });

describe('PartitionFeed', () => {
  it('buffers what is fetched, lets the fetch move on, pauses past the budget and resumes when half is drained', async () => {
    const { host: h, calls } = host();
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, h);
    expect(feed.offer(range(0, 6), '20')).toBe('5');
    expect(calls).toEqual([]);
    expect(feed.offer(range(6, 6))).toBe('11');
    expect(calls).toEqual(['pause']);
    const reader = feed.assigned.open(null);
    const first = await reader.read({ maxRecords: 4, waitMs: 0, signal: new AbortController().signal });
    expect(first.records.map((r) => r.position)).toEqual(['0', '1', '2', '3']);
    expect(first.highWatermark).toBe('20');
    expect(calls).toEqual(['pause']);
    await reader.read({ maxRecords: 4, waitMs: 0, signal: new AbortController().signal });
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('an asynchronous toRecord that fails (a registry that does not answer) leaves the records for the next read', async () => {
    let fail = true;
    const { host: h } = host({
      toRecord: async (record) => {
        if (fail) throw new Error('schema registry unreachable');
        return toSourceRecord(record);
      },
    });
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, h);
    feed.offer(range(0, 3), '3');
    const reader = feed.assigned.open(null);
    const signal = new AbortController().signal;
    await expect(reader.read({ maxRecords: 2, waitMs: 0, signal })).rejects.toThrow('schema registry unreachable');
    fail = false;
    expect((await reader.read({ maxRecords: 2, waitMs: 0, signal })).records.map((r) => r.position)).toEqual(['0', '1']);
    expect((await reader.read({ maxRecords: 2, waitMs: 0, signal })).records.map((r) => r.position)).toEqual(['2']);
  });

  it('ignores records it already holds (an overlapping refetch)', async () => {
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, host().host);
    feed.offer(range(0, 3));
    expect(feed.offer(range(1, 4))).toBe('4');
    expect((await read(feed)).records.map((r) => r.position)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('waits for records up to waitMs, and wakes as soon as some arrive', async () => {
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, host().host);
    const pending = read(feed, 10, 60_000);
    feed.offer(range(0, 2));
    expect((await pending).records.map((r) => r.position)).toEqual(['0', '1']);
  });

  it('reports caught up once the buffer is drained to the high watermark', async () => {
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, host().host);
    feed.offer(range(0, 3), '3');
    const result = await read(feed);
    expect(result.caughtUp).toBe(true);
  });

  it('restores the committed offset as checkpoint and the retry count as a mark at that offset', async () => {
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, host().host);
    const progress = await feed.assigned.restore(new AbortController().signal);
    expect(progress).toEqual({ checkpoint: '4', retries: [{ position: '5', retries: 3 }] });
  });

  it('commits the offset after the checkpoint with the retry marks; with nothing settled only the metadata moves', async () => {
    const { host: h, commits } = host();
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, h);
    await feed.assigned.restore(new AbortController().signal);
    expect(await feed.assigned.persist({ checkpoint: null, retries: [{ position: '5', retries: 4 }] })).toBe('ok');
    expect(await feed.assigned.persist({ checkpoint: '9', retries: [] })).toBe('ok');
    expect(commits).toEqual([
      { offset: '5', metadata: '{"tributaryAttempt":4}' },
      { offset: '10', metadata: null },
    ]);
  });

  it('once revoked, commits nothing and wakes a waiting reader', async () => {
    const { host: h, commits } = host();
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, h);
    const pending = read(feed, 10, 60_000);
    feed.revoke();
    expect((await pending).records).toEqual([]);
    expect(feed.assigned.signal.aborted).toBe(true);
    expect(await feed.assigned.persist({ checkpoint: '3', retries: [] })).toBe('lost');
    expect(commits).toEqual([]);
  });

  it('a lost generation on commit revokes the feed', async () => {
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, host({ commit: async () => 'lost' }).host);
    expect(await feed.assigned.persist({ checkpoint: '3', retries: [] })).toBe('lost');
    expect(feed.revoked).toBe(true);
  });

  it('re-opened after a lane restart, drops what was read ahead and seeks back to right after the checkpoint', async () => {
    const { host: h, calls } = host();
    const feed = new PartitionFeed('orders', 0, 'orders-0', 1, h);
    feed.offer(range(0, 12));
    await read(feed, 3);
    const reader = feed.assigned.open('2');
    expect(calls.slice(-2)).toEqual(['seek 3', 'resume']);
    feed.offer(range(3, 2));
    expect((await reader.read({ maxRecords: 10, waitMs: 0, signal: new AbortController().signal })).records.map((r) => r.position)).toEqual(['3', '4']);
  });
});

describe('retry state in commit metadata', () => {
  it('writes the count of the record at the committed offset in the layout older versions read', () => {
    expect(encodeCommitMetadata([{ position: '7', retries: 2 }], '7')).toBe('{"tributaryAttempt":2}');
    expect(encodeCommitMetadata([{ position: null, retries: 2 }], '7')).toBe('{"tributaryAttempt":2}');
    expect(decodeCommitMetadata('{"tributaryAttempt":2}', '7')).toEqual([{ position: '7', retries: 2 }]);
  });

  it('keeps marks by position otherwise, and nothing when there is nothing to keep', () => {
    const encoded = encodeCommitMetadata([{ position: '9', retries: 1 }, { position: '12', retries: 3 }], '7');
    expect(decodeCommitMetadata(encoded, '7')).toEqual([{ position: '9', retries: 1 }, { position: '12', retries: 3 }]);
    expect(encodeCommitMetadata([], '7')).toBeNull();
    expect(encodeCommitMetadata([{ position: '7', retries: 0 }], '7')).toBeNull();
  });

  it("keeps each segment's last offset, so a restart gives the count to that segment only", () => {
    expect(encodeCommitMetadata([{ position: '7', retries: 2, through: '7' }], '7')).toBe('{"tributaryAttempt":2,"tributaryThrough":"7"}');
    expect(decodeCommitMetadata('{"tributaryAttempt":2,"tributaryThrough":"7"}', '7')).toEqual([{ position: '7', retries: 2, through: '7' }]);
    const marks = [{ position: '9', retries: 1, through: '11' }, { position: '12', retries: 3 }];
    expect(decodeCommitMetadata(encodeCommitMetadata(marks, '7'), '7')).toEqual(marks);
    expect(decodeCommitMetadata('{"tributaryAttempt":2,"tributaryThrough":"x"}', '7')).toEqual([{ position: '7', retries: 2 }]);
  });

  it('reads anything else as no retries', () => {
    for (const metadata of [null, '', 'not json', '{}', '{"tributaryAttempt":-1}', '{"tributaryAttempt":1.5}', '{"tributaryRetries":[["x",1]]}', '[]']) {
      expect(decodeCommitMetadata(metadata, '3')).toEqual([]);
    }
  });
});
