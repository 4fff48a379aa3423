/**
 * What a `module` handler sees in its worker-thread sandbox, checked against Lambda: an allow-listed environment
 * (never the service's secrets), Lambda's runtime variables and per-invocation trace id, handler strings split at the
 * first dot, the 6 MB request / response limits, TypeScript files through Node's type stripping, and `prepare()`.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitHandler } from '../../src/config/handler-string.js';
import { ModuleRunner, type ModuleRunnerOptions } from '../../src/runner/module-runner.js';
import { MAX_SYNC_PAYLOAD_BYTES } from '../../src/runner/payload-limits.js';
import type { InvokeResult } from '../../src/runner/types.js';
import { invokeRunner as invoke, moduleRunnerFixture } from '../support/module-runners.js';

const { dir, track } = moduleRunnerFixture('tributary-sandbox-fidelity-');

/** Writes `files` into `dir/<folder>` and returns a runner for `handler` (a Lambda handler string) there. */
function project(folder: string, files: Record<string, string>, handler: string, options: Partial<ModuleRunnerOptions> = {}): ModuleRunner {
  const root = join(dir, folder);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const parts = splitHandler(handler);
  if (parts === null) throw new Error(`bad handler ${handler}`);
  return track(
    new ModuleRunner({ functionName: 'orders', handlerFile: join(root, parts.file), handlerExport: parts.exportName, memorySizeMb: 128, region: 'eu-west-1', ...options }),
  );
}

const payloadOf = (result: InvokeResult): Record<string, unknown> => {
  if (result.status !== 'ok') throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
  return result.payload as Record<string, unknown>;
};

const ENV_HANDLER = `export const handler = async (_event, context) => ({ env: { ...process.env }, traceId: context.xRayTraceId, logStreamName: context.logStreamName });`;

