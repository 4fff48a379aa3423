/**
 * Reading a request body with a size limit. A body above the limit is drained (so the caller receives the 413, not
 * a reset connection) but not kept; a body far above it is cut off by closing the connection, so an endless upload
 * cannot hold the server.
 */
import type { IncomingMessage } from 'node:http';

/** The body, or how large it was when it went over the limit. */
export type BodyRead = { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly size: number };

/** Past this many times the limit, the connection is closed instead of drained. */
const DRAIN_FACTOR = 4;

/** Read `request`'s body, keeping at most `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) {
      request.destroy();
      resolve({ ok: false, size: declared });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_FACTOR) request.destroy();
    });
    request.on('end', () => resolve(size <= limit ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, size }));
    request.on('close', () => {
      if (!request.complete) resolve({ ok: false, size });
    });
    request.on('error', reject);
  });
}
