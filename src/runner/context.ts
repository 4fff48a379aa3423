/**
 * A Lambda-like context object.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
import { randomUUID } from 'node:crypto';
import type { LambdaCallback, LambdaContext } from './types.js';

export interface ContextOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  readonly deadlineMs: number;
  readonly now: () => number;
  readonly callback: LambdaCallback;
}

export function createLambdaContext(options: ContextOptions): LambdaContext {
  const { functionName, callback } = options;
  const day = new Date(options.now()).toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(options.memorySizeMb),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, options.deadlineMs - options.now()),
    done: (error?: unknown, result?: unknown) => callback(error, result),
    succeed: (result?: unknown) => callback(null, result),
    fail: (error?: unknown) => callback(error ?? new Error('failed')),
  };
}
