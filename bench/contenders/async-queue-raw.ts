/**
 * What one writes by hand with node:sqlite: the same table and durability (WAL, synchronous FULL), one transaction —
 * one fsync — per operation, as a naive durable queue does.
 */
import { DatabaseSync } from 'node:sqlite';
import { randomUUID } from 'node:crypto';
import { asyncQueueParams, measureAsyncQueue } from '../lib/async-queue-params.ts';
import type { Measurement, Params } from '../lib/types.ts';

export async function run(raw: Params): Promise<Measurement> {
  return measureAsyncQueue(asyncQueueParams(raw), async (path) => {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    db.exec('CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, visible_at INTEGER NOT NULL, receipt TEXT)');
    const insert = db.prepare('INSERT INTO messages (body, visible_at) VALUES (?, ?)');
    const due = db.prepare('SELECT seq FROM messages WHERE visible_at <= ? ORDER BY visible_at, seq LIMIT 10');
    const mark = db.prepare('UPDATE messages SET receipt = ?, visible_at = ? WHERE seq = ?');
    const remove = db.prepare('DELETE FROM messages WHERE seq = ? AND receipt = ?');
    const transaction = <T>(work: () => T): T => {
      db.exec('BEGIN IMMEDIATE');
      const result = work();
      db.exec('COMMIT');
      return result;
    };
    return {
      send: async (body) => {
        transaction(() => insert.run(body, Date.now()));
        await Promise.resolve();
      },
      receive: async () =>
        transaction(() => {
          const now = Date.now();
          return (due.all(now) as { seq: number }[]).map((row) => {
            const receipt = randomUUID();
            mark.run(receipt, now + 60_000, row.seq);
            return { seq: row.seq, receipt };
          });
        }),
      delete: async (handles) => {
        transaction(() => {
          for (const handle of handles as { seq: number; receipt: string }[]) remove.run(handle.seq, handle.receipt);
        });
      },
      close: async () => db.close(),
    };
  });
}
