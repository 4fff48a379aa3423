/**
 * Issue 18 item 9, as a log user sees it: every JSON line a service writes while a `module` handler fails on a poison
 * record — leases taken and released, retries, bisects, on-failure deliveries, the handler's own console lines, the
 * REPORT lines, the Kafka client's — holds each key once (a repeated key is read differently by each log collector:
 * JSON.parse keeps the last, others keep the first or reject the line). Against the real services, one pipeline per
 * source; and `/status` shows the failed call's error in `lastError`, not `null` next to it.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type TributaryService } from '../../src/index.js';
import { captureLogs, linesWithRepeatedKeys, type CapturedLogs } from '../support/log-capture.ts';
import { createStreamTable, deleteTable, dynamodbClient, dynamodbEndpoint, put } from './helpers/dynamodb.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, produce } from './helpers/kafka.ts';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, putAll } from './helpers/kinesis.ts';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';
import { AWS_REGION } from '../services/endpoints.ts';
import { untypedPipeline } from '../support/untyped-input.ts';

let dir: string;
const services: TributaryService[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-log-lines-'));
  // A plain Lambda handler for any of the four event shapes: it logs, and throws on a batch holding a poison record.
  writeFileSync(
    join(dir, 'picky.mjs'),
    `const text = (r) => r.body ?? (r.kinesis ? Buffer.from(r.kinesis.data, 'base64').toString() : r.dynamodb ? JSON.stringify(r.dynamodb.NewImage) : Buffer.from(r.value ?? '', 'base64').toString());
export const handler = async (event) => {
  const records = event.Records ?? Object.values(event.records).flat();
  console.log('batch of', records.length);
  if (records.some((r) => text(r).includes('poison'))) throw new Error('poison record');
  return {};
};
`,
  );
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const FUNCTION = { type: 'module', handler: './picky.handler', timeout: 10 } as const;

async function runService(logs: CapturedLogs, name: string, pipeline: Record<string, unknown>, server = false): Promise<TributaryService> {
  const service = createService(
    {
      server: server ? { enabled: true, host: '127.0.0.1', port: 0 } : { enabled: false },
      checkpoints: { type: 'file', path: join(dir, `checkpoints-${name}`) },
      shutdownTimeoutSeconds: 10,
      logLevel: 'debug',
      pipelines: [untypedPipeline({ name, function: FUNCTION, ...pipeline })],
    },
    { logger: logs.logger, leaseDurationMs: 1_000, baseDir: dir, backoff: { baseMs: 50, maxMs: 50 } },
  );
  services.push(service);
  await service.start();
  return service;
}

const onFailureFile = (name: string): string => join(dir, `${name}-failed.jsonl`);
const delivered = (name: string): number => (existsSync(onFailureFile(name)) ? readFileSync(onFailureFile(name), 'utf8').trim().split('\n').length : 0);
const streamFailure = (name: string) => ({
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 1,
  destinationConfig: { onFailure: { destination: `file://${onFailureFile(name)}` } },
});

/** The lines that must be there for the check to mean something, then the check itself. */
function expectNoRepeatedKeys(logs: CapturedLogs, lane: 'shard' | 'partition' | 'lane'): void {
  const parsed = logs.parsed();
  const failed = parsed.filter((line) => String(line['msg']).startsWith('function failed: Error: poison record'));
  expect(failed.length).toBeGreaterThan(0);
  expect(failed[0]).toMatchObject({ level: 'warn', pipeline: expect.any(String), [lane]: expect.any(String), errorType: 'Error', errorMessage: 'poison record' });
  // The handler's own console.log, with the invocation's request id, as on Lambda.
  expect(parsed.some((line) => line['source'] === 'function' && typeof line['requestId'] === 'string' && String(line['msg']).includes('batch of'))).toBe(true);
  expect(linesWithRepeatedKeys(logs.lines)).toEqual([]);
}

