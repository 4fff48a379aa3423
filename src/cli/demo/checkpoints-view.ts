/** Reads the demo pipeline's checkpoint file (the `file` store's JSON, checkpoint/file-format.ts) to show positions. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointFileName } from '../../checkpoint/file-format.js';

export interface ShardCheckpoint {
  readonly shardId: string;
  /** Sequence number of the last settled record, or null before the first checkpoint. */
  readonly checkpoint: string | null;
}

/** The checkpoint file of `pipeline` under `directory`. */
export const checkpointFile = (directory: string, pipeline: string): string => join(directory, checkpointFileName(pipeline));

/** The shards' checkpoints, or an empty list when the file does not exist yet or cannot be read. */
export async function readCheckpoints(directory: string, pipeline: string): Promise<ShardCheckpoint[]> {
  try {
    const doc = JSON.parse(await readFile(checkpointFile(directory, pipeline), 'utf8')) as { leases?: unknown };
    if (!Array.isArray(doc.leases)) return [];
    return doc.leases.flatMap((lease: unknown) => {
      const { shardId, checkpoint } = (lease ?? {}) as { shardId?: unknown; checkpoint?: unknown };
      return typeof shardId === 'string' ? [{ shardId, checkpoint: typeof checkpoint === 'string' ? checkpoint : null }] : [];
    });
  } catch {
    return [];
  }
}

/** `…` and the last 8 digits of a long sequence number. */
export const shortSequence = (sequence: string): string => (sequence.length > 12 ? `…${sequence.slice(-8)}` : sequence);
