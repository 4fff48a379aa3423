/**
 * Checkpoints and shard leases (DESIGN §3.2): the CheckpointStore contract, its two implementations and the lease
 * manager that drives one pipeline's leases. The DynamoDB store is loaded lazily, so the SDK is only imported by
 * configurations that use it.
 */
import type { CheckpointConfig } from '../config/types.js';
import type { Logger } from '../observability/logger.js';
import { FileCheckpointStore } from './file-store.js';
import type { CheckpointStore } from './types.js';
import { FileMappingStore } from './file-mapping-store.js';
import type { MappingStore } from './mapping-store.js';

export { SHARD_END } from './types.js';
export type { CheckpointStore, CheckpointUpdate, NewShard, ShardLease } from './types.js';
export { FileCheckpointStore, type FileCheckpointStoreOptions } from './file-store.js';
export type { DynamoDbCheckpointStoreOptions } from './dynamodb-store.js';
export { LeaseManager, DEFAULT_LEASE_DURATION_MS } from './lease-manager.js';
export type { LeaseLostReason, LeaseManagerOptions, LeaseManagerState } from './lease-manager.js';
export { decideLeases, parentsDone } from './lease-decisions.js';
export type { LeaseAction, LeaseDecision, LeaseDecisionInput, TakeReason } from './lease-decisions.js';
export { LeaseExpiryTracker } from './lease-expiry.js';
export { createWorkerId } from './worker-id.js';
export { FileMappingStore, MAPPINGS_FILE } from './file-mapping-store.js';
export { decodeStoredMapping, type MappingStore, type StoredMapping } from './mapping-store.js';

export interface CreateCheckpointStoreOptions {
  readonly logger?: Logger;
}

/** The store a resolved `checkpoints` config asks for. Does no I/O: the store opens on first use (or `open()`). */
export async function createCheckpointStore(config: CheckpointConfig, options: CreateCheckpointStoreOptions = {}): Promise<CheckpointStore> {
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  switch (config.type) {
    case 'file':
      return new FileCheckpointStore({ directory: config.path, ...logger });
    case 'dynamodb': {
      const { DynamoDbCheckpointStore } = await import('./dynamodb-store.js');
      return new DynamoDbCheckpointStore({ tableName: config.tableName, region: config.region, endpoint: config.endpoint, ...logger });
    }
  }
}

/**
 * Where the mappings created through the Lambda API are kept, beside the checkpoints the config names: a file in
 * the `file` store's folder, or items of their own kind in the DynamoDB lease table. No I/O until first use.
 */
export async function createMappingStore(config: CheckpointConfig): Promise<MappingStore> {
  switch (config.type) {
    case 'file':
      return new FileMappingStore(config.path);
    case 'dynamodb': {
      const { DynamoDbMappingStore } = await import('./dynamodb-mapping-store.js');
      return new DynamoDbMappingStore({ tableName: config.tableName, region: config.region, endpoint: config.endpoint });
    }
  }
}
