/**
 * An operator's SQS standard queue as a function's asynchronous-invocation queue (`asyncQueue: { type: sqs }`), for
 * several replicas: every replica stores the events its Invoke accepts in it and every replica's internal pipeline
 * reads it with the SQS connector — which is how AWS builds asynchronous invocation (internal queues and pollers).
 *
 * The writing side: SendMessage resolves once SQS stored the message durably, so 202 still means "never lost". A
 * retry's wait travels as DelaySeconds, which SQS caps at 15 minutes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html); a longer wait (only
 * `extendedRetries` asks for one) is kept in the event itself, and an event delivered early is handed back until it is
 * due (async-executor.ts). Depth: ApproximateNumberOfMessages + …NotVisible + …Delayed; SQS does not say when the
 * oldest message was sent.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsQueueRef } from '../../config/aws-resources.js';
import type { SqsSourceConfig } from '../../config/types.js';
import { awsClientOptions } from '../../connector/aws-client-options.js';
import type { QueueDepth, QueueMessage, QueueProducer } from '../../connector/types.js';
import { sqsEndpointFor } from '../../destination/sqs-destination.js';
import { TributaryError, errorMessage } from '../../errors.js';

/** SQS's longest DelaySeconds. */
export const SQS_MAX_DELAY_SECONDS = 900;

/** The SQS source config of an asynchronous queue (as the SQS connector reads it). */
export function sqsAsyncSource(queue: { readonly queueUrl: string; readonly region: string | null; readonly endpoint: string | null }, maxPollers: number): SqsSourceConfig {
  const region = queue.region ?? sqsQueueRef(queue.queueUrl)?.region ?? null;
  return {
    type: 'sqs',
    queueUrl: queue.queueUrl,
    queueArn: null,
    fifo: false,
    // SQS mappings scale to at least 2 pollers (ScalingConfig.MaximumConcurrency 2–1000).
    maximumConcurrency: Math.max(2, maxPollers),
    region,
    endpoint: queue.endpoint ?? sqsEndpointFor(queue.queueUrl),
  };
}

/** The writing side of an SQS asynchronous queue; the SDK is loaded on first use. */
export function sqsAsyncProducer(source: SqsSourceConfig): QueueProducer {
  const region = source.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const sdk = import('@aws-sdk/client-sqs');
  let client: Promise<SQSClient> | null = null;
  const clientOf = (): Promise<SQSClient> => {
    client ??= sdk.then((loaded) => new loaded.SQSClient({ ...awsClientOptions({ region, endpoint: source.endpoint }), maxAttempts: 3 }));
    return client;
  };
  const failed = (action: string, error: unknown): TributaryError =>
    new TributaryError('SOURCE_UNAVAILABLE', `asynchronous queue ${source.queueUrl}: ${action} failed: ${errorMessage(error)}`, { retryable: true, cause: error });
  return {
    async send(messages: readonly QueueMessage[], signal: AbortSignal): Promise<void> {
      const { SendMessageCommand } = await sdk;
      const sqs = await clientOf();
      for (const message of messages) {
        const delaySeconds = Math.min(SQS_MAX_DELAY_SECONDS, Math.ceil(Math.max(0, message.delayMs) / 1000));
        try {
          await sqs.send(new SendMessageCommand({ QueueUrl: source.queueUrl, MessageBody: message.body, DelaySeconds: delaySeconds }), { abortSignal: signal });
        } catch (error) {
          throw failed('SendMessage', error);
        }
      }
    },
    async depth(signal: AbortSignal): Promise<QueueDepth> {
      const { GetQueueAttributesCommand } = await sdk;
      try {
        const result = await (await clientOf()).send(
          new GetQueueAttributesCommand({
            QueueUrl: source.queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
          { abortSignal: signal },
        );
        const count = (name: string): number => Number(result.Attributes?.[name as keyof typeof result.Attributes] ?? '0');
        return { messages: count('ApproximateNumberOfMessages') + count('ApproximateNumberOfMessagesNotVisible') + count('ApproximateNumberOfMessagesDelayed'), oldestSentAtMs: null };
      } catch (error) {
        throw failed('GetQueueAttributes', error);
      }
    },
    async close(): Promise<void> {
      const opened = await client?.catch(() => null);
      opened?.destroy();
      client = null;
    },
  };
}
