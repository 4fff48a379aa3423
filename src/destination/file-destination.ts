/**
 * `file://<absolute path>`: Tributary's own on-failure destination, a JSON Lines file (one AWS on-failure record per
 * line, https://jsonlines.org). AWS has no such destination; it stands in for SQS/SNS when running locally.
 *
 * Durability: `deliver` resolves only after the lines were appended and the file was fsync'ed; a newly created file's
 * folder is fsync'ed too, so the file itself survives a crash. Lines never interleave: deliveries to one path run
 * one at a time, in call order, across every FileDestination of this process. Two processes must not share a file.
 *
 * A failed append is rolled back (truncated to the size before it) when possible, so the file holds only whole
 * records; should the rollback fail, the next append starts on a new line, so the torn line is isolated.
 */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, normalize } from 'node:path';
import { TributaryError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { asDestinationError, destinationFailed, throwIfAborted } from './destination-errors.js';
import { recordJson } from './record-json.js';
import { SerialLock } from './serial-lock.js';
import type { OnFailureDestination } from './types.js';

/** One queue per path for the whole process (see the module comment). */
const FILE_LOCKS = new SerialLock();

const NEWLINE = 0x0a;

/** Appends records as JSON lines to one file. */
export class FileDestination implements OnFailureDestination {
  readonly kind = 'file' as const;
  readonly target: string;
  readonly #path: string;
  readonly #logger: Logger;
  #handle: FileHandle | null = null;
  #closed = false;

  /** `path` must be absolute (the config resolves `file://./x` against the config file's folder). */
  constructor(path: string, logger: Logger) {
    if (!isAbsolute(path)) throw new TributaryError('CONFIG_INVALID', `file:// on-failure destination needs an absolute path (got ${JSON.stringify(path)})`);
    this.#path = normalize(path);
    this.target = `file://${this.#path}`;
    this.#logger = logger;
  }

  async deliver(records: readonly object[], signal: AbortSignal): Promise<void> {
    throwIfAborted(this.target, signal);
    this.#throwIfClosed();
    if (records.length === 0) return;
    const text = records.map((record, index) => `${recordJson(this.target, record, index)}\n`).join('');
    await FILE_LOCKS.run(this.#path, async () => {
      // Queued behind other deliveries: do not start writing for a caller that gave up meanwhile. (A delivery
      // accepted before close() still runs: close() queues behind it.)
      throwIfAborted(this.target, signal);
      await this.#append(text);
    });
    this.#logger.debug({ destination: this.target, records: records.length }, 'on-failure records written');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Queued after every delivery already accepted, so they finish first.
    await FILE_LOCKS.run(this.#path, async () => {
      await this.#release();
    });
  }

  async #append(text: string): Promise<void> {
    const handle = await this.#currentHandle();
    let sizeBefore: number | null = null;
    try {
      sizeBefore = (await handle.stat()).size;
      const separator = sizeBefore > 0 && !(await endsWithNewline(handle, sizeBefore)) ? '\n' : '';
      // The handle is opened in append mode (O_APPEND): every write lands at the end of the file.
      await handle.appendFile(separator + text, 'utf8');
      await handle.sync();
    } catch (error) {
      if (sizeBefore !== null) await handle.truncate(sizeBefore).catch(() => undefined);
      await this.#release();
      throw asDestinationError(this.target, 'append', error);
    }
  }

  /** The open handle, reopened when the path no longer names the file it writes (deleted, renamed, rotated). */
  async #currentHandle(): Promise<FileHandle> {
    if (this.#handle !== null) {
      const current = this.#handle;
      const [onDisk, held] = await Promise.all([stat(this.#path).catch(() => null), current.stat().catch(() => null)]);
      if (onDisk !== null && held !== null && onDisk.ino === held.ino && onDisk.dev === held.dev) return current;
      this.#logger.info({ destination: this.target }, 'on-failure file was moved or deleted; reopening');
      await this.#release();
    }
    try {
      const folder = dirname(this.#path);
      await mkdir(folder, { recursive: true });
      const handle = await open(this.#path, 'a+');
      this.#handle = handle;
      // Make the directory entry durable too: fsync of the file alone does not persist a new file's name.
      await syncFolder(folder);
      return handle;
    } catch (error) {
      await this.#release();
      throw asDestinationError(this.target, 'open', error);
    }
  }

  async #release(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close().catch(() => undefined);
  }

  #throwIfClosed(): void {
    if (this.#closed) throw destinationFailed(this.target, 'the destination is closed', { retryable: false });
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  const byte = Buffer.alloc(1);
  const { bytesRead } = await handle.read(byte, 0, 1, size - 1);
  return bytesRead === 1 && byte[0] === NEWLINE;
}

/** fsync a folder; not every platform allows it (Windows), and then there is nothing more we can do. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // EISDIR / EPERM on platforms without directory fsync.
  } finally {
    await handle.close().catch(() => undefined);
  }
}
