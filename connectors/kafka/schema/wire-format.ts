/**
 * The schema-registry framing of a Kafka key or value (pure).
 * - Confluent: magic byte 0, the schema id as a 4-byte big-endian integer, then the payload; a Protobuf payload
 *   starts with the message indexes — a zig-zag varint count, then that many zig-zag varint indexes, with the
 *   single byte 0 standing for `[0]` (the first message of the file).
 *   https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format
 * - AWS Glue: header version byte 3, a compression byte (0 none, 5 zlib), the 16-byte schema version UUID, then the
 *   payload (awslabs/aws-glue-schema-registry, AWSSchemaRegistryConstants / AWSDeserializer).
 */

/** Why bytes are not a framed payload: the record cannot be decoded. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export interface ConfluentFrame {
  readonly schemaId: number;
  readonly payload: Uint8Array;
}

/** `bytes` as Confluent framing, or throws WireFormatError. */
export function confluentFrame(bytes: Uint8Array): ConfluentFrame {
  if (bytes.byteLength < 5) throw new WireFormatError(`${bytes.byteLength} bytes is too short for the Confluent wire format (magic byte and 4-byte schema id)`);
  if (bytes[0] !== 0) throw new WireFormatError(`magic byte ${bytes[0] ?? '?'} is not the Confluent wire format's 0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { schemaId: view.getUint32(1), payload: bytes.subarray(5) };
}

/** A zig-zag varint at `offset` (Protobuf `sint32`): the value and the offset after it. */
function zigZagVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  for (let i = offset; i < bytes.byteLength && shift < 35; i++) {
    const byte = bytes[i] ?? 0;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value: (result >>> 1) ^ -(result & 1), next: i + 1 };
    shift += 7;
  }
  throw new WireFormatError('the Protobuf message indexes end in the middle of a varint');
}

export interface ProtobufIndexes {
  /** Path to the message type: top-level index, then nested indexes. */
  readonly indexes: readonly number[];
  /** The serialised message. */
  readonly message: Uint8Array;
}

/** Splits a Confluent Protobuf payload into its message indexes and the message. */
export function protobufIndexes(payload: Uint8Array): ProtobufIndexes {
  const count = zigZagVarint(payload, 0);
  if (count.value === 0) return { indexes: [0], message: payload.subarray(count.next) };
  if (count.value < 0 || count.value > 100) throw new WireFormatError(`${count.value} is no plausible count of Protobuf message indexes`);
  const indexes: number[] = [];
  let offset = count.next;
  for (let i = 0; i < count.value; i++) {
    const index = zigZagVarint(payload, offset);
    if (index.value < 0) throw new WireFormatError(`negative Protobuf message index ${index.value}`);
    indexes.push(index.value);
    offset = index.next;
  }
  return { indexes, message: payload.subarray(offset) };
}

export interface GlueFrame {
  /** The schema version id, a UUID. */
  readonly schemaVersionId: string;
  readonly compressed: boolean;
  readonly payload: Uint8Array;
}

const GLUE_HEADER_VERSION = 3;
const GLUE_COMPRESSION_NONE = 0;
const GLUE_COMPRESSION_ZLIB = 5;

/** `bytes` as AWS Glue framing, or throws WireFormatError. */
export function glueFrame(bytes: Uint8Array): GlueFrame {
  if (bytes.byteLength < 18) throw new WireFormatError(`${bytes.byteLength} bytes is too short for the AWS Glue wire format (18-byte header)`);
  if (bytes[0] !== GLUE_HEADER_VERSION) throw new WireFormatError(`header version byte ${bytes[0] ?? '?'} is not the AWS Glue wire format's 3`);
  const compression = bytes[1];
  if (compression !== GLUE_COMPRESSION_NONE && compression !== GLUE_COMPRESSION_ZLIB) throw new WireFormatError(`unknown AWS Glue compression byte ${compression ?? '?'}`);
  const hex = Buffer.from(bytes.subarray(2, 18)).toString('hex');
  return {
    schemaVersionId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    compressed: compression === GLUE_COMPRESSION_ZLIB,
    payload: bytes.subarray(18),
  };
}
