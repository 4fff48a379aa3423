/**
 * The Kafka key of an on-failure record. AWS produces each failed record to a `kafka://` destination "with the
 * original key" (round-robin when it had none) [KF-OFD, reference §3.6].
 *
 * The key travels on the record object under a symbol: `JSON.stringify` skips symbol keys, so the JSON every
 * destination writes is exactly the AWS record, while `deliver(records: readonly object[])` stays one method for all
 * destinations. File and SQS destinations ignore it; the Kafka destination produces the message with it.
 */

/** A Kafka message key as kafkajs accepts it; `null` = no key. */
export type RecordKey = string | Buffer | null;

/** The symbol under which {@link withRecordKey} stores the key. */
export const RECORD_KEY: unique symbol = Symbol.for('tributary.destination.recordKey');

/** A record that carries a Kafka key. */
export type KeyedRecord<T extends object = object> = T & { readonly [RECORD_KEY]: RecordKey };

/** A shallow copy of `record` carrying `key`; its JSON is the JSON of `record`. */
export function withRecordKey<T extends object>(record: T, key: RecordKey): KeyedRecord<T> {
  return { ...record, [RECORD_KEY]: key };
}

/** The key stored by {@link withRecordKey}; `null` when the record has none. */
export function recordKeyOf(record: object): RecordKey {
  const key: unknown = (record as Partial<Record<typeof RECORD_KEY, unknown>>)[RECORD_KEY];
  return typeof key === 'string' || Buffer.isBuffer(key) ? key : null;
}
