/**
 * Asynchronous invocation (Invoke with InvocationType Event, issue 14) through @aws-sdk/client-lambda against a running
 * service in this process, destinations and dead-letter queues on the real ElasticMQ:
 * - a function that always fails is invoked exactly 3 times (MaximumRetryAttempts 2), then AWS's invocation record
 *   (condition RetriesExhausted, approximateInvokeCount 3, responseContext, responsePayload) reaches the OnFailure
 *   queue and the event itself the DeadLetterConfig queue with RequestID / ErrorCode / ErrorMessage attributes;
 * - an event that outlives its MaximumEventAgeInSeconds is dropped with EventAgeExceeded;
 * - a success sends the Success record to OnSuccess; settings stored with PutFunctionEventInvokeConfig apply;
 * - a file destination, a Kafka topic (real Kafka), and another function as destination (invoked asynchronously
 *   with the record as its event); the async metrics count all of it;
 * - throttles and system errors of an `http` function are retried without using attempts;
 * - DryRun answers 204 and runs nothing.
 * AWS's waits (1 and 2 minutes) and ages are shortened with asyncTimeScale (1/1000), not slept.
 */
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createService, type ModuleFunctionDeclaration, type TributaryService } from '../../src/index.ts';
import { createQueue, sqsClient, uniqueName } from './helpers/sqs.ts';
import { lambdaClient } from './helpers/control-plane.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, readTopic, type KafkaTestClient } from './helpers/kafka.ts';
import { waitFor } from './helpers/wait.ts';

/** One JSON line per invocation in `$LEDGER_FILE`; throws when the event says `fail`; `holdMs` marks its start and end. */
const HANDLER = `import { appendFileSync } from 'node:fs';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = async (event, context) => {
  if (event.holdMs !== undefined) {
    appendFileSync(process.env.LEDGER_FILE + '.spans', 'start ' + event.id + '\\n');
    await sleep(event.holdMs);
    appendFileSync(process.env.LEDGER_FILE + '.spans', 'end ' + event.id + '\\n');
  }
  appendFileSync(process.env.LEDGER_FILE, JSON.stringify({ requestId: context.awsRequestId, event }) + '\\n');
  if (event.fail) throw new Error('always fails: ' + event.id);
  return { ok: event.id };
};
`;

let dir: string;
let sqs: SQSClient;
let service: TributaryService;
let lambda: LambdaClient;
let failures: { url: string; arn: string };
let successes: { url: string; arn: string };
let deadLetters: { url: string; arn: string };
let kafka: KafkaTestClient;
/** An `http` function's endpoint: answers 429 twice, then 503 once, then 200 — throttles and a system error. */
let endpoint: Server;
const endpointRequests: string[] = [];
const ENDPOINT_PORT = 23030;
const topic = uniqueName('async-records');

const payload = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const invocations = (file: string): { requestId: string; event: { id: string } }[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { requestId: string; event: { id: string } })
    : [];

async function receiveOne(url: string): Promise<{ body: unknown; attributes: Record<string, string> }> {
  for (let i = 0; i < 30; i += 1) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    const message = got.Messages?.[0];
    if (message !== undefined) {
      const attributes = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, `${v.DataType ?? ''}:${v.StringValue ?? ''}`]));
      return { body: JSON.parse(message.Body ?? 'null') as unknown, attributes };
    }
  }
  throw new Error(`no message on ${url}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-async-'));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'handlers', 'async.mjs'), HANDLER);
  sqs = sqsClient();
  endpoint = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      endpointRequests.push(body);
      const status = endpointRequests.length <= 2 ? 429 : endpointRequests.length === 3 ? 503 : 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status === 200 ? { answered: endpointRequests.length } : { message: 'busy' }));
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(ENDPOINT_PORT, '127.0.0.1', resolve));
  kafka = await kafkaTestClient();
  await createTopic(kafka, topic, 1);
  [failures, successes, deadLetters] = await Promise.all([createQueue(sqs, uniqueName('async-fail')), createQueue(sqs, uniqueName('async-ok')), createQueue(sqs, uniqueName('async-dlq'))]);
  const fn = (name: string, extra: Omit<ModuleFunctionDeclaration, 'type' | 'handler'>): ModuleFunctionDeclaration => ({
    type: 'module',
    handler: './handlers/async.handler',
    timeout: 10,
    environment: { LEDGER_FILE: join(dir, `${name}.jsonl`) },
    ...extra,
  });
  service = createService(
    {
      server: { enabled: false },
      logLevel: 'error',
      checkpoints: { type: 'file', path: join(dir, 'state') },
      shutdownTimeoutSeconds: 10,
      functions: {
        failing: fn('failing', {
          eventInvokeConfig: { destinationConfig: { onFailure: { destination: failures.url } } },
          deadLetterConfig: { targetArn: deadLetters.url },
        }),
        aging: fn('aging', { eventInvokeConfig: { maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: failures.url } } } }),
        fine: fn('fine', {}),
        relay: fn('relay', {
          eventInvokeConfig: {
            maximumRetryAttempts: 0,
            destinationConfig: { onSuccess: { destination: 'file://./relay-success.jsonl' }, onFailure: { destination: 'arn:aws:lambda:us-east-1:000000000000:function:sink' } },
          },
        }),
        sink: fn('sink', {}),
        single: fn('single', { reservedConcurrency: 1 }),
        remote: {
          type: 'http',
          url: `http://127.0.0.1:${ENDPOINT_PORT}/invoke`,
          timeout: 10,
          eventInvokeConfig: { maximumRetryAttempts: 0, destinationConfig: { onSuccess: { destination: 'file://./remote-success.jsonl' } } },
        },
        streamed: fn('streamed', { eventInvokeConfig: { destinationConfig: { onSuccess: { destination: `kafka://${kafkaBrokers().join(',')}/${topic}` } } } }),
      },
      api: { port: 0 },
      pipelines: [],
    },
    { baseDir: dir, env: {}, asyncTimeScale: 0.001 },
  );
  await service.start();
  lambda = lambdaClient(service.apiUrl ?? '');
});

