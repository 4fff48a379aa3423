import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueDatabase, acquireQueueDatabase } from '../../../connectors/async-queue/database.js';

const path = (): string => join(mkdtempSync(join(tmpdir(), 'tributary-async-db-')), 'queue.sqlite');

describe('the embedded asynchronous queue (SQS semantics on node:sqlite, injected clock)', () => {
  it('a delayed message is invisible until due; a receive hides it for the visibility timeout and counts the delivery', async () => {
    let now = 1_000;
    const db = await QueueDatabase.open(path(), () => now);
    await db.send('orders', [{ body: 'a', delayMs: 0 }, { body: 'b', delayMs: 5_000 }]);
    const first = await db.receive('orders', 10, 60_000);
    expect(first.map((m) => [m.body, m.receiveCount])).toEqual([['a', 1]]);
    expect(await db.receive('orders', 10, 60_000)).toEqual([]);
    now += 5_000;
    expect((await db.receive('orders', 10, 60_000)).map((m) => m.body)).toEqual(['b']);
    now += 60_000;
    const again = await db.receive('orders', 10, 60_000);
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([['a', 2], ['b', 2]]);
    expect(await db.receive('other', 10, 60_000)).toEqual([]);
    await db.close();
  });

  it('only the latest receipt deletes or hands back a message', async () => {
    let now = 0;
    const db = await QueueDatabase.open(path(), () => now);
    await db.send('q', [{ body: 'x', delayMs: 0 }]);
    const [stale] = await db.receive('q', 1, 10);
    now += 10;
    const [fresh] = await db.receive('q', 1, 10);
    if (stale === undefined || fresh === undefined) throw new Error('expected deliveries');
    expect(await db.delete([{ seq: stale.seq, receipt: stale.receipt }])).toBe(0);
    expect(await db.changeVisibility('q', [{ seq: fresh.seq, receipt: fresh.receipt }], 1_000)).toBe(1);
    expect(await db.receive('q', 1, 10)).toEqual([]);
    now += 1_000;
    const [third] = await db.receive('q', 1, 10);
    expect(third?.receiveCount).toBe(3);
    expect(await db.delete([{ seq: third?.seq ?? 0, receipt: third?.receipt ?? '' }])).toBe(1);
    expect(db.depth('q')).toEqual({ messages: 0, oldestSentAtMs: null });
    await db.close();
  });

  it('what a closed run left in flight is visible again at once when the database reopens, and stays stored', async () => {
    const file = path();
    let now = 50;
    const first = await acquireQueueDatabase(file, () => now);
    await first.database.send('q', [{ body: 'kept', delayMs: 0 }]);
    expect(await first.database.receive('q', 1, 3_600_000)).toHaveLength(1);
    await first.release();
    now += 1;
    const second = await acquireQueueDatabase(file, () => now);
    expect(second.database.depth('q')).toEqual({ messages: 1, oldestSentAtMs: 50 });
    expect((await second.database.receive('q', 1, 60_000)).map((m) => [m.body, m.receiveCount])).toEqual([['kept', 2]]);
    await second.release();
  });

  it('users of one path in a process share one connection, closed after the last release', async () => {
    const file = path();
    const a = await acquireQueueDatabase(file, Date.now);
    const b = await acquireQueueDatabase(file, Date.now);
    expect(a.database).toBe(b.database);
    await a.release();
    await a.database.send('q', [{ body: 'still open', delayMs: 0 }]);
    await b.release();
    await expect(b.database.send('q', [{ body: 'closed', delayMs: 0 }])).rejects.toMatchObject({ code: 'STOPPED' });
  });

  it('a long poll wakes when a message is sent', async () => {
    const db = await QueueDatabase.open(path(), Date.now);
    const waiting = db.waitForMessages('q', 60_000, new AbortController().signal);
    await db.send('q', [{ body: 'wake', delayMs: 0 }]);
    await waiting;
    expect((await db.receive('q', 1, 1_000)).map((m) => m.body)).toEqual(['wake']);
    await db.close();
  });
});
