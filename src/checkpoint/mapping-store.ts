/**
 * Event source mappings created through the Lambda API, stored with the checkpoints (issue 13: "stored with the
 * checkpoints, survive restarts, and every replica runs the same set"): in the `file` store's folder for one instance,
 * in the DynamoDB lease table (items of their own kind) for several. Every write is conditional on the version the
 * writer read (optimistic concurrency), so two replicas changing one mapping at once never overwrite each other: the
 * second one is told and answers the caller with a conflict.
 *
 * A record never holds a secret: API input cannot carry one (Secrets-Manager access configurations are refused), and
 * for a pipeline of the config file (`origin: 'file'`) only the parameters the API changed are stored, never its
 * source, whose credentials stay in the file.
 */

/** A mapping as stored. */
export interface StoredMapping {
  /** Lambda's UUID; the pipeline's name for mappings created through the API. */
  readonly uuid: string;
  /** `api`: created through the API. `file`: a pipeline of the config file changed through the API (`fileMappings: writable`). */
  readonly origin: 'api' | 'file';
  /** A function of the config's `functions:` map. */
  readonly functionName: string;
  readonly qualifier: string | null;
  /**
   * The pipeline in the config file's object form without `function` (src/api/ports.ts `PipelineInput`). For
   * `origin: 'file'`, `source` holds only what the API may change (`scalingConfig`); the rest of it is the file's.
   */
  readonly pipeline: Readonly<Record<string, unknown>>;
  /** AWS-only parameters, by AWS name, returned as given. */
  readonly awsOnly: Readonly<Record<string, unknown>>;
  /**
   * `active`: runs (enabled or disabled as `pipeline.enabled` says). `deleting`: every replica drains and stops it,
   * then the record is removed. `deleted` (file pipelines only): it stays stopped although the file still lists it.
   */
  readonly status: 'active' | 'deleting' | 'deleted';
  readonly lastModifiedMs: number;
  /** 1 for a new record, +1 on every write. */
  readonly version: number;
}

/** Storage of mappings; failures are TributaryErrors (`CHECKPOINT_FAILED`, retryable when they may pass). */
export interface MappingStore {
  /** Every stored mapping (deleting ones included). */
  list(signal: AbortSignal): Promise<readonly StoredMapping[]>;
  /**
   * Writes `mapping` when the stored record's version is `expectedVersion` (null: no record may exist yet).
   * @returns false when another writer got there first (nothing was written).
   */
  put(mapping: StoredMapping, expectedVersion: number | null, signal: AbortSignal): Promise<boolean>;
  /** Removes the record when its version is `expectedVersion`; false when it changed or is gone. */
  remove(uuid: string, expectedVersion: number, signal: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

/** Parses a stored record (JSON written by this module); null when it is not one (damaged, or from a later layout). */
export function decodeStoredMapping(value: unknown): StoredMapping | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const record = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (typeof v['uuid'] !== 'string' || typeof v['functionName'] !== 'string' || !record(v['pipeline']) || !record(v['awsOnly'])) return null;
  if (v['origin'] !== 'api' && v['origin'] !== 'file') return null;
  if (v['status'] !== 'active' && v['status'] !== 'deleting' && v['status'] !== 'deleted') return null;
  if (v['qualifier'] !== null && typeof v['qualifier'] !== 'string') return null;
  if (typeof v['lastModifiedMs'] !== 'number' || !Number.isSafeInteger(v['version'])) return null;
  return {
    uuid: v['uuid'],
    origin: v['origin'],
    functionName: v['functionName'],
    qualifier: v['qualifier'],
    pipeline: v['pipeline'],
    awsOnly: v['awsOnly'],
    status: v['status'],
    lastModifiedMs: v['lastModifiedMs'],
    version: v['version'] as number,
  };
}
