/**
 * Compiling a registry schema and decoding one payload with it, for the three formats AWS's Kafka schema registry
 * support validates (https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html): Avro (avsc),
 * Protobuf (protobufjs) and JSON Schema (Ajv). A decode either yields the payload as a JSON value — what the
 * function gets with `eventRecordFormat: JSON`, and what filter patterns see — or throws SchemaMismatch (the record
 * cannot be delivered; it goes to the on-failure destination).
 *
 * JSON forms, where AWS documents none (decisions):
 * - Avro: records as objects, unions as avsc decodes them (a nullable field is its value or null), `bytes` and
 *   `fixed` as base64, `long` as a number (avsc refuses longs beyond 2^53, which then do not decode).
 * - Protobuf: the proto3 JSON mapping (lowerCamelCase names, enums by name, 64-bit integers and bytes as strings —
 *   bytes base64), fields at their default value omitted, as protobuf's JsonFormat prints them.
 * - JSON Schema: the payload's JSON itself, validated by Ajv (draft-07 by default; 2019-09 and 2020-12 by `$schema`;
 *   `format` keywords are not checked).
 */
import avro from 'avsc';
import protobuf from 'protobufjs';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** `dataFormat` of AWS's keySchemaMetadata / valueSchemaMetadata. */
export type SchemaFormat = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A schema as a registry serves it, with the schemas it references by name (imports, named types, `$ref`s). */
export interface RegistrySchema {
  readonly format: SchemaFormat;
  readonly schema: string;
  /** Referenced schemas, dependencies first: reference name → schema text. */
  readonly references: readonly (readonly [name: string, schema: string])[];
}

/** The payload does not match its schema (or the schema itself is unusable): the record cannot be decoded. */
export class SchemaMismatch extends Error {
  override readonly name = 'SchemaMismatch';
}

export interface CompiledSchema {
  readonly format: SchemaFormat;
  /** Decodes `payload` (for Protobuf, the message at `indexes`) into its JSON value, or throws SchemaMismatch. */
  decode(payload: Uint8Array, indexes?: readonly number[]): unknown;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Compiles `schema`; SchemaMismatch when the registry's schema does not compile. */
export function compileSchema(schema: RegistrySchema): CompiledSchema {
  try {
    if (schema.format === 'AVRO') return compileAvro(schema);
    if (schema.format === 'PROTOBUF') return compileProtobuf(schema);
    return compileJsonSchema(schema);
  } catch (error) {
    if (error instanceof SchemaMismatch) throw error;
    throw new SchemaMismatch(`the registry's ${schema.format} schema does not compile: ${message(error)}`);
  }
}

function compileAvro(schema: RegistrySchema): CompiledSchema {
  const registry: Record<string, avro.Type> = {};
  for (const [, text] of schema.references) avro.Type.forSchema(JSON.parse(text) as avro.Schema, { registry });
  const type = avro.Type.forSchema(JSON.parse(schema.schema) as avro.Schema, { registry });
  return {
    format: 'AVRO',
    decode(payload) {
      let value: unknown;
      try {
        // fromBuffer refuses truncated input and trailing bytes.
        value = type.fromBuffer(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      } catch (error) {
        throw new SchemaMismatch(`the Avro payload does not decode with its schema: ${message(error)}`);
      }
      return JSON.parse(JSON.stringify(value, (_key, field: unknown) => (isSerialisedBuffer(field) ? Buffer.from(field.data).toString('base64') : field))) as unknown;
    },
  };
}

function isSerialisedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);
}

/** Top-level message types of a .proto file, in declaration order (what Confluent's first message index counts). */
function messageTypes(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  return namespace.nestedArray.filter((nested): nested is protobuf.Type => nested instanceof protobuf.Type);
}

function compileProtobuf(schema: RegistrySchema): CompiledSchema {
  const root = new protobuf.Root();
  const addImports = (imports: readonly string[] | undefined): void => {
    for (const name of imports ?? []) {
      const common = (protobuf.common as unknown as Record<string, protobuf.INamespace | undefined>)[name];
      if (common?.nested !== undefined && schema.references.every(([ref]) => ref !== name)) root.addJSON(common.nested);
    }
  };
  for (const [, text] of schema.references) addImports(protobuf.parse(text, root).imports);
  const main = protobuf.parse(schema.schema, root);
  addImports(main.imports);
  root.resolveAll();
  // Which types the indexes count: only this file's own, so parse it once more on its own.
  const own = protobuf.parse(schema.schema, new protobuf.Root());
  const ownNamespace = own.package === undefined ? own.root : own.root.lookup(own.package);
  const topLevel = ownNamespace === null ? [] : messageTypes(ownNamespace as protobuf.NamespaceBase);
  return {
    format: 'PROTOBUF',
    decode(payload, indexes = [0]) {
      let ownType: protobuf.Type | undefined = topLevel[indexes[0] ?? 0];
      for (const index of indexes.slice(1)) ownType = ownType === undefined ? undefined : messageTypes(ownType)[index];
      if (ownType === undefined) throw new SchemaMismatch(`the Protobuf schema has no message at indexes [${indexes.join(', ')}]`);
      const type = root.lookupType(ownType.fullName);
      try {
        const decoded = type.decode(payload);
        return type.toObject(decoded, { longs: String, enums: String, bytes: String, json: true });
      } catch (error) {
        throw new SchemaMismatch(`the Protobuf payload does not decode as ${type.fullName.replace(/^\./, '')}: ${message(error)}`);
      }
    },
  };
}

function compileJsonSchema(schema: RegistrySchema): CompiledSchema {
  const document = JSON.parse(schema.schema) as { $schema?: unknown } & Record<string, unknown>;
  const dialect = typeof document.$schema === 'string' ? document.$schema : '';
  const options = { strict: false, validateFormats: false, allErrors: false } as const;
  const ajv = dialect.includes('2020-12') ? new Ajv2020(options) : dialect.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  for (const [name, text] of schema.references) ajv.addSchema(JSON.parse(text) as object, name);
  const validate: ValidateFunction = ajv.compile(document as object);
  return {
    format: 'JSON',
    decode(payload) {
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
      } catch (error) {
        throw new SchemaMismatch(`the JSON payload is not JSON: ${message(error)}`);
      }
      if (!validate(value)) {
        const [first] = validate.errors ?? [];
        throw new SchemaMismatch(`the JSON payload does not match its JSON Schema: ${first === undefined ? 'invalid' : `${first.instancePath || '/'} ${first.message ?? 'is invalid'}`}`);
      }
      return value;
    },
  };
}
