/**
 * An AWS Glue schema registry (`schemaRegistryURI: arn:aws:glue:<region>:<account>:registry/<name>`): records carry
 * the Glue framing (./wire-format.ts glueFrame; zlib-compressed payloads are inflated), schemas are fetched by schema
 * version id with GetSchemaVersion, and the start checks GetRegistry — a registry Tributary cannot reach or read is
 * refused then, clearly, instead of once per record. A Glue Protobuf payload starts with the message's index as one
 * varint (what Powertools skips for Glue events). Credentials: the AWS credential chain, as Lambda uses its
 * execution role (Glue takes no accessConfigs).
 * https://docs.aws.amazon.com/glue/latest/dg/schema-registry.html
 */
import { inflateSync } from 'node:zlib';
import { sdkErrorFacts } from '../../../src/connector/index.js';
import { TributaryError } from '../../../src/errors.js';
import type { RegistrySchema } from './formats.js';
import type { GlueSchemaApi } from './glue-client.js';
import type { SchemaRegistryClient } from './record-decoder.js';
import { WireFormatError, glueFrame } from './wire-format.js';

const NOT_FOUND = new Set(['EntityNotFoundException']);
const REFUSED = new Set(['AccessDeniedException', 'InvalidInputException']);

export class GlueRegistry implements SchemaRegistryClient {
  readonly #arn: string;
  readonly #api: () => Promise<GlueSchemaApi>;
  #loaded: Promise<GlueSchemaApi> | null = null;

  constructor(registryArn: string, api?: () => Promise<GlueSchemaApi>) {
    this.#arn = registryArn;
    const region = registryArn.split(':')[3] ?? 'us-east-1';
    this.#api =
      api ??
      (async () => {
        const { createGlueSchemaApi } = await import('./glue-client.js');
        return createGlueSchemaApi(region);
      });
  }

  frame(bytes: Uint8Array): { readonly id: string; readonly payload: Uint8Array } {
    const frame = glueFrame(bytes);
    if (!frame.compressed) return { id: frame.schemaVersionId, payload: frame.payload };
    try {
      return { id: frame.schemaVersionId, payload: inflateSync(frame.payload) };
    } catch (error) {
      throw new WireFormatError(`the zlib-compressed AWS Glue payload does not inflate: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  protobufMessage(payload: Uint8Array): { readonly indexes: readonly number[]; readonly message: Uint8Array } {
    let index = 0;
    for (let i = 0, shift = 0; i < payload.byteLength && shift < 35; i++, shift += 7) {
      const byte = payload[i] ?? 0;
      index |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return { indexes: [index], message: payload.subarray(i + 1) };
    }
    throw new WireFormatError('the AWS Glue Protobuf payload ends in its message index');
  }

  async schema(id: string, signal: AbortSignal): Promise<RegistrySchema | null> {
    let answer;
    try {
      answer = await (await this.#client()).getSchemaVersion(id, signal);
    } catch (error) {
      if (NOT_FOUND.has(sdkErrorFacts(error).name)) return null;
      throw this.#error(`GetSchemaVersion ${id}`, error, signal);
    }
    const format = answer.format === 'AVRO' || answer.format === 'PROTOBUF' || answer.format === 'JSON' ? answer.format : null;
    if (answer.definition === undefined || format === null) {
      throw new TributaryError('SOURCE_UNAVAILABLE', `AWS Glue registry ${this.#arn}: schema version ${id} has no usable definition (DataFormat ${String(answer.format)})`, { retryable: true });
    }
    return { format, schema: answer.definition, references: [] };
  }

  async check(signal: AbortSignal): Promise<void> {
    try {
      await (await this.#client()).getRegistry(this.#arn, signal);
    } catch (error) {
      const { name } = sdkErrorFacts(error);
      if (NOT_FOUND.has(name)) throw new TributaryError('CONFIG_INVALID', `AWS Glue registry ${this.#arn} does not exist (GetRegistry: ${name})`);
      throw this.#error('GetRegistry', error, signal);
    }
  }

  #client(): Promise<GlueSchemaApi> {
    this.#loaded ??= this.#api();
    this.#loaded.catch(() => (this.#loaded = null));
    return this.#loaded;
  }

  /** Refusals (access denied) hold the partition like an unreachable registry: both need the operator, not a DLQ. */
  #error(action: string, error: unknown, signal: AbortSignal): TributaryError {
    const { name, message } = sdkErrorFacts(error);
    if (signal.aborted || name === 'AbortError') return new TributaryError('STOPPED', `AWS Glue ${action} aborted`, { retryable: true });
    const why = REFUSED.has(name) ? 'refused' : 'cannot be reached';
    return new TributaryError('SOURCE_UNAVAILABLE', `AWS Glue registry ${this.#arn} ${why}: ${action} failed: ${name}: ${message}`, { retryable: true, cause: error });
  }
}
