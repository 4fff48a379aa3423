/**
 * The function registry and the invoker: one runner per declared function shared by pipelines and Invoke, its
 * reserved concurrency across both (a mapping waits, a synchronous call gets 429), the wait not counted against the
 * function's timeout, and Invoke's answer (payload, function error, log tail with Invoke's request id) from a real
 * module runner.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaApiError } from '../../../src/api/api-errors.ts';
import type { InvokeOutcome, InvokeRequest } from '../../../src/api/ports.ts';
import { resolveConfigObject } from '../../../src/config/index.ts';
import type { FunctionConfig, TributaryConfig } from '../../../src/config/types.ts';
import { FunctionInvoker } from '../../../src/functions/function-invoker.ts';
import { FunctionRegistry } from '../../../src/functions/function-registry.ts';
import { createRunner, type RunnerContext } from '../../../src/runner/create-runner.ts';
import type { FunctionRunner, InvokeOptions, InvokeResult } from '../../../src/runner/types.ts';
import { captureLogs, moduleRunnerFixture } from '../../support/module-runners.ts';

const fixture = moduleRunnerFixture('tributary-registry-');
const registries: FunctionRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.close()));
});

writeFileSync(
  join(fixture.dir, 'echo.mjs'),
  `export const handler = async (event, context) => {
  console.log('got', JSON.stringify(event));
  if (event.fail) throw new TypeError('order ' + event.id + ' has no customer');
  return { id: event.id, requestId: context.awsRequestId };
};
`,
);

function configWith(functions: Record<string, unknown>): TributaryConfig {
  return resolveConfigObject(
    {
      functions,
      pipelines: Object.keys(functions).map((name) => ({ name: `p-${name}`, function: name, source: { type: 'sqs', queueUrl: 'http://127.0.0.1:1/000000000000/q' } })),
    },
    { baseDir: fixture.dir },
  );
}

function registryOf(config: TributaryConfig, build?: (fn: FunctionConfig, context: RunnerContext) => FunctionRunner): { registry: FunctionRegistry; built: string[] } {
  const built: string[] = [];
  const { logger } = captureLogs('silent');
  const registry = new FunctionRegistry({
    functions: config.functions,
    region: 'us-east-1',
    logger,
    now: Date.now,
    loadedAtMs: 0,
    createRunner: (fn, context) => {
      built.push(fn.functionName);
      return (build ?? createRunner)(fn, context);
    },
  });
  registries.push(registry);
  return { registry, built };
}

function request(functionName: string, event: unknown, extra: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    functionName,
    qualifier: null,
    invocationType: 'RequestResponse',
    payload: new TextEncoder().encode(JSON.stringify(event)),
    logType: 'None',
    clientContext: null,
    requestId: '11111111-2222-3333-4444-555555555555',
    signal: new AbortController().signal,
    ...extra,
  };
}

const use = (stop = new AbortController()) => ({ region: 'eu-west-1', now: Date.now, pipeline: 'p', stopSignal: stop.signal });
const text = (outcome: InvokeOutcome): string => (outcome.kind === 'response' ? new TextDecoder().decode(outcome.payload) : '');

describe('FunctionRegistry', () => {
  it('gives every pipeline run and Invoke the one runner of a declared function; inline functions get their own', async () => {
    const config = configWith({ echo: { type: 'module', handler: './echo.handler', timeout: 10 } });
    const { registry, built } = registryOf(config);
    const pipeline = config.pipelines[0]!;
    const a = registry.runnerFor(pipeline, use());
    const b = registry.runnerFor(pipeline, use());
    const invoker = new FunctionInvoker({ registry, now: Date.now, functionArn: (name) => `arn:${name}` });
    const viaPipeline = await a.invoke({ id: 1 }, { deadlineMs: Date.now() + 10_000, signal: new AbortController().signal });
    expect(viaPipeline).toMatchObject({ status: 'ok', payload: { id: 1 } });
    await a.close(); // ends only that run's use: the shared runner stays open
    expect(await b.invoke({ id: 2 }, { deadlineMs: Date.now() + 10_000, signal: new AbortController().signal })).toMatchObject({ status: 'ok', payload: { id: 2 } });
    expect(text(await invoker.invoke(request('echo', { id: 3 })))).toContain('"id":3');
    expect(built).toEqual(['echo']);
    const inline = { ...pipeline, functionRef: null };
    registry.runnerFor(inline, use());
    registry.runnerFor(inline, use());
    expect(built).toEqual(['echo', 'echo', 'echo']);
    expect(await registry.get('echo')).toMatchObject({ name: 'echo', runner: 'module', handler: './echo.handler', timeoutSeconds: 10, reservedConcurrency: null });
  });

  it("answers Invoke with the function's response, its error document, and its log tail under Invoke's request id", async () => {
    const config = configWith({ echo: { type: 'module', handler: './echo.handler', timeout: 10 } });
    const { registry } = registryOf(config);
    const invoker = new FunctionInvoker({ registry, now: Date.now, functionArn: (name) => `arn:${name}` });
    const ok = await invoker.invoke(request('echo', { id: 7 }, { logType: 'Tail' }));
    expect(ok).toMatchObject({ kind: 'response', functionError: null, executedVersion: '$LATEST' });
    expect(JSON.parse(text(ok))).toEqual({ id: 7, requestId: '11111111-2222-3333-4444-555555555555' });
    const log = ok.kind === 'response' ? (ok.log ?? '') : '';
    const lines = log.trimEnd().split('\n');
    expect(lines[0]).toBe('START RequestId: 11111111-2222-3333-4444-555555555555 Version: $LATEST');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t11111111-2222-3333-4444-555555555555\tINFO\tgot \{"id":7\}$/);
    expect(lines[2]).toBe('END RequestId: 11111111-2222-3333-4444-555555555555');
    expect(lines[3]).toMatch(/^REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: [\d.]+ ms/);

    const failed = await invoker.invoke(request('echo', { id: 8, fail: true }, { requestId: 'r-2' }));
    expect(failed).toMatchObject({ kind: 'response', functionError: 'Unhandled', log: null });
    expect(JSON.parse(text(failed))).toEqual({ errorType: 'TypeError', errorMessage: 'order 8 has no customer', trace: [] });
  });

  it('reserved concurrency is shared: while a mapping holds the slot a synchronous call gets 429 at once, a second mapping waits', async () => {
    const config = configWith({ slow: { type: 'module', handler: './echo.handler', timeout: 10, reservedConcurrency: 1 } });
    const gates: { release: () => void }[] = [];
    const fake: FunctionRunner = {
      functionName: 'slow',
      invoke: (event: unknown) =>
        new Promise<InvokeResult>((resolve) => gates.push({ release: () => resolve({ status: 'ok', payload: event, durationMs: 1, coldStart: false }) })),
      close: async () => undefined,
    };
    const { registry } = registryOf(config, () => fake);
    const invoker = new FunctionInvoker({ registry, now: Date.now, functionArn: (name) => `arn:${name}` });
    const pipeline = config.pipelines[0]!;
    const options = (): InvokeOptions => ({ deadlineMs: Date.now() + 10_000, signal: new AbortController().signal });
    const first = registry.runnerFor(pipeline, use()).invoke({ n: 1 }, options());
    const second = registry.runnerFor(pipeline, use()).invoke({ n: 2 }, options());
    await new Promise((resolve) => setImmediate(resolve));
    expect(gates).toHaveLength(1); // the second mapping waits
    const refused = await invoker.invoke(request('slow', {})).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LambdaApiError);
    expect(refused).toMatchObject({ awsType: 'TooManyRequestsException', status: 429, details: { reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } });
    gates[0]?.release();
    expect(await first).toMatchObject({ status: 'ok', payload: { n: 1 } });
    await new Promise((resolve) => setImmediate(resolve));
    gates[1]?.release();
    expect(await second).toMatchObject({ status: 'ok', payload: { n: 2 } });
  });

  it('a mapping waiting for a slot keeps its whole timeout, and a stopped run ends the wait as a throttle (never invoked)', async () => {
    const config = configWith({ one: { type: 'module', handler: './echo.handler', timeout: 10, reservedConcurrency: 1 } });
    let clock = 1_000;
    const deadlines: number[] = [];
    const fake: FunctionRunner = {
      functionName: 'one',
      invoke: async (_event, options) => {
        deadlines.push(options.deadlineMs);
        return { status: 'ok', payload: null, durationMs: 0, coldStart: false };
      },
      close: async () => undefined,
    };
    const registry = new FunctionRegistry({ functions: config.functions, region: 'us-east-1', logger: captureLogs('silent').logger, now: () => clock, loadedAtMs: 0, createRunner: () => fake });
    registries.push(registry);
    const invoker = new FunctionInvoker({ registry, now: () => clock, functionArn: (name) => name });
    const fn = registry.declared('one')!;
    const held = fn.gate.tryAcquire();
    const pipeline = config.pipelines[0]!;
    const waiting = registry.runnerFor(pipeline, use()).invoke({}, { deadlineMs: clock + 10_000, signal: new AbortController().signal });
    clock += 4_000; // waited 4 s for the slot
    held?.release();
    await waiting;
    expect(deadlines).toEqual([15_000]);

    const stop = new AbortController();
    const held2 = fn.gate.tryAcquire();
    const stopped = registry.runnerFor(pipeline, use(stop)).invoke({}, { deadlineMs: clock + 10_000, signal: new AbortController().signal });
    stop.abort();
    expect(await stopped).toMatchObject({ status: 'error', kind: 'throttled', error: { errorType: 'TooManyRequestsException' } });
    held2?.release();
    expect(deadlines).toHaveLength(1);
    expect(await invoker.invoke(request('one', {})).then(() => 'ok')).toBe('ok');
  });

  it('reserved concurrency 0 refuses every synchronous call; Event answers 501 without an asynchronous queue', async () => {
    const config = configWith({ off: { type: 'module', handler: './echo.handler', reservedConcurrency: 0 }, echo: { type: 'module', handler: './echo.handler' } });
    const { registry, built } = registryOf(config);
    const invoker = new FunctionInvoker({ registry, now: Date.now, functionArn: (name) => name });
    expect(await invoker.invoke(request('off', {})).catch((error: unknown) => error)).toMatchObject({ status: 429 });
    expect(await invoker.invoke(request('echo', {}, { invocationType: 'Event' })).catch((error: unknown) => error)).toMatchObject({
      awsType: 'NotImplementedException',
      status: 501,
      message: expect.stringContaining('not available') as unknown,
    });
    expect(built).toEqual([]);
  });

  it('Event stores the caller\'s bytes in the asynchronous queue and is accepted (even at reserved concurrency 0, as on AWS)', async () => {
    const config = configWith({ off: { type: 'module', handler: './echo.handler', reservedConcurrency: 0 }, echo: { type: 'module', handler: './echo.handler' } });
    const { registry, built } = registryOf(config);
    const stored: string[] = [];
    const asyncQueue = { enqueue: async (name: string, requestId: string, payload: string) => void stored.push(`${name} ${requestId} ${payload}`) };
    const invoker = new FunctionInvoker({ registry, now: Date.now, functionArn: (name) => `arn:${name}`, asyncQueue });
    const event = (name: string) => ({ ...request(name, {}, { invocationType: 'Event' }), payload: new TextEncoder().encode('{ "a" : 1 }') });
    expect(await invoker.invoke(event('echo'))).toEqual({ kind: 'accepted' });
    expect(await invoker.invoke(event('off'))).toEqual({ kind: 'accepted' });
    expect(await invoker.invoke(event('missing')).catch((error: unknown) => error)).toMatchObject({ awsType: 'ResourceNotFoundException', status: 404 });
    expect(stored.map((line) => line.replace(/ \S+ /, ' <id> '))).toEqual(['echo <id> { "a" : 1 }', 'off <id> { "a" : 1 }']);
    // Nothing ran: the queue's pipeline invokes later.
    expect(built).toEqual([]);
  });
});
