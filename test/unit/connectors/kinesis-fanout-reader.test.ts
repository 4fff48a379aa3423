// The enhanced fan-out shard reader's logic (connectors/kinesis/fanout-reader.ts) against scripted subscriptions:
// buffering and backpressure, renewal and reconnection positions, AWS's subscribe pacing, reporting a failure once,
// the two ways a shard ends, and starts inside a KPL aggregate. Pure logic: the real SubscribeToShard over HTTP/2 is
// exercised against kinesis-local in test/integration/kinesis-fanout.test.ts.
import { describe, expect, it } from 'vitest';
import type { SourceRecord, StartPosition } from '../../../src/connector/index.js';
import { TributaryError } from '../../../src/errors.js';
import type { IteratorPosition } from '../../../connectors/kinesis/client.js';
import type { KinesisRecordData } from '../../../connectors/kinesis/event.js';
import type { ChildShardInfo, FanOutEvent, FanOutSubscription } from '../../../connectors/kinesis/fanout-api.js';
import { FanOutShardReader, type FanOutShardReaderOptions } from '../../../connectors/kinesis/fanout-reader.js';
import { userRecordPosition } from '../../../connectors/kinesis/position.js';
import { toSourceRecords } from '../../../connectors/kinesis/user-records.js';
import { aggregateWithKpl } from '../../support/kpl-aggregator.js';

