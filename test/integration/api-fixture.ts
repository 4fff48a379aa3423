/**
 * The Lambda API server of the API tests, backed by Tributary's in-memory control-plane stand-ins (src/api/memory):
 * four declared functions and their in-process handlers. Real clients (the AWS SDK, the AWS CLI) talk to it over
 * HTTP on 127.0.0.1.
 */
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/api/http-server.ts';
import { MemoryEventInvokeConfigStore } from '../../src/api/memory/memory-event-invoke-configs.ts';
import { MemoryFunctionRegistry, MemoryInvoker, type MemoryHandler } from '../../src/api/memory/memory-functions.ts';
import { MemoryMappingControl } from '../../src/api/memory/memory-mapping-control.ts';
import type { FunctionDescription, MappingRecord } from '../../src/api/ports.ts';

/** The credentials the tests sign with. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTRIBUTARYTEST', secretAccessKey: 'tributary-test-secret' } as const;
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

const described = (name: string, extra: Partial<FunctionDescription> = {}): FunctionDescription => ({
  name,
  runner: 'module',
  handler: `./handlers/${name}.handler`,
  timeoutSeconds: 30,
  memorySizeMb: 256,
  reservedConcurrency: null,
  description: `${name} handler`,
  lastModifiedMs: Date.UTC(2026, 0, 2, 3, 4, 5),
  ...extra,
});

export const FUNCTIONS: readonly FunctionDescription[] = [
  described('orders'),
  described('failing'),
  described('throttled', { reservedConcurrency: 0 }),
  described('chatty'),
  described('container', { runner: 'http', handler: null, memorySizeMb: null }),
];

const HANDLERS: Readonly<Record<string, MemoryHandler>> = {
  orders: (event, context) => {
    context.log(`received ${JSON.stringify(event)}`);
    return { ok: true, event, requestId: context.awsRequestId, clientContext: context.clientContext };
  },
  failing: () => {
    throw new TypeError('order 7 has no customer');
  },
  throttled: () => ({ ok: true }),
  chatty: (event, context) => {
    for (let i = 0; i < 500; i += 1) context.log(`line ${i} ${'é'.repeat(10)}`);
    const size = (event as { responseBytes?: number }).responseBytes;
    return size === undefined ? { ok: true } : { blob: 'x'.repeat(size) };
  },
  container: () => ({ ok: true }),
};

/** What an SDK call was refused with: the error name, message, HTTP status and, when sent, `Type` and `Reason`. */
export interface SdkRefusal {
  readonly name: string;
  readonly message: string;
  readonly status: number | undefined;
  readonly type?: unknown;
  readonly reason?: unknown;
}

/** The refusal of an SDK call (fails the test when the call succeeds). */
export async function sdkRefusal(promise: Promise<unknown>): Promise<SdkRefusal> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (caught: unknown) => caught as { name: string; message: string; $metadata?: { httpStatusCode?: number }; Type?: unknown; Reason?: unknown },
  );
  return {
    name: error.name,
    message: error.message,
    status: error.$metadata?.httpStatusCode,
    ...(error.Type === undefined ? {} : { type: error.Type }),
    ...(error.Reason === undefined ? {} : { reason: error.Reason }),
  };
}

/** A running API with its stand-ins. */
export interface ApiFixture {
  readonly server: ApiServer;
  readonly mappings: MemoryMappingControl;
  readonly invoker: MemoryInvoker;
  close(): Promise<void>;
}

/** Start the API on a free loopback port (or as `options` say). */
export async function startApiFixture(options: Partial<ApiServerOptions> & { declared?: readonly MappingRecord[] } = {}): Promise<ApiFixture> {
  const mappings = new MemoryMappingControl({ declared: options.declared ?? [] });
  const invoker = new MemoryInvoker(HANDLERS, FUNCTIONS);
  const server = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    credentials: [TEST_CREDENTIALS],
    sourceDefaults: { sqs: { endpoint: 'http://127.0.0.1:19324' } },
    ...options,
    ports: { mappings, functions: new MemoryFunctionRegistry(FUNCTIONS), invoker, eventInvokeConfigs: new MemoryEventInvokeConfigStore() },
  });
  return { server, mappings, invoker, close: () => server.close() };
}
