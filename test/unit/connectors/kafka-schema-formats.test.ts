// Schema-registry framing and the three formats, without a registry: Confluent and Glue wire formats, Protobuf
// message indexes, Avro / Protobuf / JSON Schema decoding to JSON, and what counts as a mismatch. The registry itself
// (Apicurio) is exercised in test/integration/kafka-schema-registry.test.ts.
import avro from 'avsc';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { compileSchema, SchemaMismatch } from '../../../connectors/kafka/schema/formats.js';
import { RecordDecoder, type SchemaRegistryClient } from '../../../connectors/kafka/schema/record-decoder.js';
import { WireFormatError, confluentFrame, glueFrame, protobufIndexes } from '../../../connectors/kafka/schema/wire-format.js';
import type { RegistrySchema } from '../../../connectors/kafka/schema/formats.js';

describe('wire formats', () => {
  it('Confluent: magic 0, big-endian schema id, payload', () => {
    expect(confluentFrame(Uint8Array.from([0, 0, 0, 1, 2, 9, 8]))).toEqual({ schemaId: 258, payload: Uint8Array.from([9, 8]) });
    expect(() => confluentFrame(Uint8Array.from([1, 0, 0, 0, 1]))).toThrow(WireFormatError);
    expect(() => confluentFrame(Uint8Array.from([0, 0, 0]))).toThrow('too short');
  });

  it('Protobuf message indexes: 0 is [0], otherwise a zig-zag count then zig-zag indexes', () => {
    expect(protobufIndexes(Uint8Array.from([0, 0x0a]))).toEqual({ indexes: [0], message: Uint8Array.from([0x0a]) });
    expect(protobufIndexes(Uint8Array.from([2, 2, 0x0a]))).toEqual({ indexes: [1], message: Uint8Array.from([0x0a]) });
    expect(protobufIndexes(Uint8Array.from([4, 2, 6, 0x0a]))).toEqual({ indexes: [1, 3], message: Uint8Array.from([0x0a]) });
    expect(() => protobufIndexes(Uint8Array.from([0x80]))).toThrow('middle of a varint');
  });

  it('Glue: header version 3, compression, 16-byte schema version UUID', () => {
    const uuid = Buffer.from('1234567890abcdef1234567890abcdef', 'hex');
    const frame = glueFrame(Buffer.concat([Buffer.from([3, 5]), uuid, Buffer.from([7])]));
    expect({ ...frame, payload: [...frame.payload] }).toEqual({ schemaVersionId: '12345678-90ab-cdef-1234-567890abcdef', compressed: true, payload: [7] });
    expect(() => glueFrame(Buffer.concat([Buffer.from([2, 0]), uuid]))).toThrow('header version');
  });
});

describe('formats', () => {
  const orderAvro = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }, { name: 'raw', type: 'bytes' }, { name: 'n', type: ['null', 'long'], default: null }] };

  it('Avro: records as objects, bytes as base64; trailing or truncated bytes do not decode', () => {
    const type = avro.Type.forSchema(orderAvro as avro.Schema);
    const schema = compileSchema({ format: 'AVRO', schema: JSON.stringify(orderAvro), references: [] });
    expect(schema.decode(type.toBuffer({ id: 'a', raw: Buffer.from('hi'), n: 5 }))).toEqual({ id: 'a', raw: 'aGk=', n: 5 });
    expect(() => schema.decode(Buffer.concat([type.toBuffer({ id: 'a', raw: Buffer.alloc(0), n: null }), Buffer.from([1])]))).toThrow(SchemaMismatch);
    expect(() => schema.decode(Uint8Array.from([0x08]))).toThrow(SchemaMismatch);
  });

  it('Avro references: a named type from another schema', () => {
    const address = { type: 'record', name: 'Address', namespace: 'shop', fields: [{ name: 'city', type: 'string' }] };
    const customer = { type: 'record', name: 'Customer', namespace: 'shop', fields: [{ name: 'home', type: 'shop.Address' }] };
    const schema: RegistrySchema = { format: 'AVRO', schema: JSON.stringify(customer), references: [['shop.Address', JSON.stringify(address)]] };
    const registry = {};
    avro.Type.forSchema(address as avro.Schema, { registry });
    const bytes = avro.Type.forSchema(customer as avro.Schema, { registry }).toBuffer({ home: { city: 'Oslo' } });
    expect(compileSchema(schema).decode(bytes)).toEqual({ home: { city: 'Oslo' } });
  });

  it('Protobuf: the message at the indexes, proto3 JSON mapping; an import from a reference', () => {
    const common = 'syntax = "proto3"; package shop; message Money { int64 cents = 1; }';
    const proto = 'syntax = "proto3"; package shop; import "money.proto"; message A { string x = 1; } message B { message Inner { bool ok = 1; } shop.Money price = 1; bytes tag = 2; Inner inner = 3; }';
    const root = protobuf.parse(common).root;
    protobuf.parse(proto, root);
    const B = root.lookupType('shop.B');
    const Inner = root.lookupType('shop.B.Inner');
    const schema = compileSchema({ format: 'PROTOBUF', schema: proto, references: [['money.proto', common]] });
    expect(schema.decode(B.encode(B.create({ price: { cents: '9007199254740993' }, tag: Buffer.from('t') })).finish(), [1])).toEqual({ price: { cents: '9007199254740993' }, tag: 'dA==' });
    expect(schema.decode(Inner.encode(Inner.create({ ok: true })).finish(), [1, 0])).toEqual({ ok: true });
    expect(() => schema.decode(Uint8Array.from([1]), [5])).toThrow('has no message at indexes [5]');
    expect(() => schema.decode(Uint8Array.from([0x0a, 0xff]), [1])).toThrow(SchemaMismatch);
  });

  it('JSON Schema: draft-07 by default, 2020-12 by $schema; a value that breaks it is a mismatch', () => {
    const draft7 = compileSchema({ format: 'JSON', schema: JSON.stringify({ type: 'object', required: ['id'] }), references: [] });
    expect(draft7.decode(Buffer.from('{"id":1}'))).toEqual({ id: 1 });
    expect(() => draft7.decode(Buffer.from('{}'))).toThrow("does not match its JSON Schema: / must have required property 'id'");
    expect(() => draft7.decode(Buffer.from('{'))).toThrow('is not JSON');
    const s2020 = compileSchema({ format: 'JSON', schema: JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'string' }] }), references: [] });
    expect(() => s2020.decode(Buffer.from('[1]'))).toThrow('/0 must be string');
  });

  it('a schema that does not compile is a mismatch', () => {
    expect(() => compileSchema({ format: 'AVRO', schema: '{"type":"nope"}', references: [] })).toThrow(SchemaMismatch);
    expect(() => compileSchema({ format: 'PROTOBUF', schema: 'message {', references: [] })).toThrow(SchemaMismatch);
  });
});

