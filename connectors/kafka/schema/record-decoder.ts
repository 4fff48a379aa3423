/**
 * A Kafka record through the schema registry, as Lambda's Kafka event source mapping does it with a
 * `schemaRegistryConfig` (https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html): each
 * attribute listed in `schemaValidationConfigs` (KEY, VALUE) is read through its registry framing, its schema fetched
 * (cached by id) and the payload validated by decoding it. The record then carries `keySchemaMetadata` /
 * `valueSchemaMetadata` `{dataFormat, schemaId}` — the shape Powertools' Kafka models parse — and the attribute
 * becomes, with `eventRecordFormat: JSON`, the base64 of its JSON; with SOURCE, the base64 of its original payload
 * without the registry header (a Confluent Protobuf payload keeps its message indexes, as Lambda's events show).
 * Filter patterns see the decoded value either way.
 *
 * A record whose attribute is not framed, names a schema the registry does not have, or does not decode is marked
 * `undeliverable` (`SchemaValidationFailed`): the core sends it to the on-failure destination without invoking, so it
 * never blocks its partition. AWS documents no condition name for it; `SchemaValidationFailed` is Tributary's. A
 * registry that does not answer is a retryable error instead: the partition waits for it, nothing is discarded.
 * A null key or value (a tombstone) has nothing to validate and passes as it is.
 */
import type { KafkaSchemaRegistryConfig, SourceRecord } from '../../../src/connector/index.js';
import { toKafkaEventRecord, toSourceRecord, type KafkaRecordData } from '../event.js';
import { compileSchema, SchemaMismatch, type CompiledSchema, type RegistrySchema, type SchemaFormat } from './formats.js';
import { WireFormatError } from './wire-format.js';

/** What a registry client provides: its framing, its schemas, and a reachability check. */
export interface SchemaRegistryClient {
  /** The schema id and the payload after the registry header (also the SOURCE bytes). Throws WireFormatError. */
  frame(bytes: Uint8Array): { readonly id: string; readonly payload: Uint8Array };
  /** A Protobuf payload's message indexes and the message itself. Throws WireFormatError. */
  protobufMessage(payload: Uint8Array): { readonly indexes: readonly number[]; readonly message: Uint8Array };
  schema(id: string, signal: AbortSignal): Promise<RegistrySchema | null>;
  check(signal: AbortSignal): Promise<void>;
}

/** keySchemaMetadata / valueSchemaMetadata of the Lambda event record. */
export interface SchemaMetadata {
  readonly dataFormat: SchemaFormat;
  readonly schemaId: string;
}

type Decoded =
  | { readonly ok: true; readonly json: unknown; readonly source: Uint8Array; readonly metadata: SchemaMetadata }
  | { readonly ok: false; readonly reason: string };

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class RecordDecoder {
  readonly #config: KafkaSchemaRegistryConfig;
  readonly #registry: SchemaRegistryClient;
  /** Compiled schemas (or why the registry's schema is unusable) by id; a failed fetch is not kept. */
  readonly #schemas = new Map<string, Promise<CompiledSchema | SchemaMismatch>>();

  constructor(config: KafkaSchemaRegistryConfig, registry: SchemaRegistryClient) {
    this.#config = config;
    this.#registry = registry;
  }

  /** At start: the registry answers (a clear refusal instead of one per record). */
  check(signal: AbortSignal): Promise<void> {
    return this.#registry.check(signal);
  }

  /** The core's record for `record`: decoded and carrying its schema metadata, or marked undeliverable. */
  async toRecord(record: KafkaRecordData, signal: AbortSignal): Promise<SourceRecord> {
    const key = this.#config.validateKey && record.key !== null ? await this.#decode(record.key, signal) : null;
    const value = this.#config.validateValue && record.value !== null ? await this.#decode(record.value, signal) : null;
    const failures = ([['key', key], ['value', value]] as const).flatMap(([name, d]) => (d !== null && !d.ok ? [`${name}: ${d.reason}`] : []));
    if (failures.length > 0) return withFields(toSourceRecord(record), { undeliverable: { condition: 'SchemaValidationFailed', reason: failures.join('; ') } });
    const eventRecord = toKafkaEventRecord(record);
    const filterValue = value?.ok === true ? Buffer.from(JSON.stringify(value.json), 'utf8') : record.value;
    for (const [name, decoded] of [['key', key], ['value', value]] as const) {
      if (decoded === null || !decoded.ok) continue;
      eventRecord[name] = this.#config.eventRecordFormat === 'JSON' ? Buffer.from(JSON.stringify(decoded.json), 'utf8').toString('base64') : base64(decoded.source);
      eventRecord[`${name}SchemaMetadata`] = decoded.metadata;
    }
    const base = toSourceRecord(record);
    return withFields(base, { eventRecord, filterPayload: filterValue, sizeBytes: Buffer.byteLength(JSON.stringify(eventRecord)) });
  }

  async #decode(bytes: Uint8Array, signal: AbortSignal): Promise<Decoded> {
    let frame;
    try {
      frame = this.#registry.frame(bytes);
    } catch (error) {
      if (error instanceof WireFormatError) return { ok: false, reason: error.message };
      throw error;
    }
    const compiled = await this.#schema(frame.id, signal);
    if (compiled instanceof SchemaMismatch) return { ok: false, reason: `schema ${frame.id}: ${compiled.message}` };
    try {
      const protobuf = compiled.format === 'PROTOBUF' ? this.#registry.protobufMessage(frame.payload) : null;
      const json = protobuf === null ? compiled.decode(frame.payload) : compiled.decode(protobuf.message, protobuf.indexes);
      return { ok: true, json, source: frame.payload, metadata: { dataFormat: compiled.format, schemaId: frame.id } };
    } catch (error) {
      return { ok: false, reason: `schema ${frame.id}: ${reason(error)}` };
    }
  }

  #schema(id: string, signal: AbortSignal): Promise<CompiledSchema | SchemaMismatch> {
    const cached = this.#schemas.get(id);
    if (cached !== undefined) return cached;
    const loading = this.#registry.schema(id, signal).then((schema) => {
      if (schema === null) return new SchemaMismatch('the registry has no schema with this id');
      try {
        return compileSchema(schema);
      } catch (error) {
        return error instanceof SchemaMismatch ? error : new SchemaMismatch(reason(error));
      }
    });
    this.#schemas.set(id, loading);
    loading.catch(() => {
      // A registry that did not answer: try again with the next record.
      if (this.#schemas.get(id) === loading) this.#schemas.delete(id);
    });
    return loading;
  }
}

/**
 * `base` with `changes`, as a plain object. Not a spread: a Kafka record's fields are getters on its class (built on
 * first use, event.ts), which a spread drops.
 */
function withFields(base: SourceRecord, changes: Partial<SourceRecord>): SourceRecord {
  return {
    id: base.id,
    shard: base.shard,
    position: base.position,
    partitionKey: base.partitionKey,
    arrivedAtMs: base.arrivedAtMs,
    receiveCount: base.receiveCount,
    sizeBytes: base.sizeBytes,
    eventRecord: base.eventRecord,
    filterPayload: base.filterPayload,
    ...changes,
  };
}
