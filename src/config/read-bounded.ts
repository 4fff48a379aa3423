/**
 * Reading a configuration file without trusting its size (issue 19): at most `limit + 1` bytes are read, so a
 * 50 MB file, `/dev/zero` or a pipe costs no more memory than a file at the limit.
 */
import { open } from 'node:fs/promises';

/** The first bytes of a file, its size when it has one, and whether there was more than the limit. */
export interface BoundedRead {
  readonly bytes: Uint8Array;
  /** `stat` size of a regular file; null for devices and pipes. */
  readonly size: number | null;
  readonly truncated: boolean;
}

/** Read up to `limit` bytes of `path` (plus one, to know there was more). Throws the `fs` error (ENOENT, EISDIR…). */
export async function readBounded(path: string, limit: number): Promise<BoundedRead> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: 'EISDIR' });
    const size = stat.isFile() ? stat.size : null;
    const buffer = Buffer.alloc(Math.min(limit + 1, size === null ? limit + 1 : size + 1));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: buffer.subarray(0, Math.min(filled, limit)), size, truncated: filled > limit };
  } finally {
    await handle.close();
  }
}
