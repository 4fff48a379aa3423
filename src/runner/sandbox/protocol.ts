/**
 * Messages between a sandbox (worker thread) and the service. The event travels in one of two forms, so it is
 * serialised once: by structured clone when the caller's size bound already proved it fits in Invoke's 6 MB (the
 * lane engine's events: plain JSON data, for which a clone and `JSON.parse` of its text are the same object, and
 * a clone is the cheaper copy), otherwise as the JSON text the size check produced (the handler then gets exactly
 * what `JSON.parse` of a Lambda request gives). A handler's result travels as the JSON text Lambda's runtime would
 * have produced (`JSON.stringify`), so the service sees exactly what a Lambda caller would see (`toJSON` applied,
 * functions and `undefined` dropped).
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 *
 * This file holds types only: the worker imports it with `import type`, which is erased, so the worker entry
 * stays loadable by plain Node from the TypeScript sources (see worker-entry.ts).
 */
import type { FunctionErrorInfo, InvokeErrorKind } from '../types.js';
import type { LambdaLogLevel } from './console-patch.js';

/** `workerData` of a sandbox: everything the init phase needs. */
export interface SandboxWorkerData {
  /** Absolute handler file without extension (`.js`, `.mjs`, `.cjs` are tried, as Lambda does). */
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  /** The sandbox's log stream name (also `AWS_LAMBDA_LOG_STREAM_NAME`), for `context.logStreamName`. */
  readonly logStreamName: string;
}

/** The event of an invocation: the object itself (structured clone) or its JSON text. */
export type InvokeEvent = { readonly kind: 'clone'; readonly value: unknown } | { readonly kind: 'json'; readonly text: string };

/** Service → sandbox: run one invocation. `timeoutMs` is the budget, counted from when the handler starts. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  readonly event: InvokeEvent;
  readonly timeoutMs: number;
  /** This invocation's X-Ray header: `_X_AMZN_TRACE_ID` and `context.xRayTraceId`. */
  readonly traceId: string;
}

/**
 * Sandbox → service: the init phase succeeded. (The service times the init phase itself, from spawning the worker:
 * Lambda's Init Duration covers the runtime's start as well as the function's module.)
 */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly maxMemoryUsedMb: number;
  /** The handler's declared parameters (`function.length`): 3 or more is a callback-style handler. */
  readonly handlerArity: number;
}

/** Sandbox → service: the init phase failed (module not found, syntax error, export missing, top-level throw). */
export interface InitErrorMessage {
  readonly type: 'init-error';
  readonly error: FunctionErrorInfo;
  /** The first lines of the error's stack, for the operator's logs. */
  readonly stack?: readonly string[];
}

/**
 * Sandbox → service: the event loop emptied after a `callback` whose `callbackWaitsForEmptyEventLoop` was true (the
 * result was sent before, with `drain: true`); the sandbox can take the next invocation.
 */
export interface DrainedMessage {
  readonly type: 'drained';
  readonly requestId: string;
}

/** Sandbox → service: one `console.*` entry of the handler, already in Lambda's text format. */
export interface LogMessage {
  readonly type: 'log';
  readonly level: LambdaLogLevel;
  readonly line: string;
  readonly requestId: string | null;
}

/** Sandbox → service: one invocation finished (the handler answered or failed); timeouts are the service's. */
export type ResultMessage =
  | {
      readonly type: 'result';
      readonly requestId: string;
      readonly status: 'ok';
      /** `JSON.stringify` of the handler's result (`null` for `undefined`), as Lambda's runtime sends it. */
      readonly json: string;
      readonly durationMs: number;
      readonly maxMemoryUsedMb: number;
      /** The sandbox stays busy until a `drained` message (a callback with callbackWaitsForEmptyEventLoop). */
      readonly drain: boolean;
    }
  | {
      readonly type: 'result';
      readonly requestId: string;
      readonly status: 'error';
      readonly kind: Extract<InvokeErrorKind, 'threw' | 'bad-response'>;
      readonly error: FunctionErrorInfo;
      readonly durationMs: number;
      readonly maxMemoryUsedMb: number;
      readonly drain: false;
    };

/**
 * Sandbox → service: the sandbox is broken (an uncaught exception or an unhandled rejection, during or after an
 * invocation). Lambda's Node.js runtime reports it for the current invocation and exits; the service terminates
 * the worker.
 */
export interface FatalMessage {
  readonly type: 'fatal';
  readonly error: FunctionErrorInfo;
}

export type SandboxMessage = ReadyMessage | InitErrorMessage | ResultMessage | FatalMessage | DrainedMessage | LogMessage;
