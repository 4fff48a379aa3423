/**
 * The older DeadLetterConfig of asynchronous invocation: an SQS queue that gets the discarded event itself ("Lambda
 * only sends the content of the event, without details about the response") with the message attributes
 * `RequestID` (String), `ErrorCode` (Number) and `ErrorMessage` (String).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
 * The SQS SDK is loaded on the first message, so functions without a dead-letter queue never load it.
 */
import { sqsQueueRef, sqsUrlFromArn } from '../../config/aws-resources.js';
import { awsClientOptions } from '../../connector/aws-client-options.js';
import { destinationFailed } from '../../destination/destination-errors.js';
import { sqsEndpointFor } from '../../destination/sqs-destination.js';
import type { DeadLetterTarget } from '../../pipeline/execute/async-executor.js';
import type { DeadLetterMessage } from '../../policy/async-invocation-record.js';

type Send = (message: DeadLetterMessage, signal: AbortSignal) => Promise<void>;

/** A dead-letter queue given by ARN or URL; `close()` releases its client. */
export function deadLetterQueue(target: string): DeadLetterTarget & { close(): void } {
  const queueUrl = target.startsWith('arn:') ? (sqsUrlFromArn(target, null) ?? target) : target;
  const region = sqsQueueRef(target)?.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  let loaded: Promise<{ send: Send; close: () => void }> | null = null;
  const load = async (): Promise<{ send: Send; close: () => void }> => {
    const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const client = new SQSClient({ ...awsClientOptions({ region, endpoint: sqsEndpointFor(queueUrl) }), maxAttempts: 3 });
    return {
      send: async (message, signal) => {
        try {
          await client.send(
            new SendMessageCommand({
              QueueUrl: queueUrl,
              MessageBody: message.body,
              MessageAttributes: {
                RequestID: { DataType: 'String', StringValue: message.requestId },
                ErrorCode: { DataType: 'Number', StringValue: String(message.errorCode) },
                ErrorMessage: { DataType: 'String', StringValue: message.errorMessage },
              },
            }),
            { abortSignal: signal },
          );
        } catch (error) {
          const name = error instanceof Error ? error.name : 'Error';
          throw destinationFailed(target, `SendMessage failed: ${name}: ${error instanceof Error ? error.message : 'unknown error'}`, { cause: error });
        }
      },
      close: () => client.destroy(),
    };
  };
  return {
    target,
    send: async (message, signal) => {
      loaded ??= load();
      await (await loaded).send(message, signal);
    },
    close: () => {
      void loaded?.then((client) => client.close()).catch(() => undefined);
    },
  };
}
