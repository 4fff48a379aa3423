import { describe, expect, it } from 'vitest';
import { errorDocument, LambdaApiError, resourceNotFound, tooManyRequests } from '../../../src/api/api-errors.js';
import { parseQueryString } from '../../../src/api/api-request.js';
import { apiCredentialsFromEnv } from '../../../src/api/credentials.js';
import { requireConfinedDestination } from '../../../src/api/destination-confinement.js';
import { eventInvokeConfigDocument, parseEventInvokeConfigChanges, putConfig, updatedConfig } from '../../../src/api/event-invoke-config.js';
import { functionConfiguration, lambdaTimestamp, runtimeFacts } from '../../../src/api/function-document.js';
import { matchRoute } from '../../../src/api/routes.js';

const identity = { region: 'us-east-1', accountId: '123456789012' };

describe('matchRoute', () => {
  it.each([
    ['POST', '/2015-03-31/event-source-mappings/', 'CreateEventSourceMapping', {}],
    ['POST', '/2015-03-31/event-source-mappings', 'CreateEventSourceMapping', {}],
    ['GET', '/2015-03-31/event-source-mappings/', 'ListEventSourceMappings', {}],
    ['PUT', '/2015-03-31/event-source-mappings/abc', 'UpdateEventSourceMapping', { UUID: 'abc' }],
    ['GET', '/2015-03-31/functions/', 'ListFunctions', {}],
    ['GET', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af', 'GetFunction', { FunctionName: 'arn:aws:lambda:us-east-1:1:function:f' }],
    ['POST', '/2015-03-31/functions/f/invocations', 'Invoke', { FunctionName: 'f' }],
    ['DELETE', '/2019-09-25/functions/f/event-invoke-config', 'DeleteFunctionEventInvokeConfig', { FunctionName: 'f' }],
    ['GET', '/2019-09-25/functions/f/event-invoke-config/list', 'ListFunctionEventInvokeConfigs', { FunctionName: 'f' }],
  ])('%s %s', (method, path, operation, params) => {
    expect(matchRoute(method, path)).toEqual({ ok: true, operation, params });
  });

  it('matches nothing else', () => {
    for (const [method, path] of [['POST', '/2015-03-31/functions/'], ['GET', '/2015-03-31/functions/f/invocations'], ['GET', '/'], ['GET', '/2015-03-31/functions/%E0%A4%A']]) {
      expect(matchRoute(method ?? '', path ?? '').ok, `${method} ${path}`).toBe(false);
    }
  });
});

describe('errorDocument', () => {
  it("uses the model's member casing, Type and the x-amzn-ErrorType header", () => {
    expect(errorDocument(resourceNotFound('gone'))).toEqual({ status: 404, headers: { 'x-amzn-ErrorType': 'ResourceNotFoundException' }, body: { Type: 'User', Message: 'gone' } });
    expect(errorDocument(new LambdaApiError('InvalidParameterValueException', 'bad')).body).toEqual({ Type: 'User', message: 'bad' });
    expect(errorDocument(new LambdaApiError('ValidationException', 'v')).body).toEqual({ message: 'v' });
    expect(errorDocument(new LambdaApiError('ServiceException', 'x'))).toMatchObject({ status: 500, body: { Type: 'Service', Message: 'x' } });
    expect(errorDocument(tooManyRequests('ConcurrentInvocationLimitExceeded', 2))).toEqual({
      status: 429,
      headers: { 'x-amzn-ErrorType': 'TooManyRequestsException', 'Retry-After': '2' },
      body: { Type: 'User', message: 'Rate Exceeded.', Reason: 'ConcurrentInvocationLimitExceeded' },
    });
  });
});

describe('parseQueryString', () => {
  it('decodes values, keeps repeats and plus signs, tolerates bad escapes', () => {
    expect(parseQueryString('a=1&b=x%20y&a=2&c=p+q&d&e=%zz')).toEqual(
      new Map([
        ['a', ['1', '2']],
        ['b', ['x y']],
        ['c', ['p+q']],
        ['d', ['']],
        ['e', ['%zz']],
      ]),
    );
  });
});

describe('function documents', () => {
  const fn = {
    name: 'orders',
    runner: 'module' as const,
    handler: './h.handler',
    timeoutSeconds: 30,
    memorySizeMb: 128,
    reservedConcurrency: 5,
    description: '',
    lastModifiedMs: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  };

  it("uses Lambda's timestamp format and this process's Node runtime, and carries no environment", () => {
    expect(lambdaTimestamp(fn.lastModifiedMs)).toBe('2026-01-02T03:04:05.006+0000');
    expect(runtimeFacts('24.1.0', 'arm64')).toEqual({ nodeRuntime: 'nodejs24.x', architecture: 'arm64' });
    const configuration = functionConfiguration(fn, identity, runtimeFacts('24.1.0', 'x64'));
    expect(configuration).toMatchObject({ Runtime: 'nodejs24.x', Handler: './h.handler', Architectures: ['x86_64'], PackageType: 'Zip' });
    expect(configuration).not.toHaveProperty('Environment');
    expect(functionConfiguration({ ...fn, runner: 'http', handler: null, memorySizeMb: null }, identity, runtimeFacts())).not.toHaveProperty('Runtime');
  });
});

describe('event-invoke configs', () => {
  it('parses ranges and destinations, merges updates and shapes the document', () => {
    const changes = parseEventInvokeConfigChanges(
      { MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: 'kafka://127.0.0.1:19092/failed' }, OnSuccess: { Destination: 'file://./ok.jsonl' } } },
      identity,
    );
    const put = putConfig('orders', '$LATEST', changes, 1_000);
    expect(eventInvokeConfigDocument(put, identity)).toEqual({
      LastModified: 1,
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnSuccess: { Destination: 'file://./ok.jsonl' }, OnFailure: { Destination: 'kafka://127.0.0.1:19092/failed' } },
    });
    const cleared = updatedConfig(put, parseEventInvokeConfigChanges({ MaximumEventAgeInSeconds: 60, DestinationConfig: { OnSuccess: { Destination: '' } } }, identity), 2_000);
    expect(cleared).toMatchObject({ maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60, onSuccess: null, onFailure: 'kafka://127.0.0.1:19092/failed', lastModifiedMs: 2_000 });
  });

  it('refuses what cannot be delivered or is out of range', () => {
    const refused = [
      { MaximumEventAgeInSeconds: 59 },
      { MaximumRetryAttempts: 1.5 },
      { DestinationConfig: { OnFailure: { Destination: 'kafka://failed' } } },
      { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:q.fifo' } } },
      { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:t' } } },
      {},
    ];
    for (const body of refused) expect(() => parseEventInvokeConfigChanges(body, identity), JSON.stringify(body)).toThrow(LambdaApiError);
  });
});

