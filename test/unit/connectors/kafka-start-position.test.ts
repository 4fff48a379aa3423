// StartingPosition applies to new consumer groups only: the decisions of pinStartingPositions with a fake admin.

import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { CommittedOffset, PartitionOffset } from '../../../connectors/kafka/client.js';
import { fromBeginning, pinStartingPositions, type StartPositionApi } from '../../../connectors/kafka/start-position.js';

interface FakeState {
  committed: Map<string, CommittedOffset[]>;
  groupState: string;
  calls: string[];
  /** What commitAsNewMember does: commit all, or nothing (another member took the partitions). */
  commitWorks: boolean;
}

function fakeApi(state: FakeState): StartPositionApi {
  return {
    committedOffsets: async (_groupId, topic) => state.committed.get(topic) ?? [0, 1].map((partition) => ({ partition, offset: null, metadata: null })),
    offsetsForTimestamp: async (topic, ts) => {
      state.calls.push(`timestamp:${topic}:${ts}`);
      return [{ partition: 0, offset: '3' }, { partition: 1, offset: '7' }];
    },
    endOffsets: async (topic) => {
      state.calls.push(`end:${topic}`);
      return [{ partition: 0, offset: '10' }, { partition: 1, offset: '20' }];
    },
    groupState: async () => state.groupState,
    commitAsNewMember: async (_groupId, topic, offsets: readonly PartitionOffset[]) => {
      state.calls.push(`commit:${topic}:${offsets.map((o) => `${o.partition}@${o.offset}`).join(',')}`);
      if (state.commitWorks) state.committed.set(topic, offsets.map((o) => ({ partition: o.partition, offset: o.offset, metadata: null })));
    },
  };
}

const newState = (overrides: Partial<FakeState> = {}): FakeState => ({ committed: new Map(), groupState: 'Dead', calls: [], commitWorks: true, ...overrides });
const request = { groupId: 'g', topics: ['a'], timestampMs: null, logger: pino({ level: 'silent' }), signal: new AbortController().signal };

describe('pinStartingPositions', () => {
  it('commits the end offsets for LATEST and the timestamp offsets for AT_TIMESTAMP on a new group', async () => {
    const latest = newState();
    await pinStartingPositions(fakeApi(latest), { ...request, position: 'LATEST' });
    expect(latest.calls).toEqual(['end:a', 'commit:a:0@10,1@20']);
    const atTimestamp = newState({ groupState: 'Empty' });
    await pinStartingPositions(fakeApi(atTimestamp), { ...request, position: 'AT_TIMESTAMP', timestampMs: 1234 });
    expect(atTimestamp.calls).toEqual(['timestamp:a:1234', 'commit:a:0@3,1@7']);
  });

  it('leaves TRIM_HORIZON to fromBeginning and never touches a group that has offsets for the topic', async () => {
    const trim = newState();
    await pinStartingPositions(fakeApi(trim), { ...request, position: 'TRIM_HORIZON' });
    expect(trim.calls).toEqual([]);
    const existing = newState({ committed: new Map([['a', [{ partition: 0, offset: '5', metadata: null }, { partition: 1, offset: null, metadata: null }]]]) });
    await pinStartingPositions(fakeApi(existing), { ...request, position: 'LATEST' });
    expect(existing.calls).toEqual([]);
  });

  it('does not commit into a group that has members, and decides per topic', async () => {
    const busy = newState({ groupState: 'Stable' });
    await pinStartingPositions(fakeApi(busy), { ...request, position: 'LATEST' });
    expect(busy.calls).toEqual(['end:a']);
    const mixed = newState({ committed: new Map([['a', [{ partition: 0, offset: '1', metadata: null }]]]) });
    await pinStartingPositions(fakeApi(mixed), { ...request, topics: ['a', 'b'], position: 'LATEST' });
    expect(mixed.calls).toEqual(['end:b', 'commit:b:0@10,1@20']);
  });

  it('reads new partitions from the start except for LATEST', () => {
    expect([fromBeginning('TRIM_HORIZON'), fromBeginning('AT_TIMESTAMP'), fromBeginning('LATEST')]).toEqual([true, true, false]);
  });
});
