/**
 * StartingPosition for a NEW consumer group, as Lambda applies it: "If the group already exists, StartingPosition is
 * ignored and the committed offsets are used" (https://docs.aws.amazon.com/lambda/latest/dg/kafka-consumer-group-id.html,
 * reference §3.9). "Exists" is decided per topic: the group has a committed offset for some partition of it.
 *
 * - TRIM_HORIZON: kafkajs's `fromBeginning` (auto reset to the earliest offset) does it; nothing to commit.
 * - LATEST and AT_TIMESTAMP: the start offsets are looked up when the pipeline starts (the end of each partition, or
 *   ListOffsets by timestamp — the first offset whose timestamp is at or after it, the end when there is none) and
 *   COMMITTED before the consumer joins. The position is then durable: a restart before the first batch does not move
 *   LATEST forward (records produced meanwhile are not skipped), and from then on the group "exists".
 *   The commit needs a group without members; if another instance is already in the group, that instance pinned
 *   the offsets itself. Partitions left without a commit start with `fromBeginning` semantics (see below).
 */
import type { Logger } from 'pino';
import type { CommittedOffset, PartitionOffset } from './client.js';

export type KafkaStartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

/** The admin calls pinning needs (implemented by KafkaApi). */
export interface StartPositionApi {
  committedOffsets(groupId: string, topic: string, signal: AbortSignal): Promise<readonly CommittedOffset[]>;
  offsetsForTimestamp(topic: string, timestampMs: number, signal: AbortSignal): Promise<readonly PartitionOffset[]>;
  endOffsets(topic: string, signal: AbortSignal): Promise<readonly PartitionOffset[]>;
  groupState(groupId: string, signal: AbortSignal): Promise<string>;
  commitAsNewMember(groupId: string, topic: string, offsets: readonly PartitionOffset[], signal: AbortSignal): Promise<void>;
}

export interface PinRequest {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly position: KafkaStartingPosition;
  /** Required for AT_TIMESTAMP. */
  readonly timestampMs: number | null;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * kafkajs `fromBeginning` for partitions without a committed offset: LATEST reads from the end; TRIM_HORIZON from
 * the start; AT_TIMESTAMP too, since such a partition was not there when the position was pinned (a partition added
 * later), so none of its records can predate the mapping — reading it from the start never skips one.
 */
export function fromBeginning(position: KafkaStartingPosition): boolean {
  return position !== 'LATEST';
}

/** Commits the starting offsets of every topic the group has no committed offset for (see the file comment). */
export async function pinStartingPositions(api: StartPositionApi, request: PinRequest): Promise<void> {
  const { groupId, position, logger, signal } = request;
  if (position === 'TRIM_HORIZON') return;
  for (const topic of request.topics) {
    const committed = await api.committedOffsets(groupId, topic, signal);
    if (committed.some((p) => p.offset !== null)) {
      logger.info({ topic, groupId }, 'consumer group exists: startingPosition is ignored, resuming from the committed offsets');
      continue;
    }
    const offsets =
      position === 'AT_TIMESTAMP' ? await api.offsetsForTimestamp(topic, request.timestampMs ?? 0, signal) : await api.endOffsets(topic, signal);
    const state = await api.groupState(groupId, signal);
    if (state === 'Empty' || state === 'Dead') {
      try {
        await api.commitAsNewMember(groupId, topic, offsets, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        logger.warn({ topic, groupId, err: error instanceof Error ? error.message : 'unknown' }, 'could not commit the starting offsets');
      }
    }
    const after = await api.committedOffsets(groupId, topic, signal);
    const missing = after.filter((p) => p.offset === null).map((p) => p.partition);
    if (missing.length > 0) {
      logger.warn({ topic, groupId, partitions: missing, fromBeginning: fromBeginning(position) }, 'starting offsets not committed for some partitions');
    } else {
      logger.info({ topic, groupId, startingPosition: position, offsets }, 'new consumer group: starting offsets committed');
    }
  }
}