const context = { shardId: 'shardId-0', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', region: 'us-east-1', invokeIdentityArn: 'arn:aws:iam::123456789012:role/r' };
const signal = new AbortController().signal;
const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

const rec = (sequenceNumber: string, data = `d${sequenceNumber}`): KinesisRecordData => ({ sequenceNumber, partitionKey: 'pk', data: Buffer.from(data), approximateArrivalTimestampMs: 1 });
const event = (sequences: string[], continuation: string | null, millisBehindLatest = 0, childShards: ChildShardInfo[] = []): FanOutEvent => ({
  records: sequences.map((s) => rec(s)),
  continuationSequenceNumber: continuation,
  millisBehindLatest,
  childShards,
});

/** A subscription the test feeds by hand; counts how many events the reader pulled. */
class LiveSubscription implements FanOutSubscription {
  pulled = 0;
  readonly #queue: (FanOutEvent | Error | 'end')[] = [];
  #waiting: (() => void) | null = null;

  push(item: FanOutEvent | Error | 'end'): void {
    this.#queue.push(item);
    this.#waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FanOutEvent> {
    for (;;) {
      while (this.#queue.length === 0) await new Promise<void>((resolve) => (this.#waiting = resolve));
      const item = this.#queue.shift() as FanOutEvent | Error | 'end';
      if (item === 'end') return;
      if (item instanceof Error) throw item;
      this.pulled += 1;
      yield item;
    }
  }
}

type Script = (FanOutSubscription | Error)[];

function reader(start: StartPosition, script: Script, overrides: Partial<FanOutShardReaderOptions> = {}) {
  const subscribed: IteratorPosition[] = [];
  const sleeps: number[] = [];
  let clock = 10_000;
  const shardReader = new FanOutShardReader({
    shardId: 'shardId-0',
    start,
    subscribe: (position) => {
      subscribed.push(position);
      const next = script.shift();
      if (next === undefined) return new Promise(() => undefined); // no more subscriptions in the script: hang
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    toRecords: (record) => toSourceRecords(record, context, () => 0),
    now: () => clock,
    random: () => 0.5,
    shardClosed: () => false,
    confirmEnd: () => Promise.resolve(false),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
  return { shardReader, subscribed, sleeps, tick: (ms: number) => (clock += ms) };
}

const ids = (records: readonly SourceRecord[]): string[] => records.map((r) => r.id);
const inUse = (): TributaryError => new TributaryError('SOURCE_THROTTLED', 'in use', { retryable: true, cause: Object.assign(new Error('busy'), { name: 'ResourceInUseException' }) });

describe('FanOutShardReader', () => {
  it('hands out pushed records in order, at most maxRecords a read, with the events\' MillisBehindLatest', async () => {
    const live = new LiveSubscription();
    const { shardReader, subscribed } = reader({ kind: 'TRIM_HORIZON' }, [live]);
    await shardReader.prepare(signal);
    live.push(event(['1', '2', '3'], '3', 700));
    live.push(event(['4'], '4', 0));
    await flush();
    const first = await shardReader.read(2, signal, 0);
    expect([ids(first.records), first.millisBehindLatest, first.shardEnd]).toEqual([['1', '2'], 700, false]);
    const second = await shardReader.read(10, signal, 0);
    expect([ids(second.records), second.millisBehindLatest]).toEqual([['3', '4'], 0]);
    expect(subscribed).toEqual([{ type: 'TRIM_HORIZON' }]);
    await shardReader.close();
  });

  it('wakes a waiting read as soon as a push arrives', async () => {
    const live = new LiveSubscription();
    const { shardReader } = reader({ kind: 'LATEST' }, [live]);
    await shardReader.prepare(signal);
    const reading = shardReader.read(10, signal, 600_000);
    await flush();
    live.push(event(['9'], '9'));
    expect(ids((await reading).records)).toEqual(['9']);
    await shardReader.close();
  });

  it('stops pulling events while its buffer is full (backpressure), and pulls on once records are handed out', async () => {
    const live = new LiveSubscription();
    const { shardReader } = reader({ kind: 'TRIM_HORIZON' }, [live], { bufferRecords: 2 });
    await shardReader.prepare(signal);
    for (let i = 1; i <= 6; i++) live.push(event([String(i)], String(i)));
    await flush();
    expect(live.pulled).toBe(2);
    expect(ids((await shardReader.read(1, signal, 0)).records)).toEqual(['1']);
    await flush();
    expect(live.pulled).toBe(3);
    expect(ids((await shardReader.read(10, signal, 0)).records)).toEqual(['2', '3']);
    await shardReader.close();
  });

  it('renews an ended subscription AFTER the last continuation, no sooner than one call per second', async () => {
    const first = new LiveSubscription();
    const second = new LiveSubscription();
    const { shardReader, subscribed, sleeps } = reader({ kind: 'TRIM_HORIZON' }, [first, second]);
    await shardReader.prepare(signal);
    first.push(event(['1'], '1'));
    first.push(event([], '5')); // progress without records: resume after it
    first.push('end');
    await flush();
    second.push(event(['6'], '6'));
    await flush();
    expect(ids((await shardReader.read(10, signal, 0)).records)).toEqual(['1', '6']);
    expect(subscribed).toEqual([{ type: 'TRIM_HORIZON' }, { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '5' }]);
    // The clock did not move: the renewal waits out AWS's one SubscribeToShard per second per consumer and shard.
    expect(sleeps).toEqual([0, 1_000]);
    await shardReader.close();
  });

  it('after a failed connection keeps what it buffered, reports the failure once, and resubscribes 5 s after the last success', async () => {
    const first = new LiveSubscription();
    const second = new LiveSubscription();
    const { shardReader, subscribed, sleeps } = reader({ kind: 'TRIM_HORIZON' }, [first, inUse(), second]);
    await shardReader.prepare(signal);
    first.push(event(['1', '2'], '2'));
    first.push(new TributaryError('SOURCE_UNAVAILABLE', 'connection reset', { retryable: true }));
    await flush();
    expect(ids((await shardReader.read(10, signal, 0)).records)).toEqual(['1', '2']);
    await expect(shardReader.read(10, signal, 0)).rejects.toMatchObject({ code: 'SOURCE_THROTTLED' });
    second.push(event(['3'], '3'));
    await flush();
    expect(ids((await shardReader.read(10, signal, 0)).records)).toEqual(['3']);
    expect(subscribed.slice(1)).toEqual([
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' },
      { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '2' },
    ]);
    // Within 5 s of a successful call a new one is refused (ResourceInUseException): both retries wait it out.
    expect(sleeps).toEqual([0, 5_000, 5_000]);
    await shardReader.close();
  });

  it('ends the shard with the event whose continuation is null, after the buffer is drained, and announces the children', async () => {
    const live = new LiveSubscription();
    const announced: ChildShardInfo[][] = [];
    const children = [{ shardId: 'shardId-1', parentShardIds: ['shardId-0'] }, { shardId: 'shardId-2', parentShardIds: ['shardId-0'] }];
    const { shardReader, subscribed } = reader({ kind: 'TRIM_HORIZON' }, [live], { onChildShards: (c) => announced.push([...c]) });
    await shardReader.prepare(signal);
    live.push(event(['1'], '1'));
    live.push(event(['2'], null, 0, children));
    await flush();
    const first = await shardReader.read(1, signal, 0);
    expect([ids(first.records), first.shardEnd]).toEqual([['1'], false]);
    const last = await shardReader.read(1, signal, 0);
    expect([ids(last.records), last.shardEnd]).toEqual([['2'], true]);
    expect((await shardReader.read(1, signal, 60_000)).shardEnd).toBe(true);
    expect(announced).toEqual([children]);
    expect(subscribed).toHaveLength(1);
    await shardReader.close();
  });

  it('ends a closed shard that an emulator never finishes once GetRecords confirms nothing is left', async () => {
    const live = new LiveSubscription();
    const checks: IteratorPosition[] = [];
    const { shardReader, tick } = reader({ kind: 'TRIM_HORIZON' }, [live], {
      shardClosed: () => true,
      confirmEnd: (position) => {
        checks.push(position);
        return Promise.resolve(checks.length > 1);
      },
    });
    await shardReader.prepare(signal);
    live.push(event(['1'], '1'));
    live.push(event([], '1', 0)); // caught up, shard closed: check → something left
    live.push(event([], '1', 0)); // checked less than 5 s ago: no second check yet
    await flush();
    expect(checks).toEqual([{ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '1' }]);
    const first = await shardReader.read(10, signal, 0);
    expect([ids(first.records), first.shardEnd]).toEqual([['1'], false]);
    tick(5_000);
    live.push(event([], '1', 0)); // now GetRecords says the closed shard is drained
    await flush();
    expect(checks).toHaveLength(2);
    expect((await shardReader.read(10, signal, 60_000)).shardEnd).toBe(true);
    await shardReader.close();
  });

  it('after LATEST, reconnects AT_TIMESTAMP of its first subscription when nothing came yet', async () => {
    const first = new LiveSubscription();
    const second = new LiveSubscription();
    const { shardReader, subscribed, tick } = reader({ kind: 'LATEST' }, [first, second]);
    await shardReader.prepare(signal);
    await flush();
    tick(30_000);
    first.push(new TributaryError('SOURCE_UNAVAILABLE', 'connection reset', { retryable: true }));
    await flush();
    // A new LATEST would skip what was put since the first subscription.
    expect(subscribed).toEqual([{ type: 'LATEST' }, { type: 'AT_TIMESTAMP', timestampMs: 10_000 }]);
    await shardReader.close();
  });

  it('starts AT an aggregate a checkpoint is inside and skips its settled user records', async () => {
    const live = new LiveSubscription();
    const start: StartPosition = { kind: 'AFTER', position: userRecordPosition('100', 1, false) };
    const { shardReader, subscribed } = reader(start, [live]);
    await shardReader.prepare(signal);
    const data = aggregateWithKpl(['a', 'b', 'c'].map((d) => ({ partitionKey: d, data: Buffer.from(d) })));
    live.push({ records: [{ sequenceNumber: '100', partitionKey: 'a', data, approximateArrivalTimestampMs: 1 }], continuationSequenceNumber: '100', millisBehindLatest: 0, childShards: [] });
    await flush();
    const result = await shardReader.read(10, signal, 0);
    expect(result.records.map((r) => Buffer.from(r.filterPayload as Uint8Array).toString())).toEqual(['c']);
    expect(subscribed).toEqual([{ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '100' }]);
    await shardReader.close();
  });

  it('refuses reads once closed and stops subscribing', async () => {
    const { shardReader } = reader({ kind: 'TRIM_HORIZON' }, [new LiveSubscription()]);
    await shardReader.prepare(signal);
    await shardReader.close();
    await expect(shardReader.read(10, signal, 0)).rejects.toMatchObject({ code: 'STOPPED' });
  });
});
