/**
 * The JSON document the `file` store keeps per pipeline. Versioned so a later layout can read this one.
 *
 * ```json
 * { "format": "tributary-checkpoints/1", "pipeline": "orders",
 *   "leases": [ { "shardId": "shardId-000", "parentShardIds": [], "checkpoint": "4959…", "attempt": 0,
 *                 "laneState": null, "owner": "host-123-ab12", "counter": 42, "ownerSwitchesSinceCheckpoint": 0 } ] }
 * ```
 * (`laneState` is absent in files written before it existed: read as null.)
 * ```
 * ```
 */
import { TributaryError } from '../errors.js';
import type { ShardLease } from './types.js';

export const FILE_FORMAT = 'tributary-checkpoints/1';

/** The file name of a pipeline's checkpoints: URI-encoded, so any pipeline name is one safe file name. */
export function checkpointFileName(pipeline: string): string {
  return `${encodeURIComponent(pipeline)}.json`;
}

export function encodeCheckpointFile(pipeline: string, leases: Iterable<ShardLease>): string {
  const rows = [...leases].map((l) => ({
    shardId: l.shardId,
    parentShardIds: l.parentShardIds,
    checkpoint: l.checkpoint,
    attempt: l.attempt,
    laneState: l.laneState,
    owner: l.owner,
    counter: l.counter,
    ownerSwitchesSinceCheckpoint: l.ownerSwitchesSinceCheckpoint,
    handoffTo: l.handoffTo,
    throughput: l.throughput,
  }));
  return `${JSON.stringify({ format: FILE_FORMAT, pipeline, leases: rows }, null, 2)}\n`;
}

/** Parses a checkpoint file; a damaged one is a non-retryable CHECKPOINT_FAILED naming the file. */
export function decodeCheckpointFile(text: string, pipeline: string, file: string): ShardLease[] {
  const fail = (why: string, cause?: unknown): TributaryError =>
    new TributaryError('CHECKPOINT_FAILED', `checkpoint file ${file} is damaged: ${why}`, cause === undefined ? {} : { cause });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fail('not JSON', error);
  }
  if (!isRecord(doc) || doc['format'] !== FILE_FORMAT) throw fail(`expected "format": "${FILE_FORMAT}"`);
  if (doc['pipeline'] !== pipeline) throw fail(`it belongs to pipeline ${JSON.stringify(doc['pipeline'])}, not ${JSON.stringify(pipeline)}`);
  const rows = doc['leases'];
  if (!Array.isArray(rows)) throw fail('"leases" is not a list');
  return rows.map((row: unknown, i) => {
    if (!isRecord(row)) throw fail(`leases[${i}] is not an object`);
    const { shardId, parentShardIds, checkpoint, attempt, owner, counter, ownerSwitchesSinceCheckpoint } = row;
    const laneState = row['laneState'] ?? null;
    if (laneState !== null && typeof laneState !== 'string') throw fail(`leases[${i}].laneState`);
    // Absent in files written before graceful hand-over and load balancing existed.
    const handoffTo = row['handoffTo'] ?? null;
    if (handoffTo !== null && typeof handoffTo !== 'string') throw fail(`leases[${i}].handoffTo`);
    const throughput = row['throughput'] ?? 0;
    if (typeof throughput !== 'number' || !Number.isFinite(throughput) || throughput < 0) throw fail(`leases[${i}].throughput`);
    if (typeof shardId !== 'string') throw fail(`leases[${i}].shardId is not a string`);
    if (!Array.isArray(parentShardIds) || !parentShardIds.every((p) => typeof p === 'string')) throw fail(`leases[${i}].parentShardIds`);
    if (checkpoint !== null && typeof checkpoint !== 'string') throw fail(`leases[${i}].checkpoint`);
    if (owner !== null && typeof owner !== 'string') throw fail(`leases[${i}].owner`);
    if (!isCount(attempt) || !isCount(counter) || !isCount(ownerSwitchesSinceCheckpoint)) throw fail(`leases[${i}] has a bad number`);
    return { pipeline, shardId, parentShardIds: parentShardIds as string[], checkpoint, attempt, laneState, owner, counter, ownerSwitchesSinceCheckpoint, handoffTo, throughput };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