describe('module sandbox: the environment is an allow-list', () => {
  const secrets = {
    AWS_ACCESS_KEY_ID: 'AKIASERVICEKEY',
    AWS_SECRET_ACCESS_KEY: 'service-secret',
    AWS_SESSION_TOKEN: 'service-token',
    KAFKA_SASL_PASSWORD: 'sasl-password',
    TRIBUTARY_DB_PASSWORD: 'db-password',
  };

  function withServiceEnv<T>(extra: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(extra).map((key) => [key, process.env[key]]));
    Object.assign(process.env, extra);
    return run().finally(() => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
  }

  it("never passes the service's secrets; gives Lambda's runtime variables, TZ, and the configured environment", async () => {
    const payload = await withServiceEnv(secrets, async () => {
      const target = project('env', { 'index.mjs': ENV_HANDLER }, 'index.handler', { environment: { TABLE: 'orders-table' } });
      return payloadOf(await invoke(target));
    });
    const env = payload['env'] as Record<string, string>;
    for (const [key, value] of Object.entries(secrets)) {
      expect(env[key], key).toBeUndefined();
      expect(Object.values(env)).not.toContain(value);
    }
    expect(env).toMatchObject({
      TABLE: 'orders-table',
      AWS_LAMBDA_FUNCTION_NAME: 'orders',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
      _HANDLER: 'index.handler',
      LAMBDA_TASK_ROOT: join(dir, 'env'),
      TZ: ':UTC',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(env['LAMBDA_RUNTIME_DIR']).toMatch(/runner[/\\]sandbox$/);
    expect(env['AWS_LAMBDA_LOG_STREAM_NAME']).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(payload['logStreamName']).toBe(env['AWS_LAMBDA_LOG_STREAM_NAME']);
    if (process.env['PATH'] !== undefined) expect(env['PATH']).toBe(process.env['PATH']);
    // Nothing else of the service: its whole environment is not there.
    expect(env['HOME']).toBeUndefined();
    expect(env['NODE_OPTIONS']).toBeUndefined();
  });

  it('awsCredentials: inherit passes the AWS credential chain — and only that', async () => {
    const payload = await withServiceEnv(secrets, async () => {
      const target = project('inherit', { 'index.mjs': ENV_HANDLER }, 'index.handler', { awsCredentials: 'inherit' });
      return payloadOf(await invoke(target));
    });
    const env = payload['env'] as Record<string, string>;
    expect(env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIASERVICEKEY', AWS_SECRET_ACCESS_KEY: 'service-secret', AWS_SESSION_TOKEN: 'service-token' });
    expect(env['KAFKA_SASL_PASSWORD']).toBeUndefined();
    expect(env['TRIBUTARY_DB_PASSWORD']).toBeUndefined();
    expect(env['AWS_EC2_METADATA_DISABLED']).toBeUndefined();
  });

  it("keeps the service's AWS_REGION; the runner's region only when the service has none", async () => {
    const kept = await withServiceEnv({ AWS_REGION: 'ap-southeast-2' }, async () => {
      const target = project('region', { 'index.mjs': ENV_HANDLER }, 'index.handler');
      return payloadOf(await invoke(target))['env'] as Record<string, string>;
    });
    expect(kept).toMatchObject({ AWS_REGION: 'ap-southeast-2', AWS_DEFAULT_REGION: 'ap-southeast-2' });
    const saved = { AWS_REGION: process.env['AWS_REGION'], AWS_DEFAULT_REGION: process.env['AWS_DEFAULT_REGION'] };
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    try {
      const target = project('region-fallback', { 'index.mjs': ENV_HANDLER }, 'index.handler');
      expect(payloadOf(await invoke(target))['env']).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    } finally {
      if (saved.AWS_REGION !== undefined) process.env['AWS_REGION'] = saved.AWS_REGION;
      if (saved.AWS_DEFAULT_REGION !== undefined) process.env['AWS_DEFAULT_REGION'] = saved.AWS_DEFAULT_REGION;
    }
  });

  it('a new _X_AMZN_TRACE_ID per invocation, in X-Ray format, also as context.xRayTraceId', async () => {
    const target = project('trace', { 'index.mjs': ENV_HANDLER }, 'index.handler');
    const first = payloadOf(await invoke(target));
    const second = payloadOf(await invoke(target));
    const format = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/;
    const firstEnv = first['env'] as Record<string, string>;
    expect(firstEnv['_X_AMZN_TRACE_ID']).toMatch(format);
    expect(first['traceId']).toBe(firstEnv['_X_AMZN_TRACE_ID']);
    expect((second['env'] as Record<string, string>)['_X_AMZN_TRACE_ID']).not.toBe(firstEnv['_X_AMZN_TRACE_ID']);
  });

  it("a traced invocation's header (the invocation span's) is the handler's _X_AMZN_TRACE_ID and context.xRayTraceId", async () => {
    const target = project('traced', { 'index.mjs': ENV_HANDLER }, 'index.handler');
    const xRay = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
    const trace = { xRay, traceparent: '00-6a1b2c3d0123456789abcdef01234567-89abcdef01234567-01' };
    const traced = payloadOf(await target.invoke({}, { deadlineMs: Date.now() + 20_000, signal: new AbortController().signal, trace }));
    expect((traced['env'] as Record<string, string>)['_X_AMZN_TRACE_ID']).toBe(xRay);
    expect(traced['traceId']).toBe(xRay);
  });
});

describe('module sandbox: handler strings as Lambda parses them', () => {
  it('index.handlers.process follows a property path; orders.v2.handler is file `orders`, path v2.handler', async () => {
    const nested = project('paths', { 'index.js': 'exports.handlers = { process: async () => "processed" };' }, 'index.handlers.process');
    expect(await invoke(nested)).toMatchObject({ status: 'ok', payload: 'processed' });
    const versioned = project(
      'paths-v2',
      { 'orders.mjs': 'export const v2 = { handler: async () => "v2" };', 'orders.v2.mjs': 'export const handler = async () => "wrong file";' },
      'orders.v2.handler',
    );
    expect(await invoke(versioned)).toMatchObject({ status: 'ok', payload: 'v2' });
    const viaDefault = project('paths-default', { 'index.mjs': 'export default { handlers: { process: async () => "default" } };' }, 'index.handlers.process');
    expect(await invoke(viaDefault)).toMatchObject({ status: 'ok', payload: 'default' });
  });

  it("a missing path or a non-function is Runtime.HandlerNotFound with the RIC's messages", async () => {
    const missing = project('paths-missing', { 'index.mjs': 'export const handlers = {};' }, 'index.handlers.process');
    expect(await invoke(missing)).toMatchObject({ status: 'error', error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handlers.process is undefined or not exported' } });
    const notFunction = project('paths-value', { 'index.mjs': 'export const handler = 42;' }, 'index.handler');
    expect(await invoke(notFunction)).toMatchObject({ status: 'error', error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is not a function' } });
  });
});

describe('module sandbox: 6 MB payload limits', () => {
  it('a request over 6 MB is refused before any sandbox starts; a response over the limit is Function.ResponseSizeTooLarge', async () => {
    const target = project('limits', { 'index.mjs': 'export const handler = async (event) => event.big ? "x".repeat(6_291_557) : "small";' }, 'index.handler');
    const tooBig = { data: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES) };
    expect(await invoke(target, tooBig)).toMatchObject({ status: 'error', kind: 'payload-too-large', error: { errorType: 'RequestEntityTooLargeException' } });
    expect(target.sandboxes().live).toBe(0);
    const response = await invoke(target, { big: true });
    expect(response).toMatchObject({ status: 'error', kind: 'bad-response', functionError: 'Unhandled', error: { errorType: 'Function.ResponseSizeTooLarge' } });
    expect(response.status === 'error' && response.error.errorMessage).toBe('Response payload size (6291559 bytes) exceeded maximum allowed payload size (6291556 bytes).');
    // The sandbox stays warm: the function itself worked.
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: false, payload: 'small' });
  });
});

describe('module sandbox: TypeScript handlers (Node type stripping)', () => {
  it.each([
    ['index.ts', 'index.handler'],
    ['esm.mts', 'esm.handler'],
  ])('%s runs with its types stripped, imports included', async (file, handler) => {
    const target = project(`ts-${file}`, {
      [file]: `import { double } from './lib.ts';\ninterface Event { readonly n: number }\nexport const handler = async (event: Event): Promise<{ doubled: number }> => ({ doubled: double(event.n) });\n`,
      'lib.ts': 'export const double = (n: number): number => n * 2;\n',
      'package.json': '{ "type": "module" }',
    }, handler);
    expect(await invoke(target, { n: 21 })).toMatchObject({ status: 'ok', payload: { doubled: 42 } });
  });

  it('.cts runs as CommonJS', async () => {
    const target = project('ts-cts', { 'index.cts': 'type E = { n: number };\nexports.handler = async (event: E) => event.n + 1;\n' }, 'index.handler');
    expect(await invoke(target, { n: 1 })).toMatchObject({ status: 'ok', payload: 2 });
  });

  it('TS-only syntax (an enum) is Runtime.UserCodeSyntaxError with a hint', async () => {
    const target = project('ts-enum', { 'index.ts': 'enum Color { Red }\nexport const handler = async () => Color.Red;\n' }, 'index.handler');
    const result = await invoke(target);
    expect(result).toMatchObject({ status: 'error', error: { errorType: 'Runtime.UserCodeSyntaxError' } });
    expect(result.status === 'error' && result.error.errorMessage).toMatch(/enum is not supported in strip-only mode.*need a compiler/);
  });
});

describe('module runner: prepare() runs the init phase once, before any batch', () => {
  it('ok: the sandbox stays warm for the first invocation; a callback-style handler is warned about', async () => {
    const target = project('prepare-ok', { 'index.cjs': 'exports.handler = (event, context, callback) => callback(null, "warm");' }, 'index.handler');
    const prepared = await target.prepare(new AbortController().signal);
    expect(prepared).toMatchObject({ status: 'ok' });
    expect(prepared.status === 'ok' && prepared.warnings.join()).toMatch(/callback-style.*nodejs24\.x/);
    expect(await invoke(target)).toMatchObject({ status: 'ok', coldStart: false, payload: 'warm' });
  });

  it("an init failure is Lambda's init error with a bounded stack", async () => {
    const target = project('prepare-fail', { 'index.mjs': 'throw new Error("config missing");\nexport const handler = async () => 1;' }, 'index.handler');
    const prepared = await target.prepare(new AbortController().signal);
    expect(prepared).toMatchObject({ status: 'error', error: { errorType: 'Error', errorMessage: 'config missing' } });
    expect(prepared.status === 'error' && prepared.stack?.[0]).toBe('Error: config missing');
    expect(prepared.status === 'error' && (prepared.stack?.length ?? 0) <= 10).toBe(true);
    const missing = project('prepare-missing', {}, 'nothing.handler');
    expect(await missing.prepare(new AbortController().signal)).toMatchObject({ status: 'error', error: { errorType: 'Runtime.ImportModuleError' } });
  });
});
