/**
 * A best-effort guard against two processes sharing one checkpoint file, which the `file` store does not support
 * (it keeps the leases in memory and is the only writer). The lock is a file created exclusively (`wx`) next to the
 * checkpoint file, holding the pid and host name of its process:
 *
 * - held by a live process on this host, or by any process on another host: refused (CHECKPOINT_FAILED);
 * - held by a pid that no longer runs (a crash, kill -9): taken over;
 * - held by another store object of this very process: refused (two objects would overwrite each other).
 *
 * Not a distributed lock: two processes that find the same stale lock at the same instant can both win. Several
 * instances sharing work need the `dynamodb` store.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TributaryError, errorMessage } from '../errors.js';

/** Lock files held by store objects of this process. */
const heldHere = new Set<string>();

interface LockContent {
  readonly pid: number;
  readonly host: string;
}

export class FileLock {
  readonly path: string;
  #released = false;

  private constructor(path: string) {
    this.path = path;
  }

  /** Creates the lock file, or takes over a stale one; throws CHECKPOINT_FAILED when a live owner holds it. */
  static async acquire(path: string): Promise<FileLock> {
    if (heldHere.has(path)) throw held(path, 'another checkpoint store of this process has it open');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const handle = await open(path, 'wx');
        try {
          await handle.writeFile(`${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        heldHere.add(path);
        return new FileLock(path);
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw new TributaryError('CHECKPOINT_FAILED', `cannot create lock file ${path}: ${errorMessage(error)}`, { cause: error });
      }
      const owner = await readOwner(path);
      if (owner !== null && owner.host !== hostname()) throw held(path, `process ${owner.pid} on host ${owner.host} holds it`);
      if (owner !== null && owner.pid !== process.pid && isAlive(owner.pid)) throw held(path, `process ${owner.pid} holds it`);
      // Stale: its process is gone (or it is our own pid from a store object closed without releasing).
      await unlink(path).catch((error: unknown) => {
        if (!isErrno(error, 'ENOENT')) throw new TributaryError('CHECKPOINT_FAILED', `cannot remove stale lock file ${path}: ${errorMessage(error)}`, { cause: error });
      });
    }
    throw held(path, 'it keeps being re-created by another process');
  }

  /** Removes the lock file. Idempotent. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    heldHere.delete(this.path);
    await unlink(this.path).catch(() => undefined);
  }
}

function held(path: string, why: string): TributaryError {
  return new TributaryError(
    'CHECKPOINT_FAILED',
    `checkpoint lock ${path} is taken: ${why}. The file checkpoint store serves one process only; ` +
      'use checkpoints.type dynamodb to share work between instances, or delete the lock file if that process is gone',
  );
}

async function readOwner(path: string): Promise<LockContent | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { pid, host } = parsed as Record<string, unknown>;
    return typeof pid === 'number' && typeof host === 'string' ? { pid, host } : null;
  } catch {
    // Empty or half-written by a process that died while creating it: stale.
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return isErrno(error, 'EPERM');
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
