/**
 * The control plane with @aws-sdk/client-lambda against a running service (in this process) and the real ElasticMQ
 * and kinesis-local, while records flow, every record counted in a ledger written by the function itself:
 * - an SQS mapping created through the API runs; disabled it stops taking messages and keeps the rest in the queue;
 *   enabled it resumes; an update (batch size, filter) applies live; nothing is lost or handled twice; delete stops it;
 * - a Kinesis mapping whose poison record blocks its shard is updated live to 0 retries and an on-failure file
 *   destination: the poison record goes there, the shard moves on, nothing else is lost; delete gives its checkpoints
 *   back;
 * - reserved concurrency is shared by a mapping and Invoke: 429 TooManyRequestsException while the mapping's batch
 *   runs, and a mapping that waits for the slot longer than the queue's visibility timeout is not redelivered;
 * - Invoke answers with the function's response and its log tail; the file's mappings are read-only; a second
 *   mapping of the same queue to the same function is a conflict; a restart keeps API mappings.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvokeCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createService, type TributaryService } from '../../src/index.ts';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, putAll } from './helpers/kinesis.ts';
import { duplicates, failedAttempts, lambdaClient, ledger, writeLedgerHandler } from './helpers/control-plane.ts';
import { delay, waitFor } from './helpers/wait.ts';
import { sdkRefusal } from './api-fixture.ts';

let dir: string;
let sqs: SQSClient;
let kinesis: KinesisClient;
let fileQueue: { url: string; arn: string };
const streams: string[] = [];
const services: TributaryService[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-control-plane-'));
  writeLedgerHandler(dir);
  sqs = sqsClient();
  kinesis = kinesisClient();
  fileQueue = await createQueue(sqs, uniqueName('cp-file'));
});
afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  for (const stream of streams) await deleteStream(kinesis, stream).catch(() => undefined);
  sqs.destroy();
  kinesis.destroy();
});

const ledgerFile = (name: string): string => join(dir, `${name}.jsonl`);

/** A service with the API on a free port, the file's one pipeline, and two functions. */
let stateSeq = 0;
async function startService(state = `state-${(stateSeq += 1)}`): Promise<{ service: TributaryService; lambda: LambdaClient }> {
  const env = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({ LEDGER_FILE: ledgerFile(name), MARKER_FILE: join(dir, `${name}.marker`), ...extra });
  const service = createService(
    {
      server: { enabled: true, port: 0 },
      logLevel: 'warn',
      checkpoints: { type: 'file', path: join(dir, state) },
      shutdownTimeoutSeconds: 10,
      functions: {
        ledger: { type: 'module', handler: './handlers/ledger.handler', timeout: 10, environment: env('ledger') },
        slow: { type: 'module', handler: './handlers/ledger.handler', timeout: 20, reservedConcurrency: 1, environment: env('slow', { SLEEP_MS: '1500' }) },
      },
      api: { port: 0, syncIntervalSeconds: 1, sourceDefaults: { sqs: { endpoint: sqsEndpoint() }, kinesis: { endpoint: kinesisEndpoint() } } },
      pipelines: [{ name: 'from-file', function: 'ledger', source: { type: 'sqs', queueUrl: fileQueue.url, endpoint: sqsEndpoint() } }],
    },
    { baseDir: dir, env: {}, leaseDurationMs: 3000 },
  );
  services.push(service);
  await service.start();
  return { service, lambda: lambdaClient(service.apiUrl ?? '') };
}

/** `State`, or the error name Get was refused with. */
async function stateOrError(lambda: LambdaClient, uuid: string): Promise<string | undefined> {
  return lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })).then(
    (mapping) => mapping.State,
    (error: unknown) => (error as Error).name,
  );
}

