/**
 * The embedded asynchronous-invocation queue (issue 14): one SQLite database (Node's built-in `node:sqlite`) in the
 * state directory, holding one queue per declared function, with the semantics of an SQS standard queue so the same
 * lane engine drains it as it drains SQS — a message is invisible for a delay after it is sent, a receive hides it for
 * a visibility timeout and counts the delivery (ApproximateReceiveCount), only the latest receipt deletes it or changes
 * its visibility. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 *
 * Durability: WAL journal with `synchronous = FULL`, so a committed message survives a crash of the process and of
 * the machine. Writes are group-committed: every operation asked for while a commit is on its way joins the next
 * transaction, so concurrent Invokes share one fsync instead of paying one each.
 *
 * One process: `locking_mode = EXCLUSIVE` keeps the database locked by this process for as long as it is open (the
 * operating system drops the lock when the process dies, even by kill -9), so a second process pointed at the same
 * state directory is refused, and messages found in flight when the database opens belong to a run that is gone —
 * they are made visible at once instead of waiting out their visibility timeout. Inside the process, every user of a
 * path shares one connection (`acquireQueueDatabase`).
 */
import type * as Sqlite from 'node:sqlite';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TributaryError, errorMessage } from '../../src/errors.js';

/** A message as a receive returns it. */
export interface ReceivedMessage {
  readonly seq: number;
  readonly id: string;
  readonly body: string;
  readonly sentAtMs: number;
  /** Deliveries so far, this one included. */
  readonly receiveCount: number;
  /** Proof of this delivery: only it deletes the message or changes its visibility. */
  readonly receipt: string;
}

