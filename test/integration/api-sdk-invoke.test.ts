/**
 * Function look-ups, Invoke (all three invocation types, log tail, errors, limits, throttles) and the
 * event-invoke-config operations with the real @aws-sdk/client-lambda.
 */
import {
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionEventInvokeConfigsCommand,
  ListFunctionsCommand,
  paginateListFunctions,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, FUNCTIONS, REGION, startApiFixture, TEST_CREDENTIALS, type ApiFixture, sdkRefusal } from './api-fixture.ts';

let api: ApiFixture;
let lambda: LambdaClient;

beforeAll(async () => {
  api = await startApiFixture();
  lambda = new LambdaClient({ endpoint: api.server.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await api.close();
});

const arn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const json = (bytes: Uint8Array | undefined): unknown => JSON.parse(new TextDecoder().decode(bytes));
const payload = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('functions through @aws-sdk/client-lambda', () => {
  it('lists the declared functions page by page and gets one by name, partial ARN and ARN', async () => {
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 2 }, {})) {
      expect(page.Functions?.length ?? 0).toBeLessThanOrEqual(2);
      names.push(...(page.Functions ?? []).map((fn) => fn.FunctionName ?? ''));
    }
    expect(names).toEqual(FUNCTIONS.map((fn) => fn.name).sort());
    for (const name of ['orders', `${ACCOUNT}:function:orders`, arn('orders'), `${arn('orders')}:$LATEST`]) {
      const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      expect(got.Configuration, name).toMatchObject({
        FunctionName: 'orders',
        FunctionArn: arn('orders'),
        Handler: './handlers/orders.handler',
        Timeout: 30,
        MemorySize: 256,
        Version: '$LATEST',
        State: 'Active',
        PackageType: 'Zip',
        LastModified: '2026-01-02T03:04:05.000+0000',
      });
      expect(got.Configuration?.Environment).toBeUndefined();
    }
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'throttled' }))).Concurrency).toEqual({ ReservedConcurrentExecutions: 0 });
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'container' }))).PackageType).toBe('Image');
    expect((await lambda.send(new ListFunctionsCommand({ MaxItems: 50 }))).NextMarker).toBeUndefined();
  });

  it('answers unknown functions, other qualifiers and other regions as Lambda does', async () => {
    expect(await sdkRefusal(lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${arn('missing')}`,
      status: 404,
      type: 'User',
    });
    expect(await sdkRefusal(lambda.send(new GetFunctionCommand({ FunctionName: 'orders', Qualifier: '7' })))).toMatchObject({ message: `Function not found: ${arn('orders')}:7` });
    expect(await sdkRefusal(lambda.send(new GetFunctionCommand({ FunctionName: 'orders:prod', Qualifier: 'dev' })))).toEqual({
      name: 'InvalidParameterValueException',
      message: 'The derived qualifier from the function name does not match the specified qualifier.',
      status: 400,
      type: 'User',
    });
    expect(await sdkRefusal(lambda.send(new GetFunctionCommand({ FunctionName: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:orders` })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
      status: 404,
      type: 'User',
    });
    expect(await sdkRefusal(lambda.send(new GetFunctionCommand({ FunctionName: 'bad name!' })))).toMatchObject({ name: 'ValidationException', status: 400 });
  });
});

