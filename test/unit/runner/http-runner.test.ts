/** The http runner against a real HTTP server on loopback. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunner, RIE_INVOCATIONS_PATH } from '../../../src/runner/http-runner.js';

type Reply = (body: unknown, res: ServerResponse, req: IncomingMessage) => void;
let reply: Reply = (_b, res) => res.end('{}');
let base = '';
const server = createServer((req, res) => {
  let text = '';
  req.on('data', (c: Buffer) => (text += c.toString()));
  req.on('end', () => reply(JSON.parse(text) as unknown, res, req));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const runner = (headers: Record<string, string> = {}) => new HttpRunner({ url: `${base}${RIE_INVOCATIONS_PATH}`, headers, functionName: 'fn' });
const opts = (ms = 2000) => ({ deadlineMs: Date.now() + ms, signal: new AbortController().signal });

describe('HttpRunner', () => {
  it('posts the event as JSON to the RIE path and returns the decoded response', async () => {
    let path = '';
    let auth = '';
    reply = (body, res, req) => {
      path = req.url ?? '';
      auth = String(req.headers['authorization']);
      res.end(JSON.stringify({ echoed: body, batchItemFailures: [] }));
    };
    const result = await runner({ authorization: 'Bearer x' }).invoke({ Records: [1] }, opts());
    expect(result).toMatchObject({ status: 'ok', payload: { echoed: { Records: [1] }, batchItemFailures: [] } });
    expect(path).toBe(RIE_INVOCATIONS_PATH);
    expect(auth).toBe('Bearer x');
  });

  it('a traced invocation sends X-Amzn-Trace-Id and traceparent (over configured headers); an untraced one neither', async () => {
    const headers: IncomingMessage['headers'][] = [];
    reply = (_b, res, req) => {
      headers.push(req.headers);
      res.end('{}');
    };
    const xRay = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    const traceparent = '00-6a1b2c3d0123456789abcdef01234567-89abcdef01234567-01';
    await runner({ 'X-Amzn-Trace-Id': 'configured' }).invoke({}, { ...opts(), trace: { xRay, traceparent } });
    await runner().invoke({}, opts());
    expect(headers.map((h) => [h['x-amzn-trace-id'], h['traceparent']])).toEqual([
      [xRay, traceparent],
      [undefined, undefined],
    ]);
  });

  it('X-Amz-Function-Error is a function error carrying errorType and errorMessage', async () => {
    reply = (_b, res) => {
      res.setHeader('X-Amz-Function-Error', 'Unhandled');
      res.end(JSON.stringify({ errorType: 'OrderError', errorMessage: 'bad order' }));
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'threw', error: { errorType: 'OrderError', errorMessage: 'bad order' } });
  });

  it('X-Amz-Function-Error: Handled and X-Amz-Executed-Version are reported as Invoke reports them', async () => {
    reply = (_b, res) => {
      res.setHeader('X-Amz-Function-Error', 'Handled');
      res.setHeader('X-Amz-Executed-Version', '7');
      res.end(JSON.stringify({ errorType: 'OrderError', errorMessage: 'bad order' }));
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', functionError: 'Handled', executedVersion: '7', statusCode: 200 });
  });

  it('a response body over 6,291,556 bytes is Function.ResponseSizeTooLarge (with its size, as Lambda says it)', async () => {
    reply = (_b, res) => res.end(JSON.stringify('x'.repeat(6_291_555)));
    expect(await runner().invoke({}, opts(20_000))).toMatchObject({
      status: 'error',
      kind: 'bad-response',
      error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).' },
    });
  });

  it('413 from the target is payload-too-large', async () => {
    reply = (_b, res) => {
      res.statusCode = 413;
      res.end('{}');
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'payload-too-large', statusCode: 413 });
  });

  it('a non-2xx status is a function error; 429 is a throttle', async () => {
    reply = (_b, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'bad-response', error: { errorType: 'HTTP 502' } });
    reply = (_b, res) => {
      res.statusCode = 429;
      res.end('{}');
    };
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'error', kind: 'throttled' });
  });

  it('a body that is not JSON comes back as text (an invalid JSON response for partial-failure parsing)', async () => {
    reply = (_b, res) => res.end('not json');
    expect(await runner().invoke({}, opts())).toMatchObject({ status: 'ok', payload: 'not json' });
  });

  it('times out', async () => {
    reply = (_b, res) => setTimeout(() => res.end('{}'), 500);
    expect(await runner().invoke({}, opts(100))).toMatchObject({ status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout' } });
  });
});
