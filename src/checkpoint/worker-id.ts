/**
 * Worker ids: the `owner` an instance writes to lease rows. KCL uses a UUID by default; a host name and pid in front
 * make the lease table readable for operators, and the random suffix keeps a restarted process (same pid in a
 * fresh container) from being mistaken for its predecessor.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** `<host>-<pid>-<8 hex>`, unique per call. */
export function createWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}
