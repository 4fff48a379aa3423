/**
 * The `file` MappingStore: one JSON document, `api.mappings.json`, next to the checkpoint files (a pipeline name
 * cannot contain a dot, so it can never be a pipeline's checkpoint file), replaced atomically on every write
 * (atomic-write.ts) and guarded by a lock file like the checkpoints (one process only; file-lock.ts). The records live
 * in memory, the file is their durable copy; writes are applied one at a time and memory changes only after the file
 * was written.
 *
 * ```json
 * { "format": "tributary-mappings/1", "mappings": [ { "uuid": "…", "origin": "api", "functionName": "orders", … } ] }
 * ```
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryError, errorMessage } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { FileLock } from './file-lock.js';
import { decodeStoredMapping, type MappingStore, type StoredMapping } from './mapping-store.js';

export const MAPPINGS_FILE = 'api.mappings.json';
const FORMAT = 'tributary-mappings/1';

interface Loaded {
  readonly lock: FileLock;
  records: ReadonlyMap<string, StoredMapping>;
}

export class FileMappingStore implements MappingStore {
  readonly #path: string;
  #loaded: Promise<Loaded> | null = null;
  /** Writes one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(directory: string) {
    this.#path = join(directory, MAPPINGS_FILE);
  }

  async list(signal: AbortSignal): Promise<readonly StoredMapping[]> {
    return [...(await this.#load(signal)).records.values()];
  }

  put(mapping: StoredMapping, expectedVersion: number | null, signal: AbortSignal): Promise<boolean> {
    return this.#write(signal, (records) => {
      const current = records.get(mapping.uuid);
      if ((current?.version ?? null) !== expectedVersion) return null;
      return new Map(records).set(mapping.uuid, mapping);
    });
  }

  remove(uuid: string, expectedVersion: number, signal: AbortSignal): Promise<boolean> {
    return this.#write(signal, (records) => {
      if (records.get(uuid)?.version !== expectedVersion) return null;
      const next = new Map(records);
      next.delete(uuid);
      return next;
    });
  }

  /** Waits for queued writes, then removes the lock file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    const loaded = await this.#loaded?.catch(() => null);
    await loaded?.lock.release();
  }

  /** Applies `change` (null: refused) to the records and writes the file; memory changes only once it is written. */
  #write(signal: AbortSignal, change: (records: ReadonlyMap<string, StoredMapping>) => ReadonlyMap<string, StoredMapping> | null): Promise<boolean> {
    const next = this.#queue.then(async () => {
      const loaded = await this.#load(signal);
      const records = change(loaded.records);
      if (records === null) return false;
      const document = { format: FORMAT, mappings: [...records.values()].sort((a, b) => a.uuid.localeCompare(b.uuid)) };
      try {
        await writeFileAtomic(this.#path, `${JSON.stringify(document, null, 2)}\n`);
      } catch (error) {
        throw new TributaryError('CHECKPOINT_FAILED', `cannot write ${this.#path}: ${errorMessage(error)}`, { cause: error, retryable: true });
      }
      loaded.records = records;
      return true;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #load(signal: AbortSignal): Promise<Loaded> {
    if (this.#closed) return Promise.reject(new TributaryError('STOPPED', 'the mapping store is closed'));
    if (signal.aborted) return Promise.reject(new TributaryError('STOPPED', 'mapping store call aborted', { retryable: true }));
    this.#loaded ??= this.#read().catch((error: unknown) => {
      this.#loaded = null; // the next call tries again
      throw error;
    });
    return this.#loaded;
  }

  async #read(): Promise<Loaded> {
    const directory = join(this.#path, '..');
    await mkdir(directory, { recursive: true }).catch((error: unknown) => {
      throw new TributaryError('CHECKPOINT_FAILED', `cannot create ${directory}: ${errorMessage(error)}`, { cause: error });
    });
    const lock = await FileLock.acquire(`${this.#path}.lock`);
    try {
      let text: string | null = null;
      try {
        text = await readFile(this.#path, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw new TributaryError('CHECKPOINT_FAILED', `cannot read ${this.#path}: ${errorMessage(error)}`, { cause: error, retryable: true });
      }
      return { lock, records: new Map((text === null ? [] : decode(text, this.#path)).map((record) => [record.uuid, record])) };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
}

function decode(text: string, path: string): StoredMapping[] {
  const damaged = (why: string): TributaryError => new TributaryError('CHECKPOINT_FAILED', `${path} is damaged: ${why}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw damaged('not JSON');
  }
  const { format, mappings } = (document ?? {}) as { format?: unknown; mappings?: unknown };
  if (format !== FORMAT || !Array.isArray(mappings)) throw damaged(`expected "format": "${FORMAT}" and a "mappings" list`);
  return mappings.map((entry: unknown, index) => {
    const record = decodeStoredMapping(entry);
    if (record === null) throw damaged(`mappings[${index}] is not a mapping record`);
    return record;
  });
}
