/**
 * A Confluent-compatible schema registry (Confluent Schema Registry, Confluent Cloud, Apicurio's `/apis/ccompat/v7`,
 * Karapace…): `GET /schemas/ids/{id}` for a record's schema, `GET /subjects/{subject}/versions/{version}` for the
 * schemas it references, `GET /subjects` to check the registry answers at start.
 * https://docs.confluent.io/platform/current/schema-registry/develop/api.html
 */
import { TributaryError } from '../../../src/errors.js';
import type { RegistrySchema, SchemaFormat } from './formats.js';
import type { SchemaRegistryClient } from './record-decoder.js';
import { getJson, RegistryRefusedError, type RegistryTransport } from './registry-http.js';
import { confluentFrame, protobufIndexes } from './wire-format.js';

interface SchemaAnswer {
  readonly schema?: unknown;
  readonly schemaType?: unknown;
  readonly references?: unknown;
}

interface Reference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** `schemaType` is absent for Avro (the registry's original format). */
function formatOf(schemaType: unknown): SchemaFormat | null {
  if (schemaType === undefined || schemaType === null || schemaType === 'AVRO') return 'AVRO';
  return schemaType === 'PROTOBUF' || schemaType === 'JSON' ? schemaType : null;
}

function referencesOf(value: unknown): Reference[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r: unknown) => {
    const { name, subject, version } = (r ?? {}) as Record<string, unknown>;
    return typeof name === 'string' && typeof subject === 'string' && typeof version === 'number' ? [{ name, subject, version }] : [];
  });
}

const MAX_REFERENCE_DEPTH = 16;

/** The registry's credentials (./registry-access.ts). */
export interface RegistryCredentials {
  transport(signal: AbortSignal): Promise<RegistryTransport>;
  /** Fetches them again; true when they changed. */
  refresh(signal: AbortSignal): Promise<boolean>;
}

export class ConfluentRegistry implements SchemaRegistryClient {
  readonly #base: string;
  readonly #access: RegistryCredentials;

  /** `access` resolves the credentials (Secrets Manager) before a request and fetches them again after a refusal. */
  constructor(uri: string, access: RegistryCredentials) {
    this.#base = uri.replace(/\/+$/, '');
    this.#access = access;
  }

  frame(bytes: Uint8Array): { readonly id: string; readonly payload: Uint8Array } {
    const { schemaId, payload } = confluentFrame(bytes);
    return { id: String(schemaId), payload };
  }

  protobufMessage(payload: Uint8Array): { readonly indexes: readonly number[]; readonly message: Uint8Array } {
    return protobufIndexes(payload);
  }

  /** The schema with `id` and what it references, or null when the registry has no such id. */
  async schema(id: string, signal: AbortSignal): Promise<RegistrySchema | null> {
    const answer = (await this.#get(`/schemas/ids/${encodeURIComponent(id)}`, signal)) as SchemaAnswer | null;
    if (answer === null) return null;
    return this.#resolved(answer, `schema id ${id}`, signal);
  }

  /** Resolves when the registry answers (at start): a clear error instead of one per record later. */
  async check(signal: AbortSignal): Promise<void> {
    const subjects = await this.#get('/subjects', signal);
    if (!Array.isArray(subjects)) throw new TributaryError('SOURCE_UNAVAILABLE', `schema registry ${this.#base}: GET /subjects did not answer a list; is this a Confluent-compatible registry URL?`, { retryable: true });
  }

  async #resolved(answer: SchemaAnswer, what: string, signal: AbortSignal): Promise<RegistrySchema> {
    const format = formatOf(answer.schemaType);
    if (typeof answer.schema !== 'string' || format === null) {
      throw new TributaryError('SOURCE_UNAVAILABLE', `schema registry ${this.#base}: ${what} has no usable schema (schemaType ${JSON.stringify(answer.schemaType)})`, { retryable: true });
    }
    const references: (readonly [string, string])[] = [];
    const seen = new Set<string>();
    const visit = async (refs: readonly Reference[], depth: number): Promise<void> => {
      for (const ref of refs) {
        const key = `${ref.subject}/${ref.version}`;
        if (seen.has(key) || depth > MAX_REFERENCE_DEPTH) continue;
        seen.add(key);
        const found = (await this.#get(`/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`, signal)) as SchemaAnswer | null;
        if (found === null || typeof found.schema !== 'string') {
          throw new TributaryError('SOURCE_UNAVAILABLE', `schema registry ${this.#base}: ${what} references ${ref.subject} version ${ref.version}, which it does not serve`, { retryable: true });
        }
        await visit(referencesOf(found.references), depth + 1); // dependencies first
        references.push([ref.name, found.schema]);
      }
    };
    await visit(referencesOf(answer.references), 0);
    return { format, schema: answer.schema, references };
  }

  /** One GET; after a 401/403 the credentials are fetched again and, when they changed, the GET is repeated once. */
  async #get(path: string, signal: AbortSignal): Promise<unknown> {
    const url = `${this.#base}${path}`;
    try {
      return await getJson(url, await this.#access.transport(signal), signal);
    } catch (error) {
      if (!(error instanceof RegistryRefusedError) || !(await this.#access.refresh(signal))) throw error;
      return getJson(url, await this.#access.transport(signal), signal);
    }
  }
}
