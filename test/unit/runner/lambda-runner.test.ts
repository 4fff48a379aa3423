/**
 * The lambda runner's error mapping. The Runtime Interface Emulator (test/integration/lambda-runner-rie.test.ts)
 * covers what a real runtime produces; what only the Lambda service answers — FunctionError headers, throttles,
 * service errors, 413 — comes from a scripted stand-in speaking Lambda's REST-JSON wire format on loopback, so the
 * real SDK parses every answer. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaInvoker, describeFailure, resolveLambdaRegion } from '../../../src/runner/lambda-client.js';
import type { LambdaInvokeOutcome } from '../../../src/runner/lambda-client.js';
import {
  LambdaRunner,
  MAX_SYNC_PAYLOAD_BYTES,
  classifyInvokeOutcome,
  decodePayload,
  headerlessFunctionError,
} from '../../../src/runner/lambda-runner.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
type Reply = (res: ServerResponse, seen: Seen) => void;

const seen: Seen[] = [];
let reply: Reply = (res) => res.end('{}');
let endpoint = '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    seen.push(entry);
    reply(res, entry);
  });
});

/** Lambda's error answer: status, `x-amzn-ErrorType`, JSON body with `message` (REST-JSON protocol). */
function lambdaError(status: number, type: string, body: Record<string, unknown> = {}): Reply {
  return (res) => {
    res.statusCode = status;
    res.setHeader('x-amzn-ErrorType', type);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ message: `${type} from the stand-in`, ...body }));
  };
}

/** A function's answer: 200, optional X-Amz-Function-Error, the payload as is. */
function functionAnswer(payload: string, functionError?: string, executedVersion = '$LATEST'): Reply {
  return (res) => {
    if (functionError !== undefined) res.setHeader('X-Amz-Function-Error', functionError);
    res.setHeader('X-Amz-Executed-Version', executedVersion);
    res.end(payload);
  };
}

const runners: LambdaRunner[] = [];
function runner(options: Partial<ConstructorParameters<typeof LambdaRunner>[0]> = {}): LambdaRunner {
  const created = new LambdaRunner({ functionName: 'orders', qualifier: null, region: 'us-east-1', endpoint, ...options });
  runners.push(created);
  return created;
}
const opts = (ms = 5_000, signal = new AbortController().signal) => ({ deadlineMs: Date.now() + ms, signal });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  seen.length = 0;
  await Promise.all(runners.splice(0).map((r) => r.close()));
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('LambdaRunner request', () => {
  it('is a synchronous Invoke of the function (name, qualifier, JSON event) with no SDK retries', async () => {
    reply = functionAnswer('{"ok":true}');
    const result = await runner({ qualifier: 'live' }).invoke({ Records: [{ n: 1 }] }, opts());
    expect(result).toMatchObject({ status: 'ok', payload: { ok: true }, coldStart: false });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/2015-03-31/functions/orders/invocations?Qualifier=live');
    expect(request?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(JSON.parse(request?.body ?? '')).toEqual({ Records: [{ n: 1 }] });
  });

  it("a traced invocation sends its X-Ray header as Invoke's X-Amzn-Trace-Id; an untraced one sends none", async () => {
    reply = functionAnswer('null');
    const xRay = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    const traceparent = '00-6a1b2c3d0123456789abcdef01234567-89abcdef01234567-01';
    await runner().invoke({}, { ...opts(), trace: { xRay, traceparent } });
    await runner().invoke({}, opts());
    expect(seen.map((request) => request.headers['x-amzn-trace-id'])).toEqual([xRay, undefined]);
  });

  it('accepts a function ARN as the name', async () => {
    reply = functionAnswer('null');
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
    expect(await runner({ functionName: arn }).invoke({}, opts())).toMatchObject({ status: 'ok', payload: null });
    expect(decodeURIComponent(seen[0]?.url ?? '')).toBe(`/2015-03-31/functions/${arn}/invocations`);
  });

  it('signs with dummy credentials for an explicit endpoint when the environment has none', async () => {
    reply = functionAnswer('1');
    const invoker = createLambdaInvoker({ region: null, fallbackRegion: 'eu-west-1', endpoint, env: {} });
    try {
      const outcome = await invoker.invoke({ functionName: 'orders', qualifier: null, payload: new TextEncoder().encode('{}') }, new AbortController().signal);
      expect(outcome).toMatchObject({ kind: 'response', statusCode: 200, functionError: null, executedVersion: '$LATEST' });
    } finally {
      invoker.destroy();
    }
    expect(String(seen[0]?.headers['authorization'])).toContain('Credential=tributaryLocal/');
    expect(String(seen[0]?.headers['authorization'])).toContain('/eu-west-1/lambda/aws4_request');
  });

  it('a payload over 6 MB (6,291,456 bytes) is refused before sending, as Lambda would: payload-too-large', async () => {
    const event = { data: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES) };
    const result = await runner().invoke(event, opts());
    expect(result).toMatchObject({ status: 'error', kind: 'payload-too-large', error: { errorType: 'RequestEntityTooLargeException' } });
    // Nothing was invoked: no status, no FunctionError.
    expect(result).not.toHaveProperty('statusCode');
    expect(seen).toHaveLength(0);
    // Exactly at the limit is still sent.
    reply = functionAnswer('"fits"');
    const fits = { d: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES - '{"d":""}'.length) };
    expect(await runner().invoke(fits, opts())).toMatchObject({ status: 'ok', payload: 'fits' });
  });
});

