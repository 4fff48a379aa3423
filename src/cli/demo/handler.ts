/**
 * The demo's function: an ordinary Lambda handler for Kinesis events (`async (event, context) => result`), run
 * in-process by the demo. It "charges" each order and throws when one cannot be processed, which fails the whole
 * batch — so Tributary applies Lambda's rules: bisect the batch (`bisectBatchOnFunctionError`), retry the failing
 * half with back-off (`maximumRetryAttempts: 2`), and finally deliver the poison record to the on-failure file.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isFlakyOrder } from './orders.js';

interface KinesisEventRecord {
  readonly kinesis: { readonly data: string; readonly sequenceNumber: string; readonly partitionKey: string };
}

interface OrderLike {
  readonly orderId?: unknown;
  readonly amount?: unknown;
}

/** The order number in `ord-000042`, or null. */
const orderNumber = (id: string): number | null => {
  const match = /^ord-(\d+)$/.exec(id);
  return match?.[1] === undefined ? null : Number(match[1]);
};

/** Orders that already failed once with the transient error (a warm sandbox's memory, as in Lambda). */
const failedOnce = new Set<string>();

/** Thrown for an order that will never succeed. */
export class InvalidOrderError extends Error {
  override readonly name = 'InvalidOrderError';
}

/** Thrown once per flaky order; a retry succeeds. */
export class PaymentTimeoutError extends Error {
  override readonly name = 'PaymentTimeoutError';
}

/** The Lambda handler. */
export async function handler(event: unknown): Promise<Record<string, never>> {
  const records = (event as { Records?: readonly KinesisEventRecord[] }).Records ?? [];
  // Pretend to call a payment service: a little latency per batch and per record.
  await sleep(15 + records.length * 3);
  for (const record of records) {
    const order = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as OrderLike;
    const id = typeof order.orderId === 'string' ? order.orderId : '(no orderId)';
    if (typeof order.amount !== 'number' || order.amount <= 0) {
      throw new InvalidOrderError(`order ${id}: amount must be positive (got ${String(order.amount)})`);
    }
    const n = orderNumber(id);
    if (n !== null && isFlakyOrder(n) && !failedOnce.has(id)) {
      failedOnce.add(id);
      throw new PaymentTimeoutError(`order ${id}: payment service timed out (transient)`);
    }
  }
  return {};
}
