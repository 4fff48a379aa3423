// What a StreamSource implementation hands the stream-source contract suites (stream-source.contract.ts, read
// directly; stream-source-engine.contract.ts, through the real engine): a fresh stream on the real service, the
// means to write to it and to close its shards, and what the source must report about it. The suites never talk to
// the service themselves.

import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { ShardReader, SourceRecord, StreamSource } from '../../src/connector/types.js';

/** One write: one record on the stream, for `key` (a partition key, an item key). */
export interface StreamWrite {
  readonly key: string;
  readonly value: string;
}

/** What a record's Lambda event record says, decoded. */
export interface DecodedRecord extends StreamWrite {
  /** What a handler names in `batchItemFailures` (the event's sequence number): the SourceRecord's `id`. */
  readonly id: string;
  /**
   * Its position in its shard as the engine orders and checkpoints it (the source's encoding of the sequence number:
   * Kinesis extends it with the user record's place, connectors/kinesis/position.ts).
   */
  readonly position: string;
}

/** What `open()` must resolve and what the source declares, for this stream. */
export interface StreamExpectations {
  readonly sourceArn: RegExp;
  readonly region: string;
  readonly retentionMs: number;
  readonly idlePollIntervalMs: number;
  readonly atTimestamp: boolean;
  /** `closeAll()` creates child shards naming the closed ones as parents (a Kinesis split), or none (a disabled DynamoDB stream). */
  readonly closeMakesChildren: boolean;
}

export interface StreamFixture {
  readonly expected: StreamExpectations;
  readonly connector: ConnectorDefinition;
  /** The pipeline's `source` as in a config file, for the engine harness. */
  readonly pipelineSource: Readonly<Record<string, unknown>>;
  /** A new, unopened source object on this stream (each engine run closes its own). */
  createSource(): Promise<StreamSource>;
  /** Writes in order, one at a time: the records of one key land on one shard in this order. */
  write(writes: readonly StreamWrite[]): Promise<void>;
  /** Decodes a record's Lambda event record (as a SourceRecord carries it, or as the function receives it). */
  decode(eventRecord: Readonly<Record<string, unknown>>): DecodedRecord;
  /** Closes every open shard: reading one then ends with shardEnd. Later writes go to children, if any. */
  closeAll(): Promise<void>;
  /** Deletes the stream. */
  dispose(): Promise<void>;
}

export type StreamFixtureFactory = (label: string) => Promise<StreamFixture>;

const signal = (): AbortSignal => AbortSignal.timeout(30_000);

/**
 * Reads `reader` until `count` records came back or the shard ended, in pages of `pageSize` (several GetRecords),
 * polling an idle shard as the engine would. Fails after `timeoutMs`.
 */
export async function readUntil(reader: ShardReader, count: number, pageSize = 3, timeoutMs = 20_000): Promise<{ records: SourceRecord[]; shardEnd: boolean }> {
  const records: SourceRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await reader.read(pageSize, signal());
    records.push(...result.records);
    if (result.shardEnd) return { records, shardEnd: true };
    if (records.length >= count) return { records, shardEnd: false };
    if (Date.now() > deadline) throw new Error(`read ${records.length} of ${count} records before the deadline`);
    if (result.records.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Writes for `keys` in turn: `<prefix>-<i>` values, `count` in all. */
export function writesFor(prefix: string, keys: readonly string[], count: number): StreamWrite[] {
  return Array.from({ length: count }, (_, i) => ({ key: keys[i % keys.length] ?? 'k', value: `${prefix}-${i}` }));
}

/** The values of each key, in order. */
export function byKey(records: readonly StreamWrite[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const record of records) map.set(record.key, [...(map.get(record.key) ?? []), record.value]);
  return map;
}

/** Sequence numbers are decimal strings of up to 40 digits. */
export function ascending(positions: readonly string[]): boolean {
  return positions.every((p, i) => i === 0 || BigInt(positions[i - 1] ?? '0') < BigInt(p));
}
