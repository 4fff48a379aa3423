/**
 * Fixes kafkajs#1751 from outside kafkajs (2.2.4 is its last release; the fix PRs #1755 / #1756 were never
 * merged): on Node 24 every Kafka client printed `TimeoutNegativeWarning: -1796163814302 is a negative number`
 * to stderr, and — the cost behind the noise — kept a 1 ms timer loop running on every idle broker connection
 * (measured: ~750 wake-ups per idle second per connection against the test broker).
 *
 * The cause, kafkajs `src/network/requestQueue/index.js` `scheduleCheckPendingRequests()`:
 *
 *     let scheduleAt = this.throttledUntil - Date.now()   // throttledUntil starts at -1: about -1.7e12
 *     if (!this.throttleCheckTimeoutId) {
 *       if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL
 *       this.throttleCheckTimeoutId = setTimeout(() => { …; this.checkPendingRequests() }, scheduleAt)
 *     }
 *
 * With nothing pending it still schedules a check, with a negative delay (Node ≥ 24 warns, then uses 1 ms), and
 * the check schedules the next one. Nothing needs checking then: a request only waits in `pending` after `push()`
 * put it there, and `push()` schedules the check itself; an in-flight answer calls `checkPendingRequests()`
 * directly. So the replacement below schedules only while something is pending, at the throttle's end or after
 * kafkajs's 10 ms interval — the same timing kafkajs intends, never a negative delay, no idle loop.
 */
import { createRequire } from 'node:module';

/** The fields of kafkajs's RequestQueue that `scheduleCheckPendingRequests` reads and writes. */
interface RequestQueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  readonly pending: readonly unknown[];
  checkPendingRequests(): void;
}

interface RequestQueuePrototype {
  scheduleCheckPendingRequests(this: RequestQueueState): void;
}

/** kafkajs's `CHECK_PENDING_REQUESTS_INTERVAL` (not exported): the re-check delay while requests wait unthrottled. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The kafkajs release whose RequestQueue this replacement was written against. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

const QUIET = Symbol.for('tributary.kafkajs.quiet-request-queue');

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId !== null || this.pending.length === 0) return;
  const throttleLeftMs = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttleLeftMs > 0 ? throttleLeftMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

export type QuietResult = { readonly status: 'patched' | 'already-patched' } | { readonly status: 'skipped'; readonly reason: string };

/**
 * Replaces kafkajs's `RequestQueue.prototype.scheduleCheckPendingRequests` (process-wide, once; later calls are
 * no-ops). Only the kafkajs release it was written against is touched: any other version is left as it is and
 * the reason returned, so an upgrade can never run this code against a RequestQueue it does not know.
 */
export function quietKafkajsRequestQueue(): QuietResult {
  // kafkajs has no `exports` map, so its modules are reachable by path; this resolves the same copy (and so the
  // same cached module) as `import … from 'kafkajs'` in this folder.
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) return { status: 'skipped', reason: `kafkajs ${version} is not ${PATCHED_KAFKAJS_VERSION}` };
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueuePrototype & { [QUIET]?: true } };
  const prototype = RequestQueue.prototype;
  if (prototype[QUIET] === true) return { status: 'already-patched' };
  if (typeof prototype.scheduleCheckPendingRequests !== 'function') return { status: 'skipped', reason: 'kafkajs RequestQueue has no scheduleCheckPendingRequests' };
  prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  prototype[QUIET] = true;
  return { status: 'patched' };
}
