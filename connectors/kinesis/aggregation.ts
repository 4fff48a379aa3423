/**
 * De-aggregation of KPL-aggregated Kinesis records into their user records, in the KPL's aggregated record format:
 * https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 *
 *     4-byte magic F3 89 9A C2 · protobuf AggregatedRecord (proto2) · 16-byte MD5 of the protobuf bytes
 *
 * The rules are the KCL's (AggregatorUtil.deaggregate) and AWS Labs' Lambda de-aggregator
 * (awslabs/kinesis-aggregation): a record without the magic, too short, whose MD5 does not match or whose protobuf
 * does not parse is a plain record and is delivered as it is — never dropped. Unlike the KCL, user records are not
 * filtered by the shard's hash key range: a record the producer routed with a stale shard map is delivered rather
 * than lost. An aggregate with no user record, or one pointing outside its key tables, is malformed and delivered
 * as the raw record too.
 */
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { MAX_SUB_RECORDS } from './position.js';

/** The 4 bytes every KPL aggregate starts with. */
export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const DIGEST_BYTES = 16;

/**
 * The KPL's messages, as in aggregation-format.md (proto2: required / optional / repeated). protobufjs 7: 8.x decodes
 * an explicit `explicit_hash_key_index: 0` as absent (proto2 presence lost), which would drop the first explicit hash
 * key of every aggregate (test/unit/connectors/kinesis-aggregation.test.ts fails on 8.8.1).
 */
const root = protobuf.Root.fromJSON({
  nested: {
    Tag: { fields: { key: { rule: 'required', type: 'string', id: 1 }, value: { rule: 'optional', type: 'string', id: 2 } } },
    Record: {
      fields: {
        partition_key_index: { rule: 'required', type: 'uint64', id: 1 },
        explicit_hash_key_index: { rule: 'optional', type: 'uint64', id: 2 },
        data: { rule: 'required', type: 'bytes', id: 3 },
        tags: { rule: 'repeated', type: 'Tag', id: 4 },
      },
    },
    AggregatedRecord: {
      fields: {
        partition_key_table: { rule: 'repeated', type: 'string', id: 1 },
        explicit_hash_key_table: { rule: 'repeated', type: 'string', id: 2 },
        records: { rule: 'repeated', type: 'Record', id: 3 },
      },
    },
  },
});
const AggregatedRecord = root.lookupType('AggregatedRecord');

/** One user record of an aggregate. */
export interface UserRecord {
  readonly partitionKey: string;
  /** The record's ExplicitHashKey, when the producer set one. */
  readonly explicitHashKey: string | null;
  readonly data: Uint8Array;
}

interface DecodedAggregate {
  readonly partition_key_table: readonly string[];
  readonly explicit_hash_key_table: readonly string[];
  readonly records: readonly { readonly partition_key_index: number; readonly explicit_hash_key_index?: number; readonly data: Uint8Array }[];
}

/** True when `data` starts with the KPL magic (it may still turn out not to be a valid aggregate). */
export function hasKplMagic(data: Uint8Array): boolean {
  return data.byteLength > KPL_MAGIC.length && KPL_MAGIC.every((byte, i) => data[i] === byte);
}

/**
 * The user records of `data` when it is a valid KPL aggregate (in order: their index is the sub-sequence number),
 * else null: the record is a plain one.
 */
export function deaggregate(data: Uint8Array): readonly UserRecord[] | null {
  if (!hasKplMagic(data) || data.byteLength <= KPL_MAGIC.length + DIGEST_BYTES) return null;
  const message = data.subarray(KPL_MAGIC.length, data.byteLength - DIGEST_BYTES);
  const digest = data.subarray(data.byteLength - DIGEST_BYTES);
  if (!createHash('md5').update(message).digest().equals(digest)) return null;
  let decoded: DecodedAggregate;
  try {
    decoded = AggregatedRecord.toObject(AggregatedRecord.decode(message), { longs: Number, arrays: true }) as unknown as DecodedAggregate;
  } catch {
    return null;
  }
  const { partition_key_table: keys, explicit_hash_key_table: hashKeys, records } = decoded;
  if (records.length === 0 || records.length > MAX_SUB_RECORDS) return null;
  const users: UserRecord[] = [];
  for (const record of records) {
    const partitionKey = keys[record.partition_key_index];
    const hashIndex = record.explicit_hash_key_index;
    const explicitHashKey = hashIndex === undefined ? null : hashKeys[hashIndex];
    if (partitionKey === undefined || explicitHashKey === undefined) return null;
    users.push({ partitionKey, explicitHashKey, data: record.data });
  }
  return users;
}
