/** Test-side SQS helpers against the real ElasticMQ started by the harness. */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { AWS_REGION, AWS_TEST_CREDENTIALS, readEndpoints } from '../../services/endpoints.ts';

export const sqsEndpoint = (): string => readEndpoints().sqs;

export function sqsClient(): SQSClient {
  return new SQSClient({ region: AWS_REGION, endpoint: sqsEndpoint(), credentials: AWS_TEST_CREDENTIALS });
}

let seq = 0;
/** A queue name unique to this run. */
export function uniqueName(prefix: string): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${seq}`;
}

export async function createQueue(client: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl ?? '';
  const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes?.QueueArn ?? '' };
}

export interface OutgoingMessage {
  readonly body: string;
  readonly groupId?: string;
  readonly dedupId?: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
}

/** Sends messages in batches of 10, a few batches at a time; returns the message ids in send order. */
export async function sendAll(client: SQSClient, queueUrl: string, messages: readonly OutgoingMessage[], parallel = 8): Promise<string[]> {
  const chunks: OutgoingMessage[][] = [];
  for (let i = 0; i < messages.length; i += 10) chunks.push(messages.slice(i, i + 10));
  const ids: string[][] = new Array<string[]>(chunks.length);
  // FIFO order across batches matters: send FIFO queues one batch at a time.
  const width = queueUrl.endsWith('.fifo') ? 1 : parallel;
  for (let i = 0; i < chunks.length; i += width) {
    await Promise.all(
      chunks.slice(i, i + width).map(async (chunk, j) => {
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((m, k) => ({
              Id: `e${k}`,
              MessageBody: m.body,
              ...(m.groupId === undefined ? {} : { MessageGroupId: m.groupId }),
              ...(m.dedupId === undefined ? {} : { MessageDeduplicationId: m.dedupId }),
              ...(m.attributes === undefined ? {} : { MessageAttributes: m.attributes }),
            })),
          }),
        );
        if ((result.Failed ?? []).length > 0) throw new Error(`send failed: ${JSON.stringify(result.Failed)}`);
        const byId = new Map((result.Successful ?? []).map((s) => [s.Id, s.MessageId ?? '']));
        ids[i + j] = chunk.map((_, k) => byId.get(`e${k}`) ?? '');
      }),
    );
  }
  return ids.flat();
}

/** Drains a queue (e.g. a DLQ) and returns the bodies it held. */
export async function drain(client: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const result = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
    const messages = result.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.Body ?? ''));
  }
}

export async function queueDepth(client: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const result = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return {
    visible: Number(result.Attributes?.ApproximateNumberOfMessages ?? '0'),
    inFlight: Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? '0'),
  };
}
