/** The parameters every SQS contender takes, and the check they all run after the measurement. */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AWS_REGION, AWS_TEST_CREDENTIALS } from '../../test/services/endpoints.ts';
import { num, str } from './params.ts';
import { sleep } from './probe.ts';
import type { Params } from './types.ts';

export interface SqsRunParams {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly expected: number;
  /** Pollers: Tributary's maximumConcurrency, the raw loop's loops, sqs-consumer's consumers. */
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export function sqsParams(params: Params): SqsRunParams {
  return { endpoint: str(params, 'endpoint'), queueUrl: str(params, 'queueUrl'), expected: num(params, 'expected'), concurrency: num(params, 'concurrency'), timeoutMs: num(params, 'timeoutMs') };
}

export function benchSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ region: AWS_REGION, endpoint, credentials: AWS_TEST_CREDENTIALS });
}

/** null once the queue is empty (every handled message deleted) within 15 s; otherwise what is left. */
export async function emptyQueueCheck(client: SQSClient, queueUrl: string): Promise<string | null> {
  let left = 0;
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    left = Number(Attributes['ApproximateNumberOfMessages'] ?? 0) + Number(Attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0);
    if (left === 0) return null;
    await sleep(500);
  }
  return `${left} messages not deleted`;
}