/** One delivery of a message, as `delete`, `changeVisibility` and `extend` name it. */
export interface Receipt {
  readonly seq: number;
  readonly receipt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  receipt TEXT
);
CREATE INDEX IF NOT EXISTS messages_due ON messages (queue, visible_at);
`;

/** How long a second process waits for the lock before it is refused. */
const LOCK_WAIT_MS = 2_000;

type Statements = Record<'insert' | 'due' | 'mark' | 'remove' | 'show' | 'extend' | 'depth' | 'nextDue' | 'reclaim', StatementSync>;

interface PendingWrite {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class QueueDatabase {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #sql: Statements;
  readonly #now: () => number;
  readonly #waiters = new Map<string, Set<() => void>>();
  #pending: PendingWrite[] = [];
  #flushScheduled = false;
  #closed = false;

  private constructor(path: string, db: DatabaseSync, now: () => number) {
    this.path = path;
    this.#db = db;
    this.#now = now;
    this.#sql = {
      insert: db.prepare('INSERT INTO messages (queue, id, body, sent_at, visible_at) VALUES (?, ?, ?, ?, ?)'),
      due: db.prepare('SELECT seq, id, body, sent_at, receive_count FROM messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?'),
      mark: db.prepare('UPDATE messages SET receive_count = receive_count + 1, receipt = ?, visible_at = ? WHERE seq = ?'),
      remove: db.prepare('DELETE FROM messages WHERE seq = ? AND receipt = ?'),
      show: db.prepare('UPDATE messages SET receipt = NULL, visible_at = ? WHERE seq = ? AND receipt = ?'),
      extend: db.prepare('UPDATE messages SET visible_at = ? WHERE seq = ? AND receipt = ?'),
      depth: db.prepare('SELECT count(*) AS n, min(sent_at) AS oldest FROM messages WHERE queue = ?'),
      nextDue: db.prepare('SELECT min(visible_at) AS due FROM messages WHERE queue = ?'),
      reclaim: db.prepare('UPDATE messages SET receipt = NULL, visible_at = ? WHERE receipt IS NOT NULL'),
    };
  }

  /**
   * Opens (creating it when missing) the database at `path`, takes its lock and hands back what a previous run left
   * in flight.
   * @throws TributaryError SOURCE_UNAVAILABLE (retryable) when another process holds it or it cannot be opened.
   */
  static async open(path: string, now: () => number): Promise<QueueDatabase> {
    const { DatabaseSync } = await loadSqlite();
    let db: DatabaseSync | null = null;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${LOCK_WAIT_MS}; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;`);
      // The first write takes the exclusive lock now, so a second process fails here and not at its first Invoke.
      db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`);
      const queue = new QueueDatabase(path, db, now);
      queue.#sql.reclaim.run(now());
      return queue;
    } catch (error) {
      db?.close();
      const locked = /locked|busy/i.test(errorMessage(error));
      throw new TributaryError(
        'SOURCE_UNAVAILABLE',
        locked
          ? `the asynchronous-invocation queue ${path} is open in another process: it serves one process only (use an SQS queue for several replicas)`
          : `cannot open the asynchronous-invocation queue ${path}: ${errorMessage(error)}`,
        { retryable: true, cause: error },
      );
    }
  }

  /** Stores `messages` in `queue` (one transaction, durable when it resolves). */
  send(queue: string, messages: readonly { readonly body: string; readonly delayMs: number }[]): Promise<void> {
    const write = this.#write(() => {
      const at = this.#now();
      for (const message of messages) this.#sql.insert.run(queue, randomUUID(), message.body, at, at + Math.max(0, message.delayMs));
    });
    return write.then(() => this.#wake(queue));
  }

  /** Up to `max` due messages of `queue`, each hidden for `visibilityMs` and counted as delivered once more. */
  receive(queue: string, max: number, visibilityMs: number): Promise<readonly ReceivedMessage[]> {
    return this.#write(() => {
      const at = this.#now();
      const rows = this.#sql.due.all(queue, at, max) as unknown as readonly DueRow[];
      return rows.map((row): ReceivedMessage => {
        const receipt = randomUUID();
        this.#sql.mark.run(receipt, at + visibilityMs, row.seq);
        return { seq: row.seq, id: row.id, body: row.body, sentAtMs: row.sent_at, receiveCount: row.receive_count + 1, receipt };
      });
    });
  }

  /** Deletes the messages of these deliveries; returns how many still had them (a stale receipt deletes nothing). */
  delete(receipts: readonly Receipt[]): Promise<number> {
    return this.#write(() => receipts.reduce((n, r) => n + Number(this.#sql.remove.run(r.seq, r.receipt).changes), 0));
  }

  /** Hands the messages back, visible again after `delayMs` (SQS ChangeMessageVisibility). */
  async changeVisibility(queue: string, receipts: readonly Receipt[], delayMs: number): Promise<number> {
    const changed = await this.#write(() => {
      const at = this.#now() + Math.max(0, delayMs);
      return receipts.reduce((n, r) => n + Number(this.#sql.show.run(at, r.seq, r.receipt).changes), 0);
    });
    this.#wake(queue);
    return changed;
  }

  /** Keeps the messages of these deliveries hidden for `visibilityMs` more (the lane still works on them). */
  extend(receipts: readonly Receipt[], visibilityMs: number): Promise<number> {
    return this.#write(() => {
      const at = this.#now() + visibilityMs;
      return receipts.reduce((n, r) => n + Number(this.#sql.extend.run(at, r.seq, r.receipt).changes), 0);
    });
  }

  /** Messages stored in `queue` and when the oldest was sent. */
  depth(queue: string): { readonly messages: number; readonly oldestSentAtMs: number | null } {
    this.#open();
    const row = this.#sql.depth.get(queue) as { n: number; oldest: number | null } | undefined;
    return { messages: Number(row?.n ?? 0), oldestSentAtMs: row?.oldest ?? null };
  }

  /**
   * Resolves once `queue` may have a due message — something was sent or handed back, the next delayed message came
   * due — or after `waitMs`, or when `signal` aborts (a long poll).
   */
  async waitForMessages(queue: string, waitMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || waitMs <= 0 || this.#closed) return;
    const next = (this.#sql.nextDue.get(queue) as { due: number | null } | undefined)?.due ?? null;
    const untilDue = next === null ? waitMs : Math.max(0, next - this.#now());
    await new Promise<void>((resolve) => {
      const waiters = this.#waiters.get(queue) ?? new Set<() => void>();
      this.#waiters.set(queue, waiters);
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(waitMs, untilDue));
      signal.addEventListener('abort', done, { once: true });
      waiters.add(done);
    });
  }

  /** Commits what is pending, then closes the connection (the lock goes with it). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#write(() => undefined).catch(() => undefined);
    this.#closed = true;
    for (const waiters of this.#waiters.values()) for (const wake of [...waiters]) wake();
    this.#db.close();
  }

  #wake(queue: string): void {
    for (const wake of [...(this.#waiters.get(queue) ?? [])]) wake();
  }

  #open(): void {
    if (this.#closed) throw new TributaryError('STOPPED', `the asynchronous-invocation queue ${this.path} is closed`);
  }

  /** Runs `run` in the next group commit; resolves with its result once the transaction is durable. */
  #write<T>(run: () => T): Promise<T> {
    try {
      this.#open();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const results: unknown[] = [];
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      for (const write of batch) results.push(write.run());
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      const failure = new TributaryError('SOURCE_UNAVAILABLE', `the asynchronous-invocation queue ${this.path} refused a write: ${errorMessage(error)}`, { retryable: true, cause: error });
      for (const write of batch) write.reject(failure);
      return;
    }
    batch.forEach((write, index) => write.resolve(results[index]));
  }
}

interface DueRow {
  readonly seq: number;
  readonly id: string;
  readonly body: string;
  readonly sent_at: number;
  readonly receive_count: number;
}

async function loadSqlite(): Promise<typeof Sqlite> {
  try {
    return await import('node:sqlite');
  } catch (error) {
    throw new TributaryError('SOURCE_UNAVAILABLE', `the embedded asynchronous-invocation queue needs node:sqlite (Node.js 22.13 or later): ${errorMessage(error)}`, { cause: error });
  }
}

/** The open databases of this process, by path, with their users. */
const shared = new Map<string, { readonly opened: Promise<QueueDatabase>; users: number }>();

/**
 * The database at `path` for one more user of this process (the queue's producer, each internal pipeline's source):
 * they share one connection, which `release` closes after the last one.
 */
export async function acquireQueueDatabase(path: string, now: () => number): Promise<{ readonly database: QueueDatabase; release: () => Promise<void> }> {
  let entry = shared.get(path);
  if (entry === undefined) {
    const opened = QueueDatabase.open(path, now);
    entry = { opened, users: 0 };
    shared.set(path, entry);
    const created = entry;
    opened.catch(() => {
      if (shared.get(path) === created) shared.delete(path);
    });
  }
  entry.users += 1;
  const held = entry;
  let database: QueueDatabase;
  try {
    database = await held.opened;
  } catch (error) {
    held.users -= 1;
    throw error;
  }
  let released = false;
  return {
    database,
    release: async () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users > 0) return;
      shared.delete(path);
      await database.close();
    },
  };
}
