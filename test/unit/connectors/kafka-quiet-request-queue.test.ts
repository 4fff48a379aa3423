// kafkajs#1751: kafkajs 2.2.4's RequestQueue schedules a check with a negative delay when nothing is pending
// (Node 24: TimeoutNegativeWarning, then a 1 ms loop). Driven here with kafkajs's own RequestQueue and fake timers.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PATCHED_KAFKAJS_VERSION, quietKafkajsRequestQueue } from '../../../connectors/kafka/quiet-request-queue.js';

const require = createRequire(import.meta.url);

interface Queue {
  throttledUntil: number;
  throttleCheckTimeoutId: unknown;
  readonly pending: unknown[];
  readonly inflight: Map<number, unknown>;
  push(request: { entry: { correlationId: number; resolve: () => void; reject: () => void }; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
type QueueClass = { new (options: Record<string, unknown>): Queue; prototype: { scheduleCheckPendingRequests(this: Queue): void } };

const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as QueueClass;
const original = RequestQueue.prototype.scheduleCheckPendingRequests;
const quietLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function queue(maxInFlightRequests: number | null = null): Queue {
  return new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: '127.0.0.1:1', logger: quietLogger });
}

/** A request that records when it was sent (written to the socket). */
function request(correlationId: number, sent: number[]): Parameters<Queue['push']>[0] {
  return { entry: { correlationId, resolve: () => undefined, reject: () => undefined }, expectResponse: true, sendRequest: () => sent.push(correlationId) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('quietKafkajsRequestQueue (kafkajs#1751)', () => {
  it('is written against the installed kafkajs release (re-check the replacement when kafkajs changes)', () => {
    expect((require('kafkajs/package.json') as { version: string }).version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it("kafkajs's own method schedules a negative delay with nothing pending: the warning and the idle loop", () => {
    vi.useFakeTimers();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const q = queue();
    original.call(q);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.[1]).toBeLessThan(0);
    q.destroy();
    spy.mockRestore();
  });

  it('after the patch: no timer while nothing is pending, even after answers arrive', () => {
    expect(quietKafkajsRequestQueue().status).toMatch(/^(patched|already-patched)$/);
    expect(quietKafkajsRequestQueue()).toEqual({ status: 'already-patched' });
    vi.useFakeTimers();
    const q = queue();
    const sent: number[] = [];
    q.push(request(1, sent));
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    q.scheduleCheckPendingRequests();
    expect(sent).toEqual([1]);
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after the patch: a request waiting on client-side throttling is sent when the throttle ends, not before', () => {
    quietKafkajsRequestQueue();
    vi.useFakeTimers();
    const q = queue();
    const sent: number[] = [];
    q.maybeThrottle(500);
    q.push(request(7, sent));
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(499);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([7]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after the patch: requests over maxInFlightRequests wait, and go out as answers free a slot', () => {
    quietKafkajsRequestQueue();
    vi.useFakeTimers();
    const q = queue(1);
    const sent: number[] = [];
    q.push(request(1, sent));
    q.push(request(2, sent));
    expect(sent).toEqual([1]);
    // kafkajs re-checks every 10 ms while something waits; the slot is still taken, so nothing moves.
    vi.advanceTimersByTime(30);
    expect(sent).toEqual([1]);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    q.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
    vi.advanceTimersByTime(30);
    expect(vi.getTimerCount()).toBe(0);
  });
});
