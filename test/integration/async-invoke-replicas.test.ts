/**
 * Asynchronous invocation on an operator's SQS queue (`asyncQueue: { type: sqs }`, real ElasticMQ) shared by two
 * replicas (two services in this process, each with its own state directory and API): events accepted by either
 * replica's Invoke are all run once the queue is drained, both replicas take part, and a failing event still gets
 * exactly 3 attempts (retries travel through the shared queue with SQS delays) before AWS's record reaches OnFailure.
 */
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { createService, type TributaryService } from '../../src/index.ts';
import { createQueue, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { lambdaClient } from './helpers/control-plane.ts';
import { waitFor } from './helpers/wait.ts';

const HANDLER = `import { appendFileSync } from 'node:fs';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = async (event, context) => {
  await sleep(20);
  appendFileSync(process.env.LEDGER_FILE, JSON.stringify({ requestId: context.awsRequestId, id: event.id, replica: process.env.REPLICA }) + '\\n');
  if (event.fail) throw new Error('fails: ' + event.id);
  return {};
};
`;

let dir: string;
let sqs: SQSClient;
let queue: { url: string; arn: string };
let failures: { url: string; arn: string };
const replicas: { service: TributaryService; lambda: LambdaClient }[] = [];
const ledgerFile = (): string => join(dir, 'ledger.jsonl');
/** The ledger's complete lines: a read while a handler appends can end inside its line (it failed CI once). */
const handled = (): { requestId: string; id: string; replica: string }[] =>
  existsSync(ledgerFile())
    ? readFileSync(ledgerFile(), 'utf8')
        .split('\n')
        .slice(0, -1)
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { requestId: string; id: string; replica: string })
    : [];

async function replica(name: string): Promise<{ service: TributaryService; lambda: LambdaClient }> {
  const service = createService(
    {
      server: { enabled: false },
      logLevel: 'fatal',
      checkpoints: { type: 'file', path: join(dir, `state-${name}`) },
      shutdownTimeoutSeconds: 10,
      functions: {
        ledger: {
          type: 'module',
          handler: './handlers/ledger.handler',
          timeout: 10,
          reservedConcurrency: 2,
          environment: { LEDGER_FILE: ledgerFile(), REPLICA: name },
          asyncQueue: { type: 'sqs', queueUrl: queue.url, endpoint: sqsEndpoint() },
          eventInvokeConfig: { destinationConfig: { onFailure: { destination: failures.url } } },
        },
      },
      api: { port: 0 },
      pipelines: [],
    },
    { baseDir: dir, env: {}, asyncTimeScale: 0.001 },
  );
  await service.start();
  const started = { service, lambda: lambdaClient(service.apiUrl ?? '') };
  replicas.push(started);
  return started;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-async-replicas-'));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'handlers', 'ledger.mjs'), HANDLER);
  sqs = sqsClient();
  [queue, failures] = await Promise.all([createQueue(sqs, uniqueName('async-shared')), createQueue(sqs, uniqueName('async-shared-fail'))]);
});

afterAll(async () => {
  for (const { service, lambda } of replicas) {
    lambda.destroy();
    await service.stop();
  }
  sqs.destroy();
});

describe('an SQS-backed asynchronous queue shared by two replicas', () => {
  it('events accepted by either replica all run, both replicas share them, and retries still count to 3', async () => {
    const [a, b] = [await replica('a'), await replica('b')];
    const limit = pLimit(8);
    const ids = Array.from({ length: 200 }, (_, i) => `e-${i}`);
    await Promise.all(
      ids.map((id, i) =>
        limit(async () => {
          const via = i % 2 === 0 ? a : b;
          const result = await via.lambda.send(new InvokeCommand({ FunctionName: 'ledger', InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ id })) }));
          expect(result.StatusCode).toBe(202);
        }),
      ),
    );
    const failing = await a.lambda.send(new InvokeCommand({ FunctionName: 'ledger', InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ id: 'bad', fail: true })) }));
    await waitFor(() => ids.every((id) => handled().some((row) => row.id === id)), 120_000, 'every event to run');
    const rows = handled().filter((row) => row.id !== 'bad');
    expect(new Set(rows.map((row) => row.replica))).toEqual(new Set(['a', 'b']));

    let record: { requestContext?: { requestId?: string; condition?: string; approximateInvokeCount?: number } } | null = null;
    await waitFor(
      async () => {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
        const body = got.Messages?.[0]?.Body;
        if (body !== undefined) record = JSON.parse(body) as typeof record;
        return record !== null;
      },
      60_000,
      'the on-failure record',
    );
    expect(record).toMatchObject({ requestContext: { requestId: failing.$metadata.requestId, condition: 'RetriesExhausted', approximateInvokeCount: 3 } });
    expect(handled().filter((row) => row.id === 'bad')).toHaveLength(3);
  }, 180_000);
});
