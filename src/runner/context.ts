/**
 * A Lambda-like context object: the callback part (`callbackWaitsForEmptyEventLoop`, `done`, `succeed`, `fail`, see
 * legacy-invocation.ts) plus the fields the runtime interface client attaches from the invocation and the
 * environment. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
import { randomUUID } from 'node:crypto';
import type { CallbackContext } from './legacy-invocation.js';
import { logStreamName } from './sandbox/environment.js';
import type { LambdaContext } from './types.js';

export interface ContextOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  readonly deadlineMs: number;
  readonly now: () => number;
  /** Default: a new UUID. */
  readonly requestId?: string;
  /** The execution environment's log stream (one per sandbox); default: a new one. */
  readonly logStreamName?: string;
  /** This invocation's X-Ray trace header. */
  readonly xRayTraceId?: string;
}

export function createLambdaContext(callbacks: CallbackContext, options: ContextOptions): LambdaContext {
  const { functionName } = options;
  const fields = {
    awsRequestId: options.requestId ?? randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memorySizeMb),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: options.logStreamName ?? logStreamName(options.now(), randomUUID().replaceAll('-', '')),
    ...(options.xRayTraceId === undefined ? {} : { xRayTraceId: options.xRayTraceId }),
    getRemainingTimeInMillis: () => Math.max(0, options.deadlineMs - options.now()),
  };
  // As the RIC's `attachEnvironmentData`: the fields are copied onto the callback context, whose
  // `callbackWaitsForEmptyEventLoop` accessor must stay live.
  return Object.assign(callbacks, fields);
}
