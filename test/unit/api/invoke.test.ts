import { describe, expect, it } from 'vitest';
import { refusal } from './refusal.js';
import { ASYNC_REQUEST_LIMIT_BYTES, parseInvokeParameters, SYNC_REQUEST_LIMIT_BYTES } from '../../../src/api/invoke-request.js';
import { invokeResponse, logTail } from '../../../src/api/invoke-response.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);


describe('parseInvokeParameters', () => {
  it('defaults to RequestResponse without a log, makes an empty body the event {} and decodes the client context', () => {
    const context = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64');
    expect(parseInvokeParameters({ 'x-amz-client-context': context }, new Uint8Array(0))).toEqual({
      invocationType: 'RequestResponse',
      logType: 'None',
      clientContext: { custom: { a: 1 } },
      payload: bytes('{}'),
    });
  });

  it("refuses unknown header values with AWS's ValidationException", () => {
    expect(refusal(() => parseInvokeParameters({ 'x-amz-invocation-type': 'Sometimes', 'x-amz-log-type': 'All' }, bytes('{}')))).toEqual({
      type: 'ValidationException',
      message:
        "2 validation errors detected: Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]; " +
        "Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]",
    });
  });

  it('applies the 6 MB synchronous and 1 MB asynchronous limits at their exact byte counts', () => {
    const atSync = new Uint8Array(SYNC_REQUEST_LIMIT_BYTES).fill(0x20);
    expect(() => parseInvokeParameters({}, atSync)).not.toThrow();
    expect(refusal(() => parseInvokeParameters({}, new Uint8Array(SYNC_REQUEST_LIMIT_BYTES + 1).fill(0x20)))).toEqual({
      type: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
    const atAsync = new Uint8Array(ASYNC_REQUEST_LIMIT_BYTES).fill(0x20);
    expect(() => parseInvokeParameters({ 'x-amz-invocation-type': 'Event' }, atAsync)).not.toThrow();
    expect(refusal(() => parseInvokeParameters({ 'x-amz-invocation-type': 'Event' }, new Uint8Array(ASYNC_REQUEST_LIMIT_BYTES + 1).fill(0x20)))).toEqual({
      type: 'RequestEntityTooLargeException',
      message: '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    });
  });

  it('refuses a payload that is not JSON and a client context that is not base64 JSON', () => {
    expect(refusal(() => parseInvokeParameters({}, bytes('{"a":')))).toMatchObject({ type: 'InvalidRequestContentException' });
    for (const header of ['%%%', Buffer.from('[1]').toString('base64'), Buffer.from('nope').toString('base64'), 'A'.repeat(3584)]) {
      expect(refusal(() => parseInvokeParameters({ 'x-amz-client-context': header }, bytes('{}'))).type, header.slice(0, 10)).toBe('InvalidRequestContentException');
    }
  });
});

describe('invokeResponse', () => {
  const outcome = { kind: 'response' as const, payload: bytes('{"ok":true}'), functionError: null, executedVersion: '$LATEST', log: 'START\nline\n' };

  it("is 200 with Lambda's headers, the log only with Tail, 202 for an accepted event", () => {
    expect(invokeResponse(outcome, 'Tail')).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'X-Amz-Log-Result': Buffer.from('START\nline\n').toString('base64') },
      body: outcome.payload,
    });
    expect(invokeResponse(outcome, 'None').headers).not.toHaveProperty('X-Amz-Log-Result');
    expect(invokeResponse({ ...outcome, functionError: 'Unhandled' }, 'None').headers['X-Amz-Function-Error']).toBe('Unhandled');
    expect(invokeResponse({ kind: 'accepted' }, 'None')).toEqual({ status: 202, headers: {}, body: null });
  });

  it("replaces a response above 6291556 bytes with Lambda's Function.ResponseSizeTooLarge error", () => {
    const exact = invokeResponse({ ...outcome, payload: new Uint8Array(6_291_556).fill(0x20) }, 'None');
    expect(exact.headers).not.toHaveProperty('X-Amz-Function-Error');
    const over = invokeResponse({ ...outcome, payload: new Uint8Array(6_291_557).fill(0x20) }, 'None');
    expect(over.headers['X-Amz-Function-Error']).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(over.body ?? new Uint8Array()))).toEqual({
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
  });
});

describe('logTail', () => {
  it('keeps the last 4096 bytes, starting at a character boundary', () => {
    const short = 'hello';
    expect(Buffer.from(logTail(short), 'base64').toString('utf8')).toBe(short);
    const ascii = `${'a'.repeat(5000)}END`;
    const tail = Buffer.from(logTail(ascii), 'base64');
    expect(tail.byteLength).toBe(4096);
    expect(tail.toString('utf8').endsWith('END')).toBe(true);
    // 'é' is 2 bytes: 4096 bytes from the end would split one.
    const accented = `x${'é'.repeat(3000)}`;
    const cut = Buffer.from(logTail(accented), 'base64');
    expect(cut.byteLength).toBe(4096);
    const odd = `${'é'.repeat(3000)}z`;
    const shifted = Buffer.from(logTail(odd), 'base64');
    expect(shifted.byteLength).toBe(4095);
    expect(shifted.toString('utf8')).not.toContain('\uFFFD');
  });
});
