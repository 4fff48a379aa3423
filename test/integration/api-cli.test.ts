/**
 * The Lambda API with the real AWS CLI (awscli from PyPI, installed once into .infra/awscli by the test): the
 * event-source-mapping life cycle, paging as the CLI does it, function look-ups, `aws lambda invoke` of all three
 * invocation types with the log tail, event-invoke configs, and AWS's error messages as the CLI prints them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAwsCli, runAwsCli, type AwsCliInstall, type AwsCliResult } from '../services/awscli.ts';
import { ACCOUNT, REGION, startApiFixture, TEST_CREDENTIALS, type ApiFixture } from './api-fixture.ts';

let api: ApiFixture;
let cli: AwsCliInstall;
let dir: string;

beforeAll(async () => {
  cli = await ensureAwsCli((line) => process.stderr.write(`[awscli] ${line}\n`));
  api = await startApiFixture();
  dir = mkdtempSync(join(tmpdir(), 'tributary-api-cli-'));
}, 600_000);
afterAll(() => api.close());

const aws = (...args: string[]): Promise<AwsCliResult> =>
  runAwsCli(cli, ['lambda', ...args], { endpointUrl: api.server.url, region: REGION, cwd: dir, ...TEST_CREDENTIALS });

/** The JSON of a successful call. */
async function ok(...args: string[]): Promise<Record<string, unknown>> {
  const result = await aws(...args);
  expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.json as Record<string, unknown>;
}

const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

/** How the CLI prints a service error (it adds the retry count when retries are configured). */
function cliError(type: string, operation: string, message: string): RegExp {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`An error occurred \\(${type}\\) when calling the ${operation} operation( \\(reached max retries: \\d+\\))?: ${escaped}`);
}