describe('LambdaRunner response mapping (stand-in for the Lambda service)', () => {
  it('FunctionError → threw with errorType and errorMessage from the payload', async () => {
    reply = functionAnswer(JSON.stringify({ errorType: 'OrderError', errorMessage: 'bad order', trace: ['at x'] }), 'Unhandled');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'OrderError', errorMessage: 'bad order' } });
  });

  it('FunctionError with Lambda’s own error types: Sandbox.Timedout → timeout, Runtime.ExitError → crashed', async () => {
    reply = functionAnswer(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: 1 Error: Task timed out after 3.00 seconds' }), 'Unhandled');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
    reply = functionAnswer(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 1' }), 'Unhandled');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.ExitError' } });
  });

  it("reports Invoke's StatusCode, ExecutedVersion and FunctionError (Handled or Unhandled) as Lambda sent them", async () => {
    reply = functionAnswer('{"ok":true}', undefined, '12');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'ok', statusCode: 200, executedVersion: '12' });
    reply = functionAnswer(JSON.stringify({ errorType: 'OrderError', errorMessage: 'bad order' }), 'Handled', '3');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', functionError: 'Handled', statusCode: 200, executedVersion: '3' });
    reply = functionAnswer(JSON.stringify({ errorType: 'OrderError', errorMessage: 'bad order' }), 'Unhandled');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', functionError: 'Unhandled', executedVersion: '$LATEST' });
  });

  it('FunctionError with a payload that is not an error document: the header value is the errorType', async () => {
    reply = functionAnswer('something broke', 'Handled');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'Handled', errorMessage: 'something broke' } });
  });

  it('an invalid JSON response is returned as raw text; an empty one as null', async () => {
    reply = functionAnswer('not json {');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'ok', payload: 'not json {' });
    reply = functionAnswer('');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'ok', payload: null });
  });

  it('TooManyRequestsException (429) → throttled, one request only (the core backs off without using a retry)', async () => {
    reply = lambdaError(429, 'TooManyRequestsException', { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' });
    const result = await runner().invoke({}, opts());
    expect(result).toMatchObject({ status: 'error', kind: 'throttled', error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' } });
    expect(seen).toHaveLength(1);
  });

  it.each([
    [502, 'EC2ThrottledException'],
    [502, 'ENILimitReachedException'],
    [500, 'ServiceException'],
    [404, 'ResourceNotFoundException'],
    [409, 'ResourceConflictException'],
    [403, 'AccessDeniedException'],
  ])('%i %s: Lambda could not invoke the function → throttled (no retry used, as AWS’s ESM)', async (status, type) => {
    reply = lambdaError(status, type);
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'throttled', error: { errorType: type } });
    expect(seen).toHaveLength(1);
  });

  it('a 5xx without a modelled error type → throttled', async () => {
    reply = (res) => {
      res.statusCode = 503;
      res.end('Service Unavailable');
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'throttled' });
  });

  it.each(['RequestEntityTooLargeException', 'RequestTooLargeException'])('413 %s from Lambda → payload-too-large', async (type) => {
    reply = lambdaError(413, type);
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'payload-too-large', statusCode: 413, error: { errorType: type } });
  });

  it('no listener (connection refused) → throttled, with the socket error as errorType', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runner({ endpoint: `http://127.0.0.1:${port}` }).invoke({}, opts());
    expect(result).toMatchObject({ status: 'error', kind: 'throttled', error: { errorType: 'ECONNREFUSED' } });
  });

  it('no answer by the deadline → timeout at the deadline, in Lambda’s words', async () => {
    reply = () => undefined; // never answers
    const started = Date.now();
    const result = await runner().invoke({}, opts(250));
    expect(result).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.25 seconds' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('the caller’s signal (stop) aborts the request → throttled, not a timeout', async () => {
    reply = () => undefined;
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await runner().invoke({}, opts(5_000, stop.signal));
    expect(result).toMatchObject({ status: 'error', kind: 'throttled', error: { errorType: 'InvokeAborted' } });
  });

  it('close() destroys the client; later invocations fail without a request', async () => {
    const closing = runner();
    await closing.close();
    await closing.close();
    expect(await closing.invoke({}, opts())).toMatchObject({ status: 'error', kind: 'throttled', error: { errorType: 'RunnerClosed' } });
    expect(seen).toHaveLength(0);
  });
});

