/**
 * Sample order events for the demo, deterministic by sequence number so a run is reproducible: every 20th order
 * (n % 20 === 2) is invalid (a negative amount: the handler always rejects it, so it ends in the on-failure file),
 * and every 11th (n % 11 === 5) hits a "flaky payment service" that fails its first attempt only (a retry fixes it).
 */

/** One order, as the producer writes it to the stream (JSON). */
export interface DemoOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: number;
  readonly amount: number;
  readonly currency: 'EUR' | 'USD' | 'GBP';
  readonly createdAt: string;
}

const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;

export const orderId = (n: number): string => `ord-${String(n).padStart(6, '0')}`;

/** True for the orders the handler always rejects. */
export const isInvalidOrder = (n: number): boolean => n % 20 === 2;

/** True for the orders whose first attempt fails with a transient error. */
export const isFlakyOrder = (n: number): boolean => n % 11 === 5 && !isInvalidOrder(n);

/** Order number `n` (1-based), created at `nowMs`. */
export function sampleOrder(n: number, nowMs: number): DemoOrder {
  const cents = ((n * 7919) % 20_000) + 500;
  return {
    orderId: orderId(n),
    customerId: `cust-${String((n * 31) % 17).padStart(2, '0')}`,
    items: (n % 4) + 1,
    amount: isInvalidOrder(n) ? -cents / 100 : cents / 100,
    currency: CURRENCIES[n % CURRENCIES.length] ?? 'EUR',
    createdAt: new Date(nowMs).toISOString(),
  };
}

/** How many orders the producer writes on tick `tick` (0-based): 4 to 8, varying so batches differ in size. */
export const ordersPerTick = (tick: number): number => 4 + ((tick * 3) % 5);