describe('Invoke through @aws-sdk/client-lambda', () => {
  it('RequestResponse returns the payload, the executed version and the last 4 KB of the log', async () => {
    const context = Buffer.from(JSON.stringify({ client: { app: 'checkout' } })).toString('base64');
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'orders', Payload: payload({ id: 7 }), LogType: 'Tail', ClientContext: context }));
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(result.FunctionError).toBeUndefined();
    const body = json(result.Payload) as { ok: boolean; event: unknown; requestId: string; clientContext: unknown };
    expect(body).toMatchObject({ ok: true, event: { id: 7 }, clientContext: { client: { app: 'checkout' } } });
    expect(body.requestId).toBe(result.$metadata.requestId);
    const log = Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain(`START RequestId: ${body.requestId}`);
    expect(log).toContain('received {"id":7}');

    const chatty = await lambda.send(new InvokeCommand({ FunctionName: 'chatty', Payload: payload({}), LogType: 'Tail' }));
    const tail = Buffer.from(chatty.LogResult ?? '', 'base64');
    expect(tail.byteLength).toBeGreaterThan(4090);
    expect(tail.byteLength).toBeLessThanOrEqual(4096);
    expect(tail.toString('utf8')).toMatch(/REPORT RequestId: \S+\tDuration/);
    expect(tail.toString('utf8')).not.toContain('\uFFFD');
    expect((await lambda.send(new InvokeCommand({ FunctionName: 'orders' }))).LogResult).toBeUndefined();
    expect(json((await lambda.send(new InvokeCommand({ FunctionName: 'orders' }))).Payload)).toMatchObject({ event: {} });
  });

  it('reports a function error with X-Amz-Function-Error and the error object', async () => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: arn('failing'), Payload: payload({}) }));
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toEqual({ errorType: 'TypeError', errorMessage: 'order 7 has no customer', trace: [] });
  });

  it('Event answers 202 and the function runs afterwards; DryRun answers 204 and runs nothing', async () => {
    const before = api.invoker.asyncInvocations.length;
    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'orders', InvocationType: 'Event', Payload: payload({ id: 'async' }) }));
    expect(queued.StatusCode).toBe(202);
    expect(queued.Payload?.byteLength ?? 0).toBe(0);
    await api.invoker.idle();
    expect(api.invoker.asyncInvocations.slice(before)).toEqual([
      { functionName: 'orders', requestId: queued.$metadata.requestId, event: { id: 'async' }, outcome: 'succeeded' },
    ]);
    const dry = await lambda.send(new InvokeCommand({ FunctionName: 'orders', InvocationType: 'DryRun', Payload: payload({ id: 'dry' }) }));
    expect(dry.StatusCode).toBe(204);
    await api.invoker.idle();
    expect(api.invoker.asyncInvocations).toHaveLength(before + 1);
    expect(await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'missing', InvocationType: 'DryRun' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it("refuses throttled, oversized and non-JSON invocations with Lambda's errors", async () => {
    expect(await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'throttled', Payload: payload({}) })))).toEqual({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      status: 429,
      type: 'User',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    const sync = new Uint8Array(6_291_457).fill(0x20);
    expect(await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'orders', Payload: sync })))).toEqual({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      status: 413,
      type: 'User',
    });
    const async = payload({ data: 'x'.repeat(1_048_576) });
    expect(await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'orders', InvocationType: 'Event', Payload: async })))).toEqual({
      name: 'RequestEntityTooLargeException',
      message: `${async.byteLength} byte payload is too large for the Event invocation type (limit 1048576 bytes)`,
      status: 413,
      type: 'User',
    });
    expect(await sdkRefusal(lambda.send(new InvokeCommand({ FunctionName: 'orders', Payload: new TextEncoder().encode('{"id": ') })))).toMatchObject({
      name: 'InvalidRequestContentException',
      status: 400,
      message: expect.stringMatching(/^Could not parse request body into json: Could not parse payload into json: /) as unknown as string,
    });
    const tooBig = await lambda.send(new InvokeCommand({ FunctionName: 'chatty', Payload: payload({ responseBytes: 6_300_000 }) }));
    expect(tooBig.FunctionError).toBe('Unhandled');
    expect(json(tooBig.Payload)).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });
});

describe('event-invoke configs through @aws-sdk/client-lambda', () => {
  it('puts, gets, updates, lists and deletes, with AWS documents and errors', async () => {
    expect(await sdkRefusal(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'orders' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: `The function ${arn('orders')}:$LATEST doesn't have an EventInvokeConfig`,
      status: 404,
      type: 'User',
    });
    const put = await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'orders',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq` } },
      }),
    );
    expect(put).toMatchObject({
      FunctionArn: `${arn('orders')}:$LATEST`,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq` } },
    });
    expect(put.LastModified).toBeInstanceOf(Date);
    const updated = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'orders', MaximumEventAgeInSeconds: 120, DestinationConfig: { OnSuccess: { Destination: arn('chatty') } } }));
    expect(updated).toMatchObject({ MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 120, DestinationConfig: { OnSuccess: { Destination: arn('chatty') } } });
    expect((await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'orders' }))).MaximumEventAgeInSeconds).toBe(120);
    expect((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'orders' }))).FunctionEventInvokeConfigs).toHaveLength(1);
    expect(await sdkRefusal(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'orders', MaximumRetryAttempts: 3 })))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
      status: 400,
    });
    expect(await sdkRefusal(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'orders' })))).toMatchObject({
      message: 'You must specify at least one of error handling or destination setting.',
    });
    expect(await sdkRefusal(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'orders', DestinationConfig: { OnFailure: { Destination: arn('missing') } } })))).toMatchObject({
      name: 'InvalidParameterValueException',
    });
    expect(await sdkRefusal(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'orders', DestinationConfig: { OnFailure: { Destination: 'file://../../x.jsonl' } } })))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('must be a relative path inside') as unknown as string,
    });
    const deleted = await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'orders' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await sdkRefusal(lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'orders' })))).toMatchObject({ status: 404 });
  });
});
