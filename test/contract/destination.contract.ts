// The suite every on-failure destination must pass (DESIGN §3.4, §6 "contract"): `deliver` stores exactly AWS's
// on-failure record JSON (built here by the real record builders), a `kafka://` topic with each record's original
// key; deliveries keep their order as far as the target orders anything; an aborted or unserialisable delivery writes
// nothing; after `close()` (which waits for accepted deliveries) a delivery is refused for good; and a destination that
// cannot reach its target rejects with a retryable DESTINATION_FAILED and accepts again once the target is back.
//
// Call it from a spec with a factory that makes a FRESH target (file, queue, topic) and a destination on it for each
// test, plus the means to read the target back and to cut it off and restore it.

import { afterEach, describe, expect, it } from 'vitest';
import { kafkaFailureBuilder, streamFailureBuilder } from '../../src/connector/failure-records.js';
import type { SourceRecord } from '../../src/connector/types.js';
import { recordKeyOf } from '../../src/destination/record-key.js';
import type { DestinationKind, OnFailureDestination } from '../../src/destination/types.js';
import { TributaryError } from '../../src/errors.js';
import { rejection } from '../support/rejection.ts';

/** One stored record as the target holds it. */
export interface StoredRecord {
  /** The bytes stored (a line, a message body, a message value), as text. */
  readonly json: string;
  /** The Kafka message key; null when the target has no keys or the record had none. */
  readonly key: string | null;
}

export interface DestinationTarget {
  readonly destination: OnFailureDestination;
  /** Waits until the target holds at least `count` records (or fails), and returns everything it holds, in its order. */
  read(count: number): Promise<readonly StoredRecord[]>;
  /** Makes the target unreachable (folder replaced by a file, queue or topic deleted). */
  cut(): Promise<void>;
  /** Makes it reachable again, empty. */
  restore(): Promise<void>;
  /** Removes the target; called after each test. */
  dispose(): Promise<void>;
}

export interface DestinationTraits {
  readonly kind: DestinationKind;
  /** Whether the target keeps a record's Kafka key (`withRecordKey`), or stores the JSON only. */
  readonly keys: 'kept' | 'ignored';
  /**
   * What order the target keeps: `total` (one file, in call order even for concurrent deliveries), `per-key` (a
   * Kafka topic: one partition per key), `none` (an SQS standard queue: best-effort ordering, as on AWS).
   */
  readonly order: 'total' | 'per-key' | 'none';
}

export type DestinationFactory = (label: string) => Promise<DestinationTarget>;

const signal = (): AbortSignal => AbortSignal.timeout(60_000);
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:orders';
const KEYS = ['key-a', 'key-b', null] as const;

let sequence = 0;

/** A Kafka record as the connector makes it (key and value base64 in the event record). */
function kafkaRecord(offset: number, key: string | null): SourceRecord {
  const eventRecord = {
    topic: 'orders',
    partition: 0,
    offset,
    timestamp: 1_714_564_800_000 + offset,
    timestampType: 'CREATE_TIME',
    ...(key === null ? {} : { key: Buffer.from(key).toString('base64') }),
    value: Buffer.from(JSON.stringify({ order: offset, note: 'ünïcode ✓' })).toString('base64'),
    headers: [],
  };
  return { id: `orders-0:${offset}`, shard: 'orders-0', position: String(offset), partitionKey: key, arrivedAtMs: eventRecord.timestamp, receiveCount: 1, sizeBytes: 120, eventRecord, filterPayload: null };
}

/**
 * `count` real on-failure records: Kafka's per-record form for a `kafka://` topic (with the original key, `key-a`,
 * `key-b` or none in turn) and, every fourth, a Kinesis batch record (no key). Each is unique (requestId).
 */
export function onFailureRecords(count: number, label: string): { records: object[]; keys: (string | null)[] } {
  const kafka = kafkaFailureBuilder({
    eventSourceArn: null,
    bootstrapServers: '127.0.0.1:9092',
    perRecord: true,
    toEvent: (records) => ({ eventSource: 'SelfManagedKafka', records: { 'orders-0': records.map((r) => r.eventRecord) } }),
  });
  const kinesis = streamFailureBuilder('kinesis', () => 'arn:aws:kinesis:us-east-1:000000000000:stream/orders');
  const records: object[] = [];
  for (let i = 0; i < count; i++) {
    sequence += 1;
    const facts = {
      condition: 'RetryAttemptsExhausted' as const,
      approximateInvokeCount: 3,
      response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' as const },
      requestId: `${label}-${sequence}`,
      functionArn: FUNCTION_ARN,
      timestamp: new Date(1_714_564_800_000 + sequence).toISOString(),
    };
    const built =
      i % 4 === 3
        ? kinesis({ ...facts, shard: 'shardId-000000000000', records: [{ ...kafkaRecord(sequence, null), position: `4959${sequence}`, shard: 'shardId-000000000000' }] })
        : kafka({ ...facts, shard: 'orders-0', records: [kafkaRecord(sequence, KEYS[i % 3] ?? null)] });
    records.push(...built);
  }
  return { records, keys: records.map((r) => keyText(r)) };
}

function keyText(record: object): string | null {
  const key = recordKeyOf(record);
  return key === null ? null : key.toString();
}

/** The TributaryError a delivery is refused with. */
async function refusal(promise: Promise<unknown>): Promise<TributaryError> {
  const error = await rejection(promise);
  expect(error, 'the delivery was expected to be refused with a TributaryError').toBeInstanceOf(TributaryError);
  return error as TributaryError;
}

