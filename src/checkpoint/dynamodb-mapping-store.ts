/**
 * The DynamoDB MappingStore: mappings are items of their own kind in the lease table — partition `#mappings` (a
 * pipeline name cannot contain `#`, so no lease can ever share it), sort key the mapping's UUID — so one table holds
 * everything a deployment shares, and listing them is one Query of one partition (strongly consistent), never a Scan.
 *
 * | attribute  | type | meaning                                                |
 * |------------|------|--------------------------------------------------------|
 * | `pipeline` | S    | `#mappings`                                            |
 * | `shardId`  | S    | the mapping's UUID                                     |
 * | `mapping`  | S    | the record as JSON (mapping-store.ts; never a secret)  |
 * | `version`  | N    | the record's version; every write is conditional on it |
 *
 * Writes: a new record `attribute_not_exists(shardId)`, a change or a removal `version = :expected`.
 */
import { TributaryError } from '../errors.js';
import { LeaseTableClient } from './dynamodb-client.js';
import { ATTR, LEASE_TABLE_KEYS, num, str } from './dynamodb-lease-codec.js';
import { decodeStoredMapping, type MappingStore, type StoredMapping } from './mapping-store.js';

/** The partition of mapping items. */
export const MAPPINGS_PARTITION = '#mappings';

export interface DynamoDbMappingStoreOptions {
  readonly tableName: string;
  readonly region?: string | null;
  readonly endpoint?: string | null;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export class DynamoDbMappingStore implements MappingStore {
  readonly #table: LeaseTableClient;
  #opened: Promise<void> | null = null;

  constructor(options: DynamoDbMappingStoreOptions) {
    this.#table = new LeaseTableClient({
      tableName: options.tableName,
      region: options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
      endpoint: options.endpoint ?? null,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  }

  async list(signal: AbortSignal): Promise<readonly StoredMapping[]> {
    await this.#open(signal);
    const items = await this.#table.queryPartition(ATTR.pipeline, MAPPINGS_PARTITION, signal);
    return items.map((item) => {
      const uuid = item[ATTR.shardId]?.S ?? '?';
      const record = decodeStoredMapping(parseJson(item['mapping']?.S ?? 'null'));
      if (record === null || record.uuid !== uuid) throw new TributaryError('CHECKPOINT_FAILED', `malformed mapping item ${uuid} in ${this.#table.tableName}`);
      return record;
    });
  }

  async put(mapping: StoredMapping, expectedVersion: number | null, signal: AbortSignal): Promise<boolean> {
    await this.#open(signal);
    const written = await this.#table.update(
      {
        key: key(mapping.uuid),
        update: 'SET #mapping = :mapping, #version = :version',
        condition: expectedVersion === null ? 'attribute_not_exists(#sk)' : '#version = :expected',
        names: { '#mapping': 'mapping', '#version': 'version', ...(expectedVersion === null ? { '#sk': ATTR.shardId } : {}) },
        values: { ':mapping': str(JSON.stringify(mapping)), ':version': num(mapping.version), ...(expectedVersion === null ? {} : { ':expected': num(expectedVersion) }) },
      },
      signal,
    );
    return written.kind === 'ok';
  }

  async remove(uuid: string, expectedVersion: number, signal: AbortSignal): Promise<boolean> {
    await this.#open(signal);
    const removed = await this.#table.deleteIf(key(uuid), { condition: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': num(expectedVersion) } }, signal);
    return removed.kind === 'ok';
  }

  async close(): Promise<void> {
    this.#table.close();
  }

  /** The lease table, created on demand exactly as the checkpoint store creates it. */
  #open(signal: AbortSignal): Promise<void> {
    this.#opened ??= this.#table.ensureTable(LEASE_TABLE_KEYS, signal).then(
      () => undefined,
      (error: unknown) => {
        this.#opened = null;
        throw error;
      },
    );
    return this.#opened;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function key(uuid: string): Record<string, { S: string }> {
  return { [ATTR.pipeline]: { S: MAPPINGS_PARTITION }, [ATTR.shardId]: { S: uuid } };
}
