import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../../src/observability/events.js';
import { RecentEvents, RingBuffer } from '../../../src/observability/recent-events.js';

describe('RingBuffer', () => {
  it('keeps the newest `capacity` items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });
  it('refuses a non-positive capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

describe('RecentEvents', () => {
  it('records notable events per pipeline, newest first, and ignores routine ones', () => {
    let t = 1000;
    const recent = new RecentEvents({ capacity: 3, now: () => t++, maxTextLength: 10 });
    const events = new TypedEmitter(() => undefined);
    const off = recent.subscribe(events);
    events.emit('batch-invoked', { pipeline: 'p', shard: 's', batchId: 'b0', size: 5, durationMs: 1, failedIds: [] });
    events.emit('records-discarded', { pipeline: 'p', shard: 's', reason: 'filtered', count: 2 });
    events.emit('batch-failed', { pipeline: 'p', shard: 's', batchId: 'b1', size: 5, kind: 'threw', errorType: 'E', errorMessage: 'x'.repeat(20) });
    events.emit('batch-invoked', { pipeline: 'p', shard: 's', batchId: 'b2', size: 5, durationMs: 1, failedIds: ['a', 'b'] });
    events.emit('records-discarded', { pipeline: 'p', shard: 's', reason: 'on-failure', count: 1 });
    events.emit('state-changed', { pipeline: 'other', state: 'Enabled', reason: null });
    const list = recent.list('p');
    expect(list.map((e) => e.kind)).toEqual(['on-failure', 'partial-failure', 'batch-failed']);
    expect(list[2]).toMatchObject({ errorMessage: `${'x'.repeat(10)}…`, atMs: 1000 });
    expect(recent.list('other')).toMatchObject([{ kind: 'state-changed', state: 'Enabled' }]);
    off();
    events.emit('error', { pipeline: 'p', code: 'X', message: 'late' });
    expect(recent.list('p')).toHaveLength(3);
  });
});