/** The stored records, compared with the delivered ones: exact JSON, and the key where the target keeps it. */
function expectStored(stored: readonly StoredRecord[], records: readonly object[], traits: DestinationTraits): void {
  const expected = records.map((r) => ({ json: JSON.stringify(r), key: traits.keys === 'kept' ? keyText(r) : null }));
  expect([...stored].sort(byJson)).toEqual([...expected].sort(byJson));
}

const byJson = (a: StoredRecord, b: StoredRecord): number => (a.json < b.json ? -1 : a.json > b.json ? 1 : 0);

export function describeDestinationContract(name: string, traits: DestinationTraits, create: DestinationFactory): void {
  describe(`OnFailureDestination contract: ${name}`, () => {
    const targets: DestinationTarget[] = [];
    let n = 0;
    const fresh = async (): Promise<DestinationTarget> => {
      const target = await create(`t${(n += 1)}`);
      targets.push(target);
      return target;
    };
    afterEach(async () => {
      for (const target of targets.splice(0)) {
        await target.destination.close();
        await target.dispose();
      }
    });

    it('stores exactly AWS’s record JSON, one stored record per record (with its key where the target keeps keys)', async () => {
      const target = await fresh();
      expect(target.destination.kind).toBe(traits.kind);
      const { records } = onFailureRecords(9, 'exact');
      await target.destination.deliver(records, signal());
      const stored = await target.read(records.length);
      expect(stored).toHaveLength(records.length);
      expectStored(stored, records, traits);
      for (const s of stored) expect(() => JSON.parse(s.json) as unknown).not.toThrow();
      // The symbol-keyed Kafka key never leaks into the JSON.
      for (const s of stored) expect(s.json).not.toContain('tributary.destination.recordKey');
    });

    it(`keeps the order of deliveries (${traits.order})`, async () => {
      const target = await fresh();
      const rounds = [onFailureRecords(4, 'order-1'), onFailureRecords(4, 'order-2'), onFailureRecords(4, 'order-3')];
      for (const round of rounds) await target.destination.deliver(round.records, signal());
      const sequential = rounds.flatMap((r) => r.records);
      const concurrent = [onFailureRecords(3, 'order-c1'), onFailureRecords(3, 'order-c2'), onFailureRecords(3, 'order-c3')];
      await Promise.all(concurrent.map((round) => target.destination.deliver(round.records, signal())));
      const all = [...sequential, ...concurrent.flatMap((r) => r.records)];
      const stored = await target.read(all.length);
      expectStored(stored, all, traits);
      const jsons = stored.map((s) => s.json);
      switch (traits.order) {
        case 'total':
          // Sequential deliveries in call order; concurrent ones one after the other, in call order too.
          expect(jsons).toEqual(all.map((r) => JSON.stringify(r)));
          break;
        case 'per-key':
          // Within one key (one partition), sequential deliveries keep their order.
          for (const key of KEYS.filter((k) => k !== null)) {
            const ofKey = sequential.filter((r) => keyText(r) === key).map((r) => JSON.stringify(r));
            expect(jsons.filter((json) => ofKey.includes(json))).toEqual(ofKey);
          }
          break;
        case 'none':
          break;
      }
    });

    it('an empty delivery resolves and stores nothing; an aborted one is a retryable DESTINATION_FAILED that stores nothing', async () => {
      const target = await fresh();
      await target.destination.deliver([], signal());
      const aborted = await refusal(target.destination.deliver(onFailureRecords(3, 'aborted').records, AbortSignal.abort()));
      expect(aborted).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
      const { records } = onFailureRecords(2, 'after-abort');
      await target.destination.deliver(records, signal());
      const stored = await target.read(records.length);
      expectStored(stored, records, traits);
    });

    it('a record that is not JSON is refused for good (not retryable), and nothing of that delivery is stored', async () => {
      const target = await fresh();
      const { records } = onFailureRecords(3, 'unserialisable');
      const refused = await refusal(target.destination.deliver([...records, { n: 10n }], signal()));
      expect(refused).toMatchObject({ code: 'DESTINATION_FAILED', retryable: false });
      expect(refused.message).toContain(target.destination.target);
      const after = onFailureRecords(1, 'after-unserialisable').records;
      await target.destination.deliver(after, signal());
      expectStored(await target.read(1), after, traits);
    });

    it('close() waits for an accepted delivery, then every delivery is refused for good; close is idempotent', async () => {
      const target = await fresh();
      const { records } = onFailureRecords(5, 'close');
      const accepted = target.destination.deliver(records, signal());
      const closed = target.destination.close();
      await accepted;
      await closed;
      expectStored(await target.read(records.length), records, traits);
      const refused = await refusal(target.destination.deliver(onFailureRecords(1, 'closed').records, signal()));
      expect(refused).toMatchObject({ code: 'DESTINATION_FAILED', retryable: false });
      await target.destination.close();
    });

    it('a target it cannot reach is a retryable DESTINATION_FAILED naming the target; it accepts again once the target is back', async () => {
      const target = await fresh();
      const before = onFailureRecords(2, 'before-cut').records;
      await target.destination.deliver(before, signal());
      expectStored(await target.read(before.length), before, traits);

      await target.cut();
      const failed = await refusal(target.destination.deliver(onFailureRecords(2, 'while-cut').records, signal()));
      expect(failed).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
      expect(failed.message).toContain(target.destination.target);

      await target.restore();
      const after = onFailureRecords(3, 'after-restore').records;
      await target.destination.deliver(after, signal());
      // The restored target is a new, empty one: it holds exactly what was delivered since.
      expectStored(await target.read(after.length), after, traits);
    });
  });
}
