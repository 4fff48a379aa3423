/**
 * The only file that imports the SQS SDK. Everything the source needs from SQS, as small functions
 * that take an AbortSignal and return plain data; SDK errors become TributaryErrors with codes.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { awsClientOptions } from '../../src/connector/aws-client-options.js';
import { TributaryError } from '../../src/errors.js';

export interface SqsClientOptions {
  readonly region: string;
  readonly endpoint: string | null;
}

export interface QueueAttributes {
  readonly queueArn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly fifo: boolean;
  readonly redrivePolicy: string | null;
}

export interface BatchEntryFailure {
  readonly id: string;
  readonly code: string;
  readonly senderFault: boolean;
}

/** Names of SQS errors that mean the queue is not there (config mistake, not worth retrying fast). */
const NOT_FOUND = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'NonExistentQueue']);

export class SqsApi {
  readonly #client: SQSClient;

  constructor(options: SqsClientOptions) {
    this.#client = new SQSClient({ ...awsClientOptions(options), maxAttempts: 3 });
  }

  async queueUrlFor(queueName: string, accountId: string | null, signal: AbortSignal): Promise<string> {
    const result = await this.#call('GetQueueUrl', () =>
      this.#client.send(new GetQueueUrlCommand({ QueueName: queueName, ...(accountId === null ? {} : { QueueOwnerAWSAccountId: accountId }) }), { abortSignal: signal }),
    );
    if (result.QueueUrl === undefined) throw new TributaryError('SOURCE_NOT_FOUND', `queue ${queueName} has no URL`);
    return result.QueueUrl;
  }

  async attributes(queueUrl: string, signal: AbortSignal): Promise<QueueAttributes> {
    const result = await this.#call('GetQueueAttributes', () =>
      this.#client.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout', 'FifoQueue', 'RedrivePolicy'] }),
        { abortSignal: signal },
      ),
    );
    const attributes = result.Attributes ?? {};
    return {
      queueArn: attributes.QueueArn ?? '',
      visibilityTimeoutSeconds: Number(attributes.VisibilityTimeout ?? '30'),
      fifo: attributes.FifoQueue === 'true',
      redrivePolicy: attributes.RedrivePolicy ?? null,
    };
  }

  async receive(queueUrl: string, maxMessages: number, waitSeconds: number, signal: AbortSignal): Promise<readonly Message[]> {
    const result = await this.#call('ReceiveMessage', () =>
      this.#client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.max(1, Math.min(10, maxMessages)),
          WaitTimeSeconds: Math.max(0, Math.min(20, waitSeconds)),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      ),
    );
    return result.Messages ?? [];
  }

  /** Deletes up to 10 messages; returns the entries SQS refused. */
  async deleteBatch(queueUrl: string, entries: readonly { id: string; receiptHandle: string }[], signal: AbortSignal): Promise<readonly BatchEntryFailure[]> {
    const result = await this.#call('DeleteMessageBatch', () =>
      this.#client.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle })) }),
        { abortSignal: signal },
      ),
    );
    return (result.Failed ?? []).map((f) => ({ id: f.Id ?? '', code: f.Code ?? 'Unknown', senderFault: f.SenderFault ?? false }));
  }

  /** Sets the visibility timeout of up to 10 messages; returns the entries SQS refused. */
  async changeVisibilityBatch(
    queueUrl: string,
    entries: readonly { id: string; receiptHandle: string }[],
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<readonly BatchEntryFailure[]> {
    const result = await this.#call('ChangeMessageVisibilityBatch', () =>
      this.#client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle, VisibilityTimeout: timeoutSeconds })),
        }),
        { abortSignal: signal },
      ),
    );
    return (result.Failed ?? []).map((f) => ({ id: f.Id ?? '', code: f.Code ?? 'Unknown', senderFault: f.SenderFault ?? false }));
  }

  close(): void {
    this.#client.destroy();
  }

  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      if (NOT_FOUND.has(name)) throw new TributaryError('SOURCE_NOT_FOUND', `SQS ${operation}: the queue does not exist`, { cause: error });
      if (name === 'AbortError') throw new TributaryError('STOPPED', `SQS ${operation} aborted`, { cause: error, retryable: true });
      const message = error instanceof Error ? error.message : 'unknown error';
      throw new TributaryError('SOURCE_UNAVAILABLE', `SQS ${operation} failed: ${name}: ${message}`, { cause: error, retryable: true });
    }
  }
}