describe('the AWS CLI against the Lambda API', () => {
  it('creates, lists (paging), disables, enables, updates and deletes event source mappings', async () => {
    const created = await ok(
      'create-event-source-mapping',
      '--function-name', 'orders',
      '--event-source-arn', queueArn('cli'),
      '--batch-size', '5',
      '--function-response-types', 'ReportBatchItemFailures',
      '--filter-criteria', JSON.stringify({ Filters: [{ Pattern: '{"body": {"kind": ["order"]}}' }] }),
    );
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5, EventSourceArn: queueArn('cli'), FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const uuid = String(created['UUID']);
    expect(typeof created['LastModified']).toBe('number');

    for (let i = 0; i < 4; i += 1) await ok('create-event-source-mapping', '--function-name', 'orders', '--event-source-arn', queueArn(`cli-page-${i}`));
    // The CLI follows NextMarker itself; a page size of 2 makes it call three times.
    const listed = await ok('list-event-source-mappings', '--function-name', 'orders', '--page-size', '2');
    const mappings = listed['EventSourceMappings'] as { UUID: string; State: string }[];
    expect(mappings).toHaveLength(5);
    expect(mappings.find((mapping) => mapping.UUID === uuid)?.State).toBe('Enabled');

    expect(await ok('update-event-source-mapping', '--uuid', uuid, '--no-enabled')).toMatchObject({ State: 'Disabling' });
    expect(await ok('get-event-source-mapping', '--uuid', uuid)).toMatchObject({ State: 'Disabled', BatchSize: 5 });
    expect(await ok('update-event-source-mapping', '--uuid', uuid, '--enabled', '--batch-size', '8')).toMatchObject({ State: 'Enabling', BatchSize: 8 });
    expect(await ok('get-event-source-mapping', '--uuid', uuid)).toMatchObject({ State: 'Enabled', BatchSize: 8 });

    expect(await ok('delete-event-source-mapping', '--uuid', uuid)).toMatchObject({ State: 'Deleting' });
    const gone = await aws('get-event-source-mapping', '--uuid', uuid);
    expect(gone.exitCode).not.toBe(0);
    expect(gone.stderr).toMatch(cliError('ResourceNotFoundException', 'GetEventSourceMapping', 'The resource you requested does not exist.'));
  });

  it("prints AWS's validation errors", async () => {
    const sqs = await aws('create-event-source-mapping', '--function-name', 'orders', '--event-source-arn', queueArn('bad'), '--starting-position', 'LATEST');
    expect(sqs.exitCode).not.toBe(0);
    expect(sqs.stderr).toMatch(cliError('InvalidParameterValueException', 'CreateEventSourceMapping', 'StartingPosition is not valid for SQS event sources.'));
    const stream = await aws('create-event-source-mapping', '--function-name', 'nope', '--event-source-arn', `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/s`, '--starting-position', 'LATEST');
    expect(stream.stderr).toMatch(cliError('InvalidParameterValueException', 'CreateEventSourceMapping', 'Function does not exist'));
  });

  it('looks functions up and invokes them: RequestResponse with the log tail, function errors, Event and DryRun', async () => {
    const functions = (await ok('list-functions'))['Functions'] as { FunctionName: string }[];
    expect(functions.map((fn) => fn.FunctionName)).toContain('orders');
    expect(await ok('get-function', '--function-name', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`)).toMatchObject({
      Configuration: { FunctionName: 'orders', Version: '$LATEST', State: 'Active' },
    });

    const sync = await ok('invoke', '--function-name', 'orders', '--payload', '{"id": 42}', '--log-type', 'Tail', 'sync.json');
    expect(sync).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(Buffer.from(String(sync['LogResult']), 'base64').toString('utf8')).toContain('received {"id":42}');
    expect(JSON.parse(readFileSync(join(dir, 'sync.json'), 'utf8'))).toMatchObject({ ok: true, event: { id: 42 } });

    const failed = await ok('invoke', '--function-name', 'failing', 'failed.json');
    expect(failed).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
    expect(JSON.parse(readFileSync(join(dir, 'failed.json'), 'utf8'))).toMatchObject({ errorType: 'TypeError', errorMessage: 'order 7 has no customer' });

    const before = api.invoker.asyncInvocations.length;
    expect(await ok('invoke', '--function-name', 'orders', '--invocation-type', 'Event', '--payload', '{"id": "later"}', 'event.json')).toMatchObject({ StatusCode: 202 });
    await api.invoker.idle();
    expect(api.invoker.asyncInvocations.slice(before).map((run) => run.event)).toEqual([{ id: 'later' }]);
    expect(await ok('invoke', '--function-name', 'orders', '--invocation-type', 'DryRun', 'dry.json')).toMatchObject({ StatusCode: 204 });

    const throttled = await aws('invoke', '--function-name', 'throttled', 'throttled.json');
    expect(throttled.stderr).toMatch(cliError('TooManyRequestsException', 'Invoke', 'Rate Exceeded.'));
  });

  it('puts and reads event-invoke configs', async () => {
    expect(
      await ok('put-function-event-invoke-config', '--function-name', 'chatty', '--maximum-retry-attempts', '0', '--maximum-event-age-in-seconds', '600'),
    ).toMatchObject({ FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:chatty:$LATEST`, MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 600 });
    expect(await ok('get-function-event-invoke-config', '--function-name', 'chatty')).toMatchObject({ MaximumEventAgeInSeconds: 600 });
    const listed = await ok('list-function-event-invoke-configs', '--function-name', 'chatty');
    expect(listed['FunctionEventInvokeConfigs']).toHaveLength(1);
    expect((await aws('delete-function-event-invoke-config', '--function-name', 'chatty')).exitCode).toBe(0);
  });

  it('is refused with a wrong secret', async () => {
    const wrong = await runAwsCli(cli, ['lambda', 'list-functions'], {
      endpointUrl: api.server.url,
      region: REGION,
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
      secretAccessKey: 'not-the-secret',
    });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(cliError('InvalidSignatureException', 'ListFunctions', 'The request signature we calculated does not match the signature you provided.'));
  });
});
