/**
 * How a batch of a per-record-ack source (SQS) settles after one invocation, as Lambda's SQS mapping does.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 *
 * - success → every record deleted;
 * - function error, timeout, or an invalid partial response → nothing deleted, the whole batch returns;
 * - partial failure, standard queue → only the named records return;
 * - partial failure, FIFO queue → per message group, the first failed record and everything after it return
 *   ("stop processing after the first failure and return all failed and unprocessed messages").
 */
import type { PartialFailureVerdict } from './partial-failures.js';

export interface AckRecord {
  readonly id: string;
  /** Message group for FIFO queues (records arrive in batch order); ignored for standard queues. */
  readonly partitionKey: string | null;
}

export interface AckDecision<R extends AckRecord> {
  readonly done: readonly R[];
  readonly redeliver: readonly R[];
}

export type InvocationVerdict = PartialFailureVerdict | { readonly kind: 'function-error' };

export function decideAck<R extends AckRecord>(records: readonly R[], verdict: InvocationVerdict, fifo: boolean): AckDecision<R> {
  switch (verdict.kind) {
    case 'success':
      return { done: records, redeliver: [] };
    case 'function-error':
    case 'invalid':
      return { done: [], redeliver: records };
    case 'partial': {
      const failed = new Set(verdict.failedIds);
      if (!fifo) {
        return { done: records.filter((r) => !failed.has(r.id)), redeliver: records.filter((r) => failed.has(r.id)) };
      }
      const blockedGroups = new Set<string | null>();
      const done: R[] = [];
      const redeliver: R[] = [];
      for (const record of records) {
        if (failed.has(record.id)) blockedGroups.add(record.partitionKey);
        (blockedGroups.has(record.partitionKey) ? redeliver : done).push(record);
      }
      return { done, redeliver };
    }
  }
}
