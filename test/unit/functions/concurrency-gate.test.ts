/**
 * Reserved concurrency: a synchronous caller gets a slot or nothing at once, a mapping waits for one; a waiter that
 * gives up never holds a slot; 0 throttles everything; unreserved never waits.
 */
import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from '../../../src/functions/concurrency-gate.ts';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('refuses a synchronous caller at once when every slot is taken, and serves it again after a release', async () => {
    const gate = new ConcurrencyGate(2);
    const first = gate.tryAcquire();
    const second = gate.tryAcquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(gate.tryAcquire()).toBeNull();
    expect(gate.running).toBe(2);
    first?.release();
    await tick();
    expect(gate.running).toBe(1);
    expect(gate.tryAcquire()).not.toBeNull();
  });

  it('lets a mapping wait for a slot, in order, and counts waiting callers as using the function', async () => {
    const gate = new ConcurrencyGate(1);
    const held = gate.tryAcquire();
    const order: string[] = [];
    const a = gate.acquire(new AbortController().signal).then((slot) => {
      order.push('a');
      return slot;
    });
    const b = gate.acquire(new AbortController().signal).then((slot) => {
      order.push('b');
      return slot;
    });
    await tick();
    expect(order).toEqual([]);
    expect(gate.waiting).toBe(2);
    // A waiting mapping makes the function busy for synchronous callers too.
    held?.release();
    const slotA = await a;
    expect(gate.tryAcquire()).toBeNull();
    slotA?.release();
    (await b)?.release();
    expect(order).toEqual(['a', 'b']);
  });

  it('a waiter whose signal aborts gets null and its turn goes to the next one', async () => {
    const gate = new ConcurrencyGate(1);
    const held = gate.tryAcquire();
    const stop = new AbortController();
    const gaveUp = gate.acquire(stop.signal);
    const next = gate.acquire(new AbortController().signal);
    stop.abort();
    expect(await gaveUp).toBeNull();
    held?.release();
    const slot = await next;
    expect(slot).not.toBeNull();
    expect(gate.running).toBe(1);
    slot?.release();
    slot?.release(); // idempotent
    await tick();
    expect(gate.running).toBe(0);
  });

  it('0 throttles the function entirely: synchronous callers are refused, mappings wait until they stop', async () => {
    const gate = new ConcurrencyGate(0);
    expect(gate.tryAcquire()).toBeNull();
    const stop = new AbortController();
    let settled = false;
    const waiting = gate.acquire(stop.signal).then((slot) => {
      settled = true;
      return slot;
    });
    await tick();
    expect(settled).toBe(false);
    stop.abort();
    expect(await waiting).toBeNull();
  });

  it('an unreserved function never refuses or waits', async () => {
    const gate = new ConcurrencyGate(null);
    for (let i = 0; i < 100; i += 1) expect(gate.tryAcquire()).not.toBeNull();
    expect(await gate.acquire(new AbortController().signal)).not.toBeNull();
  });
});
