/**
 * The only file of src/destination that imports the SQS SDK; `sqs-destination.ts` loads it lazily, so pipelines
 * without an SQS destination never load the SDK. SDK errors become `DESTINATION_FAILED` TributaryErrors.
 */
import { awsClientOptions } from '../connector/aws-client-options.js';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { destinationFailed } from './destination-errors.js';
import type { SqsEntry, SqsEntryFailure, SqsSendApi } from './sqs-batches.js';

export interface SqsDestinationClientOptions {
  /** Shown in error messages (queue ARN or URL). */
  readonly target: string;
  readonly region: string;
  /** `null` → the SDK's endpoint for `region` (real AWS). */
  readonly endpoint: string | null;
}

/** Names of SQS errors that mean the queue is not there. */
const NOT_FOUND = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'NonExistentQueue']);

/** A {@link SqsSendApi} over one SQSClient (same client settings as the SQS connector). */
export function createSqsSendApi(options: SqsDestinationClientOptions): SqsSendApi {
  const client = new SQSClient({ ...awsClientOptions(options), maxAttempts: 3 });
  const { target } = options;

  return {
    async sendBatch(queueUrl: string, entries: readonly SqsEntry[], signal: AbortSignal): Promise<readonly SqsEntryFailure[]> {
      let result;
      try {
        result = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((entry) => ({ Id: entry.id, MessageBody: entry.body })) }),
          { abortSignal: signal },
        );
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        if (NOT_FOUND.has(name)) throw destinationFailed(target, 'SendMessageBatch: the queue does not exist', { cause: error });
        if (name === 'AbortError' || signal.aborted) throw destinationFailed(target, 'delivery aborted', { cause: error });
        const message = error instanceof Error ? error.message : 'unknown error';
        throw destinationFailed(target, `SendMessageBatch failed: ${name}: ${message}`, { cause: error });
      }
      // Trust only what SQS confirmed: an entry in neither list counts as failed.
      const accepted = new Set((result.Successful ?? []).map((entry) => entry.Id));
      const reasons = new Map((result.Failed ?? []).map((entry) => [entry.Id, entry]));
      return entries
        .filter((entry) => !accepted.has(entry.id))
        .map((entry) => {
          const reason = reasons.get(entry.id);
          return {
            id: entry.id,
            code: reason?.Code ?? 'NotAcknowledged',
            message: reason?.Message ?? 'SQS listed the entry neither as successful nor as failed',
            senderFault: reason?.SenderFault ?? false,
          };
        });
    },
    close(): void {
      client.destroy();
    },
  };
}
