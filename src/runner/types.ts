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
  /** The stack as the runtime reports it (Node's `trace`), for the service's logs only; never sent anywhere else. */
  readonly trace?: readonly string[];
}

/**
 * `payload-too-large`: the event was over the invoke payload limit (6 MB) and was never sent — Lambda's
 * RequestTooLargeException; not a function error, no retry can succeed.
 */
export type InvokeErrorKind = 'threw' | 'timeout' | 'crashed' | 'throttled' | 'bad-response' | 'payload-too-large';

/** What the Invoke API answered besides the payload (the lambda runner's real values; 200 / $LATEST otherwise). */
export interface InvokeResponseMeta {
  readonly statusCode?: number;
  readonly executedVersion?: string;
}

export type InvokeResult =
  | (InvokeResponseMeta & {
      readonly status: 'ok';
      readonly payload: unknown;
      readonly durationMs: number;
      readonly coldStart: boolean;
      /** Init duration of the cold start this invocation waited for (Lambda's `Init Duration`); absent when warm. */
      readonly initDurationMs?: number;
    })
  | (InvokeResponseMeta & {
      readonly status: 'error';
      readonly kind: InvokeErrorKind;
      readonly error: FunctionErrorInfo;
      /** `Unhandled` (a thrown error, a crash, a timeout) or `Handled`, as the Invoke API's FunctionError says. */
      readonly functionError?: 'Handled' | 'Unhandled';
      readonly durationMs: number;
      readonly coldStart: boolean;
      /** Init duration of the cold start this invocation waited for (Lambda's `Init Duration`); absent when warm. */
      readonly initDurationMs?: number;
    });

/** The init phase of a function, checked before a pipeline polls (Lambda's INIT errors). */
export type PrepareResult = { readonly status: 'ok' } | { readonly status: 'error'; readonly error: FunctionErrorInfo };

export interface FunctionRunner {
  /** A name for logs and the Lambda-like context. */
  readonly functionName: string;
  invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult>;
  /**
   * Resolves the handler and runs the init phase once, so a function that cannot start fails its pipeline before it
   * polls (Runtime.ImportModuleError, Runtime.HandlerNotFound…). Optional: runners without an init phase omit it.
   */
  prepare?(signal: AbortSignal): Promise<PrepareResult>;
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