describe('requireConfinedDestination', () => {
  it('keeps file:// destinations given through the API inside its folder, and leaves other destinations alone', () => {
    for (const ok of ['file://failed.jsonl', 'file://./out/failed.jsonl', 'file:///srv/api/failed.jsonl', 'kafka://t', 'arn:aws:sqs:us-east-1:123456789012:q', null, undefined]) {
      expect(() => requireConfinedDestination(ok, '/srv/api', 'D'), String(ok)).not.toThrow();
    }
    for (const bad of ['file:///etc/cron.d/x', 'file://../outside.jsonl', 'file://./a/../../b', 'file:///srv/api']) {
      expect(() => requireConfinedDestination(bad, '/srv/api', 'D'), bad).toThrow(/^D: a file:\/\/ destination given through the API must be a relative path inside/);
    }
  });
});

describe('apiCredentialsFromEnv', () => {
  it('reads one pair, none, or refuses half a pair', () => {
    expect(apiCredentialsFromEnv({})).toEqual([]);
    expect(apiCredentialsFromEnv({ TRIBUTARY_API_ACCESS_KEY_ID: 'AKID', TRIBUTARY_API_SECRET_ACCESS_KEY: 's3cr3t' })).toEqual([{ accessKeyId: 'AKID', secretAccessKey: 's3cr3t' }]);
    expect(() => apiCredentialsFromEnv({ TRIBUTARY_API_ACCESS_KEY_ID: 'AKID' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }) as unknown as Error);
    expect(() => apiCredentialsFromEnv({ TRIBUTARY_API_SECRET_ACCESS_KEY: 's3cr3t' })).toThrow(/set both/);
  });
});
