// Smoke test of ElasticMQ with @aws-sdk/client-sqs: standard queue send / receive / delete batch,
// FIFO ordering per message group with content-based deduplication, redrive to a dead-letter queue.

import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand,
  SQSClient, SendMessageBatchCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { AWS_REGION, AWS_TEST_CREDENTIALS, ENDPOINT_ENV, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const sqs = new SQSClient({ region: AWS_REGION, endpoint: endpoints.sqs, credentials: AWS_TEST_CREDENTIALS });
const createdQueues: string[] = [];

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  createdQueues.push(QueueUrl);
  return QueueUrl;
}

async function attribute(queueUrl: string, name: 'QueueArn' | 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible'): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [name] }));
  const value = Attributes?.[name];
  if (value === undefined) throw new Error(`GetQueueAttributes returned no ${name}`);
  return value;
}

async function receive(queueUrl: string, options: { visibilityTimeout?: number; waitSeconds?: number } = {}): Promise<Message[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: 10,
    WaitTimeSeconds: options.waitSeconds ?? 1,
    ...(options.visibilityTimeout !== undefined ? { VisibilityTimeout: options.visibilityTimeout } : {}),
    MessageSystemAttributeNames: ['All'],
    MessageAttributeNames: ['All'],
  }));
  return Messages ?? [];
}

async function deleteAll(queueUrl: string, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  const result = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: queueUrl,
    Entries: messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
  }));
  expect(result.Failed ?? []).toEqual([]);
  expect(result.Successful ?? []).toHaveLength(messages.length);
}

describe('SQS (client-sqs against ElasticMQ)', () => {
  afterAll(async () => {
    for (const url of createdQueues) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    sqs.destroy();
  });

  it('gets its endpoint from the global setup', () => {
    expect(process.env[ENDPOINT_ENV.sqs]).toBe(endpoints.sqs);
  });

  it('sends, receives and deletes in a batch on a standard queue', async () => {
    const url = await createQueue(`smoke-std-${run}`);
    expect(url).toContain(`smoke-std-${run}`);
    const bodies = Array.from({ length: 7 }, (_, i) => `standard-${i}-${run}`);
    const sent = await sqs.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: bodies.map((body, i) => ({
        Id: `e${i}`,
        MessageBody: body,
        MessageAttributes: { index: { DataType: 'Number', StringValue: String(i) } },
      })),
    }));
    expect(sent.Failed ?? []).toEqual([]);
    expect(sent.Successful).toHaveLength(bodies.length);

    const received: Message[] = [];
    for (let attempt = 0; attempt < 10 && received.length < bodies.length; attempt++) {
      received.push(...await receive(url, { visibilityTimeout: 30 }));
    }
    expect(received.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    for (const m of received) {
      const index = bodies.indexOf(m.Body ?? '');
      expect(m.MessageAttributes?.['index']?.StringValue).toBe(String(index));
      expect(m.Attributes?.ApproximateReceiveCount).toBe('1');
    }

    await deleteAll(url, received);
    expect(await attribute(url, 'ApproximateNumberOfMessages')).toBe('0');
    expect(await attribute(url, 'ApproximateNumberOfMessagesNotVisible')).toBe('0');
    expect(await receive(url, { waitSeconds: 0 })).toEqual([]);
  });

  it('keeps order per message group on a FIFO queue and deduplicates by content', async () => {
    const url = await createQueue(`smoke-fifo-${run}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const groups = ['group-a', 'group-b', 'group-c'];
    const perGroup = 6;
    // Interleave the groups so per-group order is not simply arrival order.
    for (let i = 0; i < perGroup; i++) {
      for (const group of groups) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageGroupId: group, MessageBody: `${group}:${i}` }));
      }
    }
    // Same body, same group within the deduplication window: dropped.
    const duplicate = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageGroupId: 'group-a', MessageBody: 'group-a:0' }));
    expect(duplicate.MessageId).toBeDefined();

    const seen = new Map<string, string[]>();
    for (let attempt = 0; attempt < 40; attempt++) {
      const batch = await receive(url, { visibilityTimeout: 30, waitSeconds: 0 });
      if (batch.length === 0 && [...seen.values()].flat().length >= groups.length * perGroup) break;
      for (const m of batch) {
        const group = m.Attributes?.MessageGroupId ?? '?';
        seen.set(group, [...(seen.get(group) ?? []), m.Body ?? '']);
      }
      await deleteAll(url, batch);
    }
    for (const group of groups) {
      expect(seen.get(group), group).toEqual(Array.from({ length: perGroup }, (_, i) => `${group}:${i}`));
    }
    expect([...seen.keys()].sort()).toEqual(groups);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives without delete', async () => {
    const dlqUrl = await createQueue(`smoke-dlq-${run}`);
    const dlqArn = await attribute(dlqUrl, 'QueueArn');
    const url = await createQueue(`smoke-redrive-${run}`, {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }),
    });
    const body = `poison-${run}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));

    // Receive without deleting until the source queue stops handing the message out.
    const receiveCounts: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const batch = await receive(url, { visibilityTimeout: 1, waitSeconds: 2 });
      if (batch.length === 0 && receiveCounts.length >= 2) break;
      for (const m of batch) {
        expect(m.Body).toBe(body);
        receiveCounts.push(m.Attributes?.ApproximateReceiveCount ?? '?');
      }
      // Let the 1 s visibility timeout lapse before the next receive.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    expect(receiveCounts).toEqual(['1', '2']);

    const dead = await receive(dlqUrl, { waitSeconds: 2 });
    expect(dead.map((m) => m.Body)).toEqual([body]);
    await deleteAll(dlqUrl, dead);
    expect(await attribute(url, 'ApproximateNumberOfMessages')).toBe('0');
  });
});
