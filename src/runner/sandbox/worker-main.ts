/**
 * The sandbox side of Lambda's execution environment lifecycle, in a worker thread:
 * **init** — load the handler module once and report `ready` (the service times the whole init phase);
 * **invoke** — one invocation at a time, as often as the service asks (warm invocations reuse the module, its
 * globals and its connections); **shutdown** — the service terminates the worker.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 * The handler is called by the same `callHandler` the in-process runner uses (async or callback style, Lambda's
 * context). Callback-style handlers answer as soon as the callback is called, whatever
 * `context.callbackWaitsForEmptyEventLoop` says: a worker cannot tell reliably when its own event loop is empty
 * (its message port is always there), so timers or sockets the handler left behind keep running between
 * invocations instead of being awaited (Lambda with `false` would freeze them until the next invocation).
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { TributaryError } from '../../errors.js';
import { callHandler, toFunctionError } from '../call-handler.js';
import { loadHandler, resolveHandlerFile } from '../resolve-handler.js';
import type { LambdaHandler } from '../types.js';
import { initError, moduleNotFound, unhandledRejection } from './init-error.js';
import type { InvokeMessage, SandboxMessage, SandboxWorkerData } from './protocol.js';

function requireParentPort(): NonNullable<typeof parentPort> {
  if (parentPort === null) throw new TributaryError('INTERNAL', 'the sandbox worker must run in a worker thread');
  return parentPort;
}

const port = requireParentPort();
const data = workerData as SandboxWorkerData;
const post = (message: SandboxMessage): void => port.postMessage(message);

/**
 * Lambda's "Max Memory Used" is the peak of the execution environment. A worker shares the process's RSS with
 * the service and every other sandbox, so we report this isolate's own footprint instead: committed V8 heap +
 * external (ArrayBuffer/Buffer) memory + V8 malloc, sampled after init and after every invocation, peak kept.
 */
let peakBytes = 0;
function maxMemoryUsedMb(): number {
  const stats = getHeapStatistics();
  peakBytes = Math.max(peakBytes, stats.total_heap_size + stats.external_memory + stats.malloced_memory);
  return Math.ceil(peakBytes / (1024 * 1024));
}

// Lambda's Node.js runtime reports an unhandled rejection or an uncaught exception for the current invocation
// and exits the runtime; the service terminates this worker when it receives `fatal`.
process.on('unhandledRejection', (reason) => post({ type: 'fatal', error: unhandledRejection(reason) }));
process.on('uncaughtException', (error) => post({ type: 'fatal', error: toFunctionError(error) }));

/** Gives the context the request id the service chose (it logs the REPORT line), keeping the handler's arity. */
function withRequestId(handler: LambdaHandler, requestId: string): LambdaHandler {
  const wrapped: LambdaHandler = (event, context, callback) => handler(event, Object.assign(context, { awsRequestId: requestId }), callback);
  // callHandler tells callback-style handlers (3 parameters) from the others by `length`.
  Object.defineProperty(wrapped, 'length', { value: handler.length });
  return wrapped;
}

const neverAborted = new AbortController().signal;

async function invoke(handler: LambdaHandler, message: InvokeMessage): Promise<void> {
  const started = performance.now();
  const result = await callHandler(withRequestId(handler, message.requestId), message.event, {
    functionName: data.functionName,
    memorySizeMb: data.memorySizeMb,
    region: data.region,
    deadlineMs: Date.now() + message.timeoutMs,
    signal: neverAborted,
    now: Date.now,
    coldStart: false,
  });
  const durationMs = performance.now() - started;
  const common = { type: 'result', requestId: message.requestId, durationMs, maxMemoryUsedMb: maxMemoryUsedMb() } as const;
  if (result.status === 'error') {
    const kind = result.kind === 'threw' || result.kind === 'timeout' ? result.kind : 'threw';
    post({ ...common, status: 'error', kind, error: result.error });
    return;
  }
  let json: string;
  try {
    // As Lambda's runtime: the response is JSON.stringify(result); undefined becomes null.
    json = JSON.stringify(result.payload === undefined ? null : result.payload) ?? 'null';
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'not serializable';
    post({ ...common, status: 'error', kind: 'bad-response', error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${reason}` } });
    return;
  }
  post({ ...common, status: 'ok', json });
}

async function init(): Promise<void> {
  let handler: LambdaHandler;
  try {
    await resolveHandlerFile(data.handlerFile);
  } catch {
    post({ type: 'init-error', error: moduleNotFound(data.handlerFile) });
    return;
  }
  try {
    handler = await loadHandler(data.handlerFile, data.handlerExport);
  } catch (error) {
    post({ type: 'init-error', error: initError(error, data.handlerFile, data.handlerExport) });
    return;
  }
  port.on('message', (message: InvokeMessage) => void invoke(handler, message));
  post({ type: 'ready', maxMemoryUsedMb: maxMemoryUsedMb() });
}

await init();
