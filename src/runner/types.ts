/**
 * Function runners (DESIGN §3.3). Handler errors are data, never exceptions through the runtime.
 */

export interface InvokeOptions {
  /** Absolute epoch ms by which the function must have answered (Lambda's timeout). */
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
}

/** Lambda's error shape: `{ errorType, errorMessage }` (never a stack to the outside: it may leak data). */
export interface FunctionErrorInfo {
  readonly errorType: string;
  readonly errorMessage: string;
}

export type InvokeErrorKind = 'threw' | 'timeout' | 'crashed' | 'throttled' | 'bad-response';

export type InvokeResult =
  | {
      readonly status: 'ok';
      readonly payload: unknown;
      readonly durationMs: number;
      readonly coldStart: boolean;
      /** Init duration of the cold start this invocation waited for (Lambda's `Init Duration`); absent when warm. */
      readonly initDurationMs?: number;
    }
  | {
      readonly status: 'error';
      readonly kind: InvokeErrorKind;
      readonly error: FunctionErrorInfo;
      readonly durationMs: number;
      readonly coldStart: boolean;
      /** Init duration of the cold start this invocation waited for (Lambda's `Init Duration`); absent when warm. */
      readonly initDurationMs?: number;
    };

export interface FunctionRunner {
  /** A name for logs and the Lambda-like context. */
  readonly functionName: string;
  invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult>;
  close(): Promise<void>;
}

/** A Lambda handler: async `(event, context)` or callback style `(event, context, callback)`. */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback: LambdaCallback) => unknown;
export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/** The subset of Lambda's context object handlers rely on. */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}