describe('no log line repeats a key', () => {
  it('SQS: a batch with a poison message fails until the redrive policy moves it to the DLQ', async () => {
    const client = sqsClient();
    try {
      const dlq = await createQueue(client, uniqueName('logs-dlq'));
      const { url } = await createQueue(client, uniqueName('logs'), { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: '2' }) });
      await sendAll(client, url, [{ body: 'fine' }, { body: 'poison' }]);
      const logs = captureLogs();
      await runService(logs, 'logs-sqs', { source: { type: 'sqs', queueUrl: url, endpoint: sqsEndpoint(), region: AWS_REGION }, batchSize: 1 });
      await waitFor(async () => (await queueDepth(client, dlq.url)).visible === 1, 60_000, 'the poison message in the DLQ');
      await services.pop()?.stop();
      expectNoRepeatedKeys(logs, 'lane');
    } finally {
      client.destroy();
    }
  });

  it('Kinesis: leases, retries, bisects and the on-failure delivery', async () => {
    const client = kinesisClient();
    const stream = uniqueName('logs');
    try {
      await createStream(client, stream, 2);
      await putAll(client, stream, [{ key: 'a', data: 'fine' }, { key: 'a', data: 'poison' }, { key: 'b', data: 'fine' }]);
      const logs = captureLogs();
      await runService(logs, 'logs-kinesis', {
        source: { type: 'kinesis', streamName: stream, endpoint: kinesisEndpoint(), region: AWS_REGION },
        startingPosition: 'TRIM_HORIZON',
        parallelizationFactor: 2,
        ...streamFailure('logs-kinesis'),
      });
      await waitFor(() => delivered('logs-kinesis') === 1, 60_000, 'the poison record on-failure');
      await services.pop()?.stop();
      expect(logs.parsed().some((line) => line['msg'] === 'took lease')).toBe(true);
      expectNoRepeatedKeys(logs, 'shard');
    } finally {
      await deleteStream(client, stream);
      client.destroy();
    }
  });

  it('DynamoDB Streams: the same, on DynamoDB Local', async () => {
    const client = dynamodbClient();
    const table = uniqueName('logs');
    try {
      await createStreamTable(client, table, 'NEW_AND_OLD_IMAGES');
      await put(client, table, { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'fine' } });
      await put(client, table, { pk: { S: 'b' }, sk: { N: '1' }, v: { S: 'poison' } });
      const logs = captureLogs();
      await runService(logs, 'logs-ddb', {
        source: { type: 'dynamodb-streams', tableName: table, endpoint: dynamodbEndpoint(), region: AWS_REGION },
        startingPosition: 'TRIM_HORIZON',
        ...streamFailure('logs-ddb'),
      });
      await waitFor(() => delivered('logs-ddb') === 1, 60_000, 'the poison record on-failure');
      await services.pop()?.stop();
      expectNoRepeatedKeys(logs, 'shard');
    } finally {
      await deleteTable(client, table);
      client.destroy();
    }
  });

  it("Kafka: the consumer group's lines (kafkajs included), retries, bisects and the on-failure delivery", async () => {
    const kafka = await kafkaTestClient();
    const topic = uniqueName('logs');
    try {
      await createTopic(kafka, topic, 2);
      await produce(kafka, topic, [{ partition: 0, key: 'a', value: 'fine' }, { partition: 0, key: 'a', value: 'poison' }, { partition: 1, key: 'b', value: 'fine' }]);
      const logs = captureLogs();
      await runService(logs, 'logs-kafka', {
        source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic] },
        startingPosition: 'TRIM_HORIZON',
        ...streamFailure('logs-kafka'),
      });
      await waitFor(() => delivered('logs-kafka') === 1, 60_000, 'the poison record on-failure');
      await services.pop()?.stop();
      expectNoRepeatedKeys(logs, 'partition');
    } finally {
      await kafka.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await kafka.close();
    }
  });
});

describe('/status of a failed call', () => {
  it('shows the error in lastError (and in the recent events), not null', async () => {
    const client = sqsClient();
    try {
      const { url } = await createQueue(client, uniqueName('status'), { VisibilityTimeout: '60' });
      await sendAll(client, url, [{ body: 'poison' }]);
      const logs = captureLogs('warn');
      const service = await runService(logs, 'status-sqs', { source: { type: 'sqs', queueUrl: url, endpoint: sqsEndpoint(), region: AWS_REGION } }, true);
      type Status = { pipelines: { name: string; lastProcessingResult: string; lastError: string | null; recentEvents: { kind: string; errorMessage?: string }[] }[] };
      const status = async (): Promise<Status['pipelines'][number] | undefined> =>
        ((await (await fetch(`${service.url ?? ''}/status`)).json()) as Status).pipelines.find((p) => p.name === 'status-sqs');
      await waitFor(async () => (await status())?.lastProcessingResult.startsWith('PROBLEM') === true, 30_000, 'the failed call in /status');
      const pipeline = await status();
      expect(pipeline?.lastProcessingResult).toBe('PROBLEM: Function call failed (Error)');
      expect(pipeline?.lastError).toMatch(/^Function call failed \(threw\) on \S+, batch of 1: Error: poison record$/);
      expect(pipeline?.recentEvents.find((e) => e.kind === 'batch-failed')?.errorMessage).toBe('poison record');
    } finally {
      await services.pop()?.stop();
      client.destroy();
    }
  });
});