afterAll(async () => {
  lambda.destroy();
  await service.stop();
  await kafka.close();
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  sqs.destroy();
});

describe('asynchronous invocation with Lambda semantics', () => {
  it('a failing function runs exactly 3 times, then AWS\'s record goes to OnFailure and the event to the dead-letter queue', async () => {
    const event = { id: 'f-1', fail: true };
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'failing', InvocationType: 'Event', Payload: payload(event) }));
    expect(queued.StatusCode).toBe(202);
    const requestId = queued.$metadata.requestId ?? '';
    expect(requestId).not.toBe('');
    const record = await receiveOne(failures.url);
    expect(record.body).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      requestContext: { requestId, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:failing:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'always fails: f-1' },
    });
    const attempts = invocations(join(dir, 'failing.jsonl'));
    expect(attempts.map((a) => a.requestId)).toEqual([requestId, requestId, requestId]);
    const dead = await receiveOne(deadLetters.url);
    expect(dead.body).toEqual(event);
    expect(dead.attributes).toEqual({ RequestID: `String:${requestId}`, ErrorCode: 'Number:200', ErrorMessage: 'String:always fails: f-1' });
  });

  it('an event that outlives its maximum age is dropped with EventAgeExceeded, with as many attempts as were made', async () => {
    // MaximumEventAgeInSeconds 60 is 60 ms here: the event expires either before its first invocation or because its
    // retry (1 minute → 60 ms) would come due after it — both are AWS's EventAgeExceeded, never RetriesExhausted.
    const event = { id: 'a-1', fail: true };
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'aging', InvocationType: 'Event', Payload: payload(event) }));
    const record = (await receiveOne(failures.url)).body as { requestContext: { approximateInvokeCount: number }; responseContext?: unknown };
    const made = invocations(join(dir, 'aging.jsonl'));
    expect(record).toMatchObject({ requestContext: { requestId: queued.$metadata.requestId, condition: 'EventAgeExceeded' }, requestPayload: event });
    expect(made.length).toBeLessThanOrEqual(1);
    expect(record.requestContext.approximateInvokeCount).toBe(made.length);
    // A record of an event that never ran has no response (AWS documents none).
    if (made.length === 0) expect(record).not.toHaveProperty('responseContext');
    else expect(record).toMatchObject({ responseContext: { statusCode: 200, functionError: 'Unhandled' } });
  });

  it('settings stored with PutFunctionEventInvokeConfig apply: a success goes to OnSuccess', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fine', MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: successes.url } } }));
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'fine', InvocationType: 'Event', Payload: payload({ id: 's-1' }) }));
    const record = await receiveOne(successes.url);
    expect(record.body).toMatchObject({
      version: '1.0',
      requestContext: { requestId: queued.$metadata.requestId, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { id: 's-1' },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { ok: 's-1' },
    });
    expect((record.body as { responseContext: object }).responseContext).not.toHaveProperty('functionError');
  });

  it('a file destination gets the Success record; another function as destination is invoked with the failure record', async () => {
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'relay', InvocationType: 'Event', Payload: payload({ id: 'r-ok' }) }));
    const bad = await lambda.send(new InvokeCommand({ FunctionName: 'relay', InvocationType: 'Event', Payload: payload({ id: 'r-bad', fail: true }) }));
    const successFile = join(dir, 'relay-success.jsonl');
    await waitFor(() => existsSync(successFile) && readFileSync(successFile, 'utf8').includes('r-ok'), 20_000, 'the Success record in the file');
    const lines = readFileSync(successFile, 'utf8').split('\n').filter((line) => line !== '');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ requestContext: expect.objectContaining({ requestId: ok.$metadata.requestId, condition: 'Success', approximateInvokeCount: 1 }) as unknown, requestPayload: { id: 'r-ok' } }),
    ]);
    await waitFor(() => invocations(join(dir, 'sink.jsonl')).length >= 1, 20_000, 'the sink function to get the failure record');
    const [received] = invocations(join(dir, 'sink.jsonl')) as unknown as { requestId: string; event: Record<string, unknown> }[];
    expect(received?.event).toMatchObject({
      version: '1.0',
      requestContext: { requestId: bad.$metadata.requestId, condition: 'RetriesExhausted', approximateInvokeCount: 1, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:relay:$LATEST' },
      requestPayload: { id: 'r-bad', fail: true },
      responsePayload: { errorType: 'Error', errorMessage: 'always fails: r-bad' },
    });
    // The destination function's event is a new asynchronous invocation with a request id of its own.
    expect(received?.requestId).not.toBe(bad.$metadata.requestId);
  });

  it('a Kafka topic destination gets the Success record', async () => {
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'streamed', InvocationType: 'Event', Payload: payload({ id: 'k-1' }) }));
    const [message] = await readTopic(kafka, topic, 1, 30_000);
    expect(JSON.parse(message?.value ?? 'null')).toMatchObject({
      requestContext: { requestId: queued.$metadata.requestId, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { id: 'k-1' },
      responsePayload: { ok: 'k-1' },
    });
  });

  it('counts what it did in the async metrics (AsyncEventsReceived / AsyncEventsDropped / AsyncEventAge)', async () => {
    const text = await service.metrics.registry.metrics();
    const value = (line: string): number => Number(new RegExp(`^${line.replace(/[{}"$]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');
    expect(value('tributary_async_events_enqueued_total{function="failing"}')).toBe(1);
    expect(value('tributary_async_events_dropped_total{function="failing",condition="RetriesExhausted"}')).toBe(1);
    expect(value('tributary_async_events_dequeued_total{function="failing"}')).toBe(1);
    // One observation per attempt.
    expect(value('tributary_async_event_age_seconds_count{function="failing"}')).toBe(3);
    expect(value('tributary_async_events_dropped_total{function="aging",condition="EventAgeExceeded"}')).toBe(1);
    expect(value('tributary_async_events_dequeued_total{function="fine"}')).toBe(1);
  });

  it('events wait for the function\'s reserved concurrency: with 1, they run one after another and all of them run', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => lambda.send(new InvokeCommand({ FunctionName: 'single', InvocationType: 'Event', Payload: payload({ id: `c-${i}`, holdMs: 50 }) }))));
    await waitFor(() => invocations(join(dir, 'single.jsonl')).length >= 6, 30_000, 'every event to run');
    const spans = readFileSync(join(dir, 'single.jsonl.spans'), 'utf8').split('\n').filter((line) => line !== '');
    // Never two at once: every start is followed by its own end.
    expect(spans).toHaveLength(12);
    for (let i = 0; i < spans.length; i += 2) expect(spans[i + 1]).toBe(spans[i]?.replace('start', 'end'));
    expect(new Set(invocations(join(dir, 'single.jsonl')).map((row) => row.event.id)).size).toBe(6);
  });

  it('throttles (429) and system errors (503) are retried without using attempts, even with MaximumRetryAttempts 0', async () => {
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'remote', InvocationType: 'Event', Payload: payload({ id: 't-1' }) }));
    const file = join(dir, 'remote-success.jsonl');
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('t-1'), 30_000, 'the Success record');
    expect(endpointRequests.map((body) => JSON.parse(body) as unknown)).toEqual([{ id: 't-1' }, { id: 't-1' }, { id: 't-1' }, { id: 't-1' }]);
    const [record] = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
    expect(record).toMatchObject({
      requestContext: { requestId: queued.$metadata.requestId, condition: 'Success', approximateInvokeCount: 1 },
      responseContext: { statusCode: 200 },
      responsePayload: { answered: 4 },
    });
  });

  it('DryRun answers 204 and runs nothing', async () => {
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'fine', InvocationType: 'DryRun', Payload: payload({ id: 'dry' }) }));
    expect(dry.StatusCode).toBe(204);
    await waitFor(() => invocations(join(dir, 'fine.jsonl')).length >= 1, 10_000, 'the earlier event ran');
    expect(invocations(join(dir, 'fine.jsonl')).map((i) => i.event.id)).not.toContain('dry');
  });
});
