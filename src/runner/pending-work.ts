/**
 * "The event loop is empty" for a handler that shares its process with the service (the `in-process` runner): the
 * service's own loop never empties, so this tracks the async resources the invocation itself created — timers,
 * immediates, file and network requests, sockets, and whatever those created in turn (async context propagates
 * through callbacks) — and reports when none that keeps a loop alive is left (an `unref()`'d timer or socket does
 * not count, as in Node's own loop). Promises are not resources that keep a loop alive and are not tracked.
 * https://nodejs.org/api/async_hooks.html
 *
 * The hook runs only while at least one such invocation is tracked, so async handlers pay nothing.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks';

interface Tracker {
  readonly resources: Map<number, object>;
  readonly onEmpty: () => void;
  scheduled: boolean;
  closed: boolean;
}

const store = new AsyncLocalStorage<Tracker>();
const owners = new Map<number, Tracker>();
let tracking = 0;

function keepsLoopAlive(resource: object): boolean {
  const hasRef = (resource as { hasRef?: unknown }).hasRef;
  return typeof hasRef !== 'function' || (hasRef as () => boolean).call(resource);
}

function scheduleCheck(tracker: Tracker): void {
  if (tracker.scheduled || tracker.closed) return;
  tracker.scheduled = true;
  // Outside the invocation's context, so the check itself is not one of its resources.
  store.exit(() =>
    setImmediate(() => {
      tracker.scheduled = false;
      if (tracker.closed) return;
      for (const resource of tracker.resources.values()) if (keepsLoopAlive(resource)) return;
      tracker.onEmpty();
    }),
  );
}

const hook = createHook({
  init(asyncId, type, _trigger, resource) {
    if (type === 'PROMISE') return;
    const tracker = store.getStore();
    if (tracker === undefined || tracker.closed) return;
    tracker.resources.set(asyncId, resource);
    owners.set(asyncId, tracker);
  },
  destroy(asyncId) {
    const tracker = owners.get(asyncId);
    if (tracker === undefined) return;
    owners.delete(asyncId);
    tracker.resources.delete(asyncId);
    scheduleCheck(tracker);
  },
});

/** A running tracked call: `check()` after the handler returned, `close()` once the invocation ended. */
export interface PendingWork {
  check(): void;
  close(): void;
}

/**
 * Runs `fn` with its async resources tracked; `onEmpty` is called (possibly several times, until `close()`) when none
 * of them keeps the loop alive any more.
 */
export function trackPendingWork<T>(fn: () => T, onEmpty: () => void): { readonly value: T; readonly work: PendingWork } {
  const tracker: Tracker = { resources: new Map(), onEmpty, scheduled: false, closed: false };
  if (tracking === 0) hook.enable();
  tracking += 1;
  const work: PendingWork = {
    check: () => scheduleCheck(tracker),
    close: () => {
      if (tracker.closed) return;
      tracker.closed = true;
      for (const id of tracker.resources.keys()) owners.delete(id);
      tracker.resources.clear();
      tracking -= 1;
      if (tracking === 0) hook.disable();
    },
  };
  try {
    return { value: store.run(tracker, fn), work };
  } catch (error) {
    work.close();
    throw error;
  }
}