async function stateOf(lambda: LambdaClient, uuid: string): Promise<string | undefined> {
  return (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State;
}

const bodies = (file: string, prefix: string): string[] => ledger(file).filter((row) => row.body.startsWith(prefix)).map((row) => row.body);

describe('the control plane through @aws-sdk/client-lambda', () => {
  it('SQS: create, disable (keeps the rest in the queue), enable, live update of batch size and filter, delete — nothing lost or duplicated', async () => {
    const { service, lambda } = await startService();
    // A short visibility timeout: see the disabled check below.
    const queue = await createQueue(sqs, uniqueName('cp-sqs'), { VisibilityTimeout: '5' });
    const file = ledgerFile('ledger');
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ledger', EventSourceArn: queue.arn, BatchSize: 10, MaximumBatchingWindowInSeconds: 1 }));
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 10, EventSourceArn: queue.arn, StateTransitionReason: 'USER_INITIATED' });
    const uuid = created.UUID ?? '';
    await waitFor(async () => (await stateOf(lambda, uuid)) === 'Enabled', 20_000, 'the mapping to be Enabled');
    // /status and /readyz include it.
    const status = (await (await fetch(`${service.url ?? ''}/status`)).json()) as { pipelines: { name: string; state: string }[] };
    expect(status.pipelines.map((p) => p.name)).toEqual(expect.arrayContaining(['from-file', uuid]));
    expect((await fetch(`${service.url ?? ''}/readyz`)).status).toBe(200);

    await sendAll(sqs, queue.url, Array.from({ length: 30 }, (_, i) => ({ body: `a-${i}` })));
    await waitFor(() => bodies(file, 'a-').length >= 30, 30_000, 'the first 30 messages');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).LastProcessingResult).toBe('OK');

    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }))).State).toBe('Disabling');
    await waitFor(async () => (await stateOf(lambda, uuid)) === 'Disabled', 20_000, 'the mapping to be Disabled');
    expect((await fetch(`${service.url ?? ''}/readyz`)).status).toBe(200); // a paused mapping is not "not ready"
    await sendAll(sqs, queue.url, Array.from({ length: 20 }, (_, i) => ({ body: `b-${i}` })));
    await delay(2_500);
    expect(bodies(file, 'b-')).toEqual([]);
    // Nothing handled while disabled, nothing lost. An idle long poll aborted at the disable may still be answered by
    // ElasticMQ, which then holds a message in flight until its visibility timeout (README "Limitations").
    const depth = await queueDepth(sqs, queue.url);
    expect(depth.visible + depth.inFlight).toBe(20);

    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }))).State).toBe('Enabling');
    await waitFor(() => bodies(file, 'b-').length >= 20, 30_000, 'the messages sent while disabled');

    // Live update: batch size 3 and a filter; messages sent during the update are not lost.
    const sending = sendAll(sqs, queue.url, Array.from({ length: 15 }, (_, i) => ({ body: `c-${i}` })));
    const updated = await lambda.send(
      new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 3, MaximumBatchingWindowInSeconds: 0, FilterCriteria: { Filters: [{ Pattern: '{"body": [{"prefix": "c-"}, {"prefix": "keep-"}]}' }] } }),
    );
    expect(updated).toMatchObject({ State: 'Updating', BatchSize: 3, FilterCriteria: { Filters: [{ Pattern: '{"body": [{"prefix": "c-"}, {"prefix": "keep-"}]}' }] } });
    await sending;
    await waitFor(async () => (await stateOf(lambda, uuid)) === 'Enabled', 20_000, 'the update to be applied');
    await sendAll(sqs, queue.url, Array.from({ length: 12 }, (_, i) => ({ body: i % 2 === 0 ? `keep-${i}` : `drop-${i}` })));
    await waitFor(() => bodies(file, 'c-').length >= 15 && bodies(file, 'keep-').length >= 6, 30_000, 'the messages around and after the update');
    await waitFor(async () => (await queueDepth(sqs, queue.url)).visible + (await queueDepth(sqs, queue.url)).inFlight === 0, 20_000, 'the filtered messages to be deleted');
    expect(bodies(file, 'drop-')).toEqual([]);
    expect(ledger(file).filter((row) => row.body.startsWith('keep-')).every((row) => row.batch <= 3)).toBe(true);
    const mine = ledger(file).filter((row) => /^[abc]-|^keep-/.test(row.body));
    expect(mine).toHaveLength(30 + 20 + 15 + 6);
    expect(duplicates(mine)).toEqual([]);

    expect((await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Deleting');
    await waitFor(async () => (await stateOrError(lambda, uuid)) === 'ResourceNotFoundException', 20_000, 'the mapping to be gone');
    expect(service.pipelines.map((p) => p.name)).toEqual(['from-file']);
  }, 180_000);

  it("Kinesis: a live update of the retry settings frees a shard blocked by a poison record; delete releases the mapping's checkpoints", async () => {
    const state = 'kinesis-state';
    const { lambda } = await startService(state);
    const stream = uniqueName('cp-stream');
    streams.push(stream);
    await createStream(kinesis, stream, 2);
    const file = ledgerFile('ledger');
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'ledger', EventSourceArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`, StartingPosition: 'TRIM_HORIZON', BatchSize: 5 }),
    );
    expect(created).toMatchObject({ State: 'Creating', StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: -1, StateTransitionReason: 'User action' });
    const uuid = created.UUID ?? '';
    await putAll(kinesis, stream, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, data: `s-${i}` })));
    await waitFor(() => bodies(file, 's-').length >= 20, 30_000, 'the first 20 records');
    // One poison record, then more on the same key: that shard is blocked (infinite retries).
    const before = failedAttempts(file);
    await putAll(kinesis, stream, [{ key: 'blocked', data: 'poison' }, ...Array.from({ length: 5 }, (_, i) => ({ key: 'blocked', data: `t-${i}` }))]);
    await waitFor(() => failedAttempts(file) >= before + 2, 30_000, 'the poison record to be retried');
    expect(bodies(file, 't-')).toEqual([]);
    const updated = await lambda.send(
      new UpdateEventSourceMappingCommand({ UUID: uuid, MaximumRetryAttempts: 0, BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Destination: 'file://./failed.jsonl' } } }),
    );
    expect(updated).toMatchObject({ State: 'Updating', MaximumRetryAttempts: 0, BisectBatchOnFunctionError: true });
    await waitFor(() => bodies(file, 't-').length >= 5, 40_000, 'the records behind the poison one');
    const failed = readFileSync(join(dir, 'failed.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { requestContext: { condition: string } });
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]?.requestContext.condition).toBe('RetryAttemptsExhausted');
    const mine = ledger(file).filter((row) => /^[st]-/.test(row.body));
    expect(new Set(mine.map((row) => row.body)).size).toBe(25);

    const checkpoints = join(dir, state, `${uuid}.json`);
    expect(existsSync(checkpoints)).toBe(true);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    await waitFor(async () => (await stateOrError(lambda, uuid)) === 'ResourceNotFoundException', 30_000, 'the mapping to be gone');
    expect((JSON.parse(readFileSync(checkpoints, 'utf8')) as { leases: unknown[] }).leases).toEqual([]);
  }, 180_000);

  it('reserved concurrency is shared by a mapping and Invoke: 429 while the batch runs; a mapping waiting for the slot is not redelivered', async () => {
    const { lambda } = await startService();
    // Visibility 2 s: a message held past it without the heartbeat would come back with a higher receive count.
    const queue = await createQueue(sqs, uniqueName('cp-reserved'), { VisibilityTimeout: '2' });
    const file = ledgerFile('slow');
    const marker = join(dir, 'slow.marker');
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'slow', EventSourceArn: queue.arn, BatchSize: 1 }));
    const uuid = created.UUID ?? '';
    await waitFor(async () => (await stateOf(lambda, uuid)) === 'Enabled', 20_000, 'the mapping to be Enabled');

    // 1. The mapping's batch holds the only slot (the handler sleeps 1.5 s): a synchronous call is refused at once.
    await sendAll(sqs, queue.url, [{ body: 'first' }]);
    await waitFor(() => existsSync(`${marker}.batch`), 20_000, 'the batch to start');
    const refused = await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: JSON.stringify({ echo: 1 }) })));
    expect(refused).toMatchObject({ name: 'TooManyRequestsException', status: 429, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    await waitFor(() => bodies(file, 'first').length === 1, 20_000, 'the first message');

    // 2. A synchronous call holds the slot for 6 s: the mapping's messages wait, kept invisible, and run once after.
    const holding = lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: JSON.stringify({ holdMs: 6000 }) }));
    await waitFor(() => existsSync(marker), 20_000, 'the synchronous invocation to start');
    await sendAll(sqs, queue.url, [{ body: 'waiting-1' }, { body: 'waiting-2' }]);
    const second = await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: JSON.stringify({ echo: 2 }) })));
    expect(second.reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    const held = await holding;
    expect(held.StatusCode).toBe(200);
    await waitFor(() => bodies(file, 'waiting-').length === 2, 30_000, 'the waiting messages');
    const rows = ledger(file);
    expect(rows.map((row) => row.receives)).toEqual(['1', '1', '1']);
    expect(duplicates(rows)).toEqual([]);
  }, 120_000);

  it('Invoke with the log tail; the file mapping is read-only; a duplicate mapping is a conflict; API mappings survive a restart', async () => {
    const first = await startService('restart-state');
    const response = await first.lambda.send(new InvokeCommand({ FunctionName: 'ledger', Payload: JSON.stringify({ echo: 'hi' }), LogType: 'Tail' }));
    expect(response).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(new TextDecoder().decode(response.Payload))).toMatchObject({ echo: 'hi' });
    const tail = Buffer.from(response.LogResult ?? '', 'base64').toString('utf8');
    expect(tail).toMatch(/^START RequestId: \S+ Version: \$LATEST\n.*\tINFO\techo "hi"\nEND RequestId: \S+\nREPORT RequestId: /s);
    // Asynchronous invocation is accepted (issue 14; its semantics are tested in async-invoke*.test.ts).
    expect(await first.lambda.send(new InvokeCommand({ FunctionName: 'ledger', InvocationType: 'Event', Payload: '{}' }))).toMatchObject({ StatusCode: 202 });

    const listed = await first.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'ledger' }));
    const fromFile = listed.EventSourceMappings?.find((m) => m.EventSourceArn === fileQueue.arn);
    expect(fromFile).toMatchObject({ FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ledger', BatchSize: 10 });
    await waitFor(async () => (await stateOf(first.lambda, fromFile?.UUID ?? '')) === 'Enabled', 20_000, 'the file mapping to be Enabled');
    const readOnly = await sdkRefusal(first.lambda.send(new UpdateEventSourceMappingCommand({ UUID: fromFile?.UUID ?? '', BatchSize: 2 })));
    expect(readOnly).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    const duplicate = await sdkRefusal(first.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ledger', EventSourceArn: fileQueue.arn })));
    expect(duplicate).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    expect(duplicate.message).toBe(`An event source mapping with SQS arn (" ${fileQueue.arn} ") and function (" ledger ") already exists. Please update or delete the existing mapping with UUID ${fromFile?.UUID ?? ''}`);

    const queue = await createQueue(sqs, uniqueName('cp-restart'));
    const created = await first.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'ledger', EventSourceArn: queue.arn, Enabled: false, BatchSize: 7 }));
    await waitFor(async () => (await stateOf(first.lambda, created.UUID ?? '')) === 'Disabled', 20_000, 'the mapping to be Disabled');
    await first.service.stop();
    const second = await startService('restart-state');
    const again = await second.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID ?? '' }));
    expect(again).toMatchObject({ UUID: created.UUID, BatchSize: 7, EventSourceArn: queue.arn });
    await waitFor(async () => (await stateOf(second.lambda, created.UUID ?? '')) === 'Disabled', 20_000, 'the restored mapping to be Disabled');
    await sendAll(sqs, queue.url, [{ body: 'after-restart' }]);
    await second.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID ?? '', Enabled: true }));
    await waitFor(() => bodies(ledgerFile('ledger'), 'after-restart').length === 1, 30_000, 'the restored mapping to run');
  }, 120_000);
});
