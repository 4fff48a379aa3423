/**
 * The sandbox side of Lambda's execution environment lifecycle, in a worker thread:
 * **init** — load the handler module once and report `ready` (the service times the whole init phase);
 * **invoke** — one invocation at a time, as often as the service asks (warm invocations reuse the module, its
 * globals and its connections); **shutdown** — the service terminates the worker.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 * Invocations end as in Lambda's Node.js runtime (legacy-invocation.ts): a promise's settlement, else the first
 * `callback` / `context.done|succeed|fail`, else `null` once the event loop is empty. The event loop is this
 * worker's own: while an invocation runs the message port is unref'd, so the only things keeping the loop alive are
 * the handler's (timers, sockets, file reads…); when they are gone Node emits `beforeExit` in the worker, exactly
 * the signal the runtime interface client listens to, and the port is ref'd again before the worker could exit.
 * https://nodejs.org/api/process.html#event-beforeexit
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { TributaryError } from '../../errors.js';
import { createLambdaContext } from '../context.js';
import { toFunctionError } from '../function-error.js';
import { startLegacyInvocation, type Completion, type LegacyInvocation } from '../legacy-invocation.js';
import { serializeResponse } from '../payload-limits.js';
import { findHandlerFile, loadHandler } from '../resolve-handler.js';
import type { LambdaHandler } from '../types.js';
import { formatLogLine, invokeErrorDocument, patchConsole, type LambdaLogLevel } from './console-patch.js';
import { boundedStack, initError, moduleNotFound, unhandledRejection } from './init-error.js';
import type { InvokeMessage, SandboxMessage, SandboxWorkerData } from './protocol.js';

/** Init-error stacks sent to the service (logs only). */
const INIT_STACK_LINES = 10;

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

/** The request id console lines carry: the current invocation's, kept after it (Lambda keeps the last one). */
let currentRequestId: string | null = null;
const log = (level: LambdaLogLevel, line: string): void => post({ type: 'log', level, line, requestId: currentRequestId });
patchConsole(console, { requestId: () => currentRequestId, emit: log, logLevel: process.env['AWS_LAMBDA_LOG_LEVEL'] });

// Lambda's Node.js runtime reports an unhandled rejection or an uncaught exception for the current invocation
// and exits the runtime; the service terminates this worker when it receives `fatal`.
process.on('unhandledRejection', (reason) => post({ type: 'fatal', error: unhandledRejection(reason) }));
process.on('uncaughtException', (error) => post({ type: 'fatal', error: toFunctionError(error) }));

/** The invocation waiting for its handler, or, after a `callback` that waits, for the event loop to empty. */
let running: LegacyInvocation | null = null;
let draining: string | null = null;

process.on('beforeExit', () => {
  // Only reachable while the port is unref'd, i.e. during an invocation or its drain.
  if (running !== null && !running.finished) {
    running.loopEmpty();
  } else if (draining !== null) {
    post({ type: 'drained', requestId: draining });
    draining = null;
  }
  port.ref();
});

function finish(requestId: string, started: number, completion: Completion): void {
  running = null;
  const common = { type: 'result', requestId, durationMs: performance.now() - started, maxMemoryUsedMb: maxMemoryUsedMb() } as const;
  if (completion.outcome === 'error') {
    // The runtime logs every failed invocation this way (the RIC's `console.error("Invoke Error", …)`).
    log('ERROR', formatLogLine(new Date(), currentRequestId, 'ERROR', 'Invoke Error', [invokeErrorDocument(completion.error)]));
    post({ ...common, status: 'error', kind: 'threw', error: toFunctionError(completion.error), drain: false });
    port.ref();
    return;
  }
  const response = serializeResponse(completion.payload);
  if (response.status === 'error') {
    post({ ...common, status: 'error', kind: 'bad-response', error: response.error, drain: false });
    port.ref();
    return;
  }
  post({ ...common, status: 'ok', json: response.json, drain: completion.waitForEmptyLoop });
  if (completion.waitForEmptyLoop) draining = requestId;
  else port.ref();
}

function invoke(handler: LambdaHandler, message: InvokeMessage): void {
  const started = performance.now();
  // The closures of the invocation capture these values, never `message`: it holds the event, which must not live
  // longer than the handler keeps it (a retained event survives young-generation collections, and V8 then
  // allocates every event straight into the old generation — a full collection every few invocations).
  const { requestId, traceId } = message;
  const event = message.event.kind === 'json' ? (JSON.parse(message.event.text) as unknown) : message.event.value;
  currentRequestId = requestId;
  // The RIC moves the invocation's trace header into the environment for the X-Ray SDK.
  process.env['_X_AMZN_TRACE_ID'] = traceId;
  // From here the loop stays alive only for the handler's own work (see the file comment).
  port.unref();
  const deadlineMs = Date.now() + message.timeoutMs;
  const invocation = startLegacyInvocation(
    handler,
    event,
    (callbacks) =>
      createLambdaContext(callbacks, {
        functionName: data.functionName,
        memorySizeMb: data.memorySizeMb,
        region: data.region,
        deadlineMs,
        now: Date.now,
        requestId,
        logStreamName: data.logStreamName,
        xRayTraceId: traceId,
      }),
    (completion) => finish(requestId, started, completion),
  );
  running = invocation.finished ? null : invocation;
}

async function init(): Promise<void> {
  let handler: LambdaHandler;
  if (findHandlerFile(data.handlerFile) === null) {
    post({ type: 'init-error', error: moduleNotFound(data.handlerFile) });
    return;
  }
  try {
    handler = await loadHandler(data.handlerFile, data.handlerExport);
  } catch (error) {
    const stack = boundedStack(error, INIT_STACK_LINES);
    post({ type: 'init-error', error: initError(error), ...(stack === undefined ? {} : { stack }) });
    return;
  }
  port.on('message', (message: InvokeMessage) => invoke(handler, message));
  post({ type: 'ready', maxMemoryUsedMb: maxMemoryUsedMb(), handlerArity: handler.length });
}

await init();