describe('Runtime Interface Emulator answers (no FunctionError header)', () => {
  it('with an explicit endpoint, an error document with 200 is a function error', async () => {
    reply = functionAnswer(JSON.stringify({ errorType: 'OrderError', errorMessage: 'bad', stackTrace: [] }));
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'OrderError' } });
    expect(await runner({ detectHeaderlessErrors: false }).invoke({}, opts())).toMatchObject({ status: 'ok', payload: { errorType: 'OrderError' } });
  });

  it('the 502 of a runtime that exited is a crash, not a throttle', async () => {
    reply = (res) => {
      res.statusCode = 502;
      res.end(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: 1 Error: Runtime exited with error: exit status 3' }));
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Runtime.ExitError' } });
    expect(await runner({ detectHeaderlessErrors: false }).invoke({}, opts())).toMatchObject({ status: 'error', kind: 'throttled' });
  });
});

describe('headerlessFunctionError', () => {
  it.each<[string, unknown, string | null]>([
    ['Node error document', { errorType: 'Error', errorMessage: 'x', trace: [] }, 'threw'],
    ['Python error document', { errorMessage: 'x', errorType: 'KeyError', requestId: 'r', stackTrace: [] }, 'threw'],
    ['RIE timeout text', 'Task timed out after 3.00 seconds', 'timeout'],
    ['a response with more fields', { errorType: 'E', errorMessage: 'x', batchItemFailures: [] }, null],
    ['errorType without errorMessage', { errorType: 'E' }, null],
    ['a partial-failure response', { batchItemFailures: [{ itemIdentifier: '1' }] }, null],
    ['an array', [{ errorType: 'E', errorMessage: 'x' }], null],
    ['other text', 'Task done', null],
    ['null', null, null],
  ])('%s', (_name, payload, kind) => {
    expect(headerlessFunctionError(payload)?.kind ?? null).toBe(kind);
  });
});

describe('classifyInvokeOutcome', () => {
  const context = { deadlineExpired: false, timeoutSeconds: 3, detectHeaderlessErrors: false };
  const service = (errorType: string, httpStatus: number): LambdaInvokeOutcome => ({
    kind: 'service-error',
    errorType,
    message: 'm',
    httpStatus,
    fault: httpStatus >= 500 ? 'server' : 'client',
    errorDocument: null,
  });

  it.each([
    ['InvalidRequestContentException', 400, 'bad-response'],
    ['UnsupportedMediaTypeException', 415, 'bad-response'],
    ['SerializedRequestEntityTooLargeException', 413, 'payload-too-large'],
    ['KMSAccessDeniedException', 502, 'throttled'],
    ['SnapStartNotReadyException', 409, 'throttled'],
    ['InvalidParameterValueException', 400, 'throttled'],
  ])('%s (%i) → %s', (type, status, kind) => {
    expect(classifyInvokeOutcome(service(type, status), context)).toMatchObject({ status: 'error', kind });
  });

  it('an abort at the deadline is a timeout; any other abort is not', () => {
    expect(classifyInvokeOutcome({ kind: 'aborted' }, { ...context, deadlineExpired: true })).toMatchObject({ kind: 'timeout', error: { errorMessage: 'Task timed out after 3.00 seconds' } });
    expect(classifyInvokeOutcome({ kind: 'aborted' }, context)).toMatchObject({ kind: 'throttled' });
  });

  it('decodePayload: JSON, raw text, empty', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(decodePayload(bytes('{"a":1}'))).toEqual({ a: 1 });
    expect(decodePayload(bytes('oops'))).toBe('oops');
    expect(decodePayload(bytes(' '))).toBeNull();
  });
});

describe('lambda-client helpers', () => {
  it('region: explicit, then AWS_REGION / AWS_DEFAULT_REGION, then the fallback', () => {
    expect(resolveLambdaRegion({ region: 'eu-west-1', fallbackRegion: 'x', endpoint: null, env: { AWS_REGION: 'us-west-2' } })).toBe('eu-west-1');
    expect(resolveLambdaRegion({ region: null, fallbackRegion: 'x', endpoint: null, env: { AWS_REGION: 'us-west-2' } })).toBe('us-west-2');
    expect(resolveLambdaRegion({ region: null, fallbackRegion: 'x', endpoint: null, env: { AWS_DEFAULT_REGION: 'ap-south-1' } })).toBe('ap-south-1');
    expect(resolveLambdaRegion({ region: null, fallbackRegion: 'us-east-2', endpoint: null, env: {} })).toBe('us-east-2');
  });

  it('describeFailure: an abort wins over whatever was thrown', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(describeFailure(new Error('socket hang up'), aborted.signal)).toEqual({ kind: 'aborted' });
    expect(describeFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' }), new AbortController().signal)).toMatchObject({ kind: 'transport-error', errorType: 'ECONNRESET' });
  });
});