describe('RecordDecoder', () => {
  const schemaText = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'id', type: 'string' }] });
  const R = avro.Type.forSchema(JSON.parse(schemaText) as avro.Schema);
  const framed = (payload: Uint8Array): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), payload]);

  function registry(): SchemaRegistryClient & { fetches: number; down: boolean } {
    const r = {
      fetches: 0,
      down: false,
      frame: (bytes: Uint8Array) => {
        const f = confluentFrame(bytes);
        return { id: String(f.schemaId), payload: f.payload };
      },
      protobufMessage: protobufIndexes,
      schema: async (id: string): Promise<RegistrySchema | null> => {
        r.fetches++;
        if (r.down) throw new Error('registry down');
        return id === '7' ? { format: 'AVRO', schema: schemaText, references: [] } : null;
      },
      check: async () => undefined,
    };
    return r;
  }
  const record = (value: Uint8Array | null) => ({ topic: 't', partition: 0, offset: '4', timestampMs: 1, timestampType: 'CREATE_TIME' as const, key: Buffer.from('k'), value, headers: [] });
  const config = { kind: 'confluent' as const, uri: 'http://r', validateKey: false, validateValue: true, accessConfigs: [] };

  it('JSON and SOURCE forms, metadata, the schema fetched once; a tombstone passes as it is', async () => {
    const r = registry();
    const json = new RecordDecoder({ ...config, eventRecordFormat: 'JSON' }, r);
    const decoded = await json.toRecord(record(framed(R.toBuffer({ id: 'x' }))), AbortSignal.timeout(1000));
    expect(decoded.eventRecord['value']).toBe(Buffer.from('{"id":"x"}').toString('base64'));
    expect(decoded.eventRecord['valueSchemaMetadata']).toEqual({ dataFormat: 'AVRO', schemaId: '7' });
    expect(decoded.eventRecord['key']).toBe(Buffer.from('k').toString('base64'));
    expect(Buffer.from(decoded.filterPayload as Uint8Array).toString()).toBe('{"id":"x"}');
    const source = new RecordDecoder({ ...config, eventRecordFormat: 'SOURCE' }, r);
    const raw = await source.toRecord(record(framed(R.toBuffer({ id: 'y' }))), AbortSignal.timeout(1000));
    expect(Buffer.from(String(raw.eventRecord['value']), 'base64')).toEqual(R.toBuffer({ id: 'y' }));
    await json.toRecord(record(framed(R.toBuffer({ id: 'z' }))), AbortSignal.timeout(1000));
    expect(r.fetches).toBe(2); // once per decoder
    const tombstone = await json.toRecord(record(null), AbortSignal.timeout(1000));
    expect(tombstone.undeliverable).toBeUndefined();
    expect(tombstone.eventRecord).not.toHaveProperty('valueSchemaMetadata');
  });

  it('undeliverable for an unknown schema id or a payload that does not decode; a registry that is down throws and is asked again', async () => {
    const r = registry();
    const decoder = new RecordDecoder({ ...config, eventRecordFormat: 'JSON' }, r);
    const unknown = await decoder.toRecord(record(Buffer.from([0, 0, 0, 0, 8, 1])), AbortSignal.timeout(1000));
    expect(unknown.undeliverable).toEqual({ condition: 'SchemaValidationFailed', reason: 'value: schema 8: the registry has no schema with this id' });
    expect(unknown.eventRecord['value']).toBe(Buffer.from([0, 0, 0, 0, 8, 1]).toString('base64'));
    const broken = await decoder.toRecord(record(framed(Uint8Array.from([0x10]))), AbortSignal.timeout(1000));
    expect(broken.undeliverable?.reason).toMatch(/^value: schema 7: the Avro payload does not decode/);
    r.down = true;
    const fresh = new RecordDecoder({ ...config, eventRecordFormat: 'JSON' }, r);
    await expect(fresh.toRecord(record(framed(R.toBuffer({ id: 'x' }))), AbortSignal.timeout(1000))).rejects.toThrow('registry down');
    r.down = false;
    expect((await fresh.toRecord(record(framed(R.toBuffer({ id: 'x' }))), AbortSignal.timeout(1000))).undeliverable).toBeUndefined();
  });
});
