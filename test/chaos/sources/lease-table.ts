/**
 * The lease table the stream pipelines share (on the campaign's DynamoDB Local), read through Tributary's own
 * store: what is left unsettled at the end is every shard whose checkpoint is not at its last record.
 */
import type * as Checkpoints from '../../../src/checkpoint/index.js';
import { CHAOS_ENDPOINTS } from '../services.ts';

// The built store (Node runs this file without a TypeScript resolver; the campaign needs the build anyway).
const { createCheckpointStore, SHARD_END } = (await import(new URL('../../../dist/src/checkpoint/index.js', import.meta.url).href)) as typeof Checkpoints;

export const LEASE_DURATION_S = 4;

export function leaseTableYaml(table: string): string {
  return `{ type: dynamodb, tableName: ${table}, endpoint: "${CHAOS_ENDPOINTS.dynamodb}", region: us-east-1, leaseDurationSeconds: ${LEASE_DURATION_S} }`;
}

/** Shards whose checkpoint is behind the last sequence number written to them (`last`: shard → sequence number). */
export async function shardsBehind(table: string, pipeline: string, last: ReadonlyMap<string, string>): Promise<number> {
  const store = await createCheckpointStore({ type: 'dynamodb', tableName: table, region: 'us-east-1', endpoint: CHAOS_ENDPOINTS.dynamodb, leaseDurationMs: LEASE_DURATION_S * 1000 });
  try {
    const leases = await store.list(pipeline, AbortSignal.timeout(30_000));
    const checkpoints = new Map(leases.map((l) => [l.shardId, l.checkpoint]));
    let behind = 0;
    for (const [shard, sequence] of last) {
      const checkpoint = checkpoints.get(shard) ?? null;
      if (checkpoint === SHARD_END) continue;
      if (checkpoint === null || BigInt(checkpoint) < BigInt(sequence)) behind += 1;
    }
    return behind;
  } finally {
    await store.close();
  }
}
