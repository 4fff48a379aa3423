/**
 * Function runners (DESIGN §3.3). Handler errors are data, never exceptions through the runtime.
 */

export interface InvokeOptions {
  /** Absolute epoch ms by which the function must have answered (Lambda's timeout). */
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  /**
   * An upper bound of the event's JSON size in bytes, when the caller knows one (the lane engine sums the sizes its
   * sources computed for each record). Under Invoke's 6 MB limit it spares a runner serialising the event only to
   * measure it; without it the runner measures the event itself.
   */
  readonly sizeHintBytes?: number;
  /**
   * Lambda's request id of this invocation (`context.awsRequestId`, the `requestId` of its log lines and REPORT):
   * Invoke's `x-amzn-RequestId`, so a caller can find the invocation's log by the id it was answered with. Default:
   * a new UUID. Honoured by the `module` and `in-process` runners.
   */
  readonly requestId?: string;
  /**
   * This invocation's trace context when tracing is on (the invocation span's): the `module` runner puts `xRay` in
   * `_X_AMZN_TRACE_ID` and `context.xRayTraceId`, the `in-process` runner in `context.xRayTraceId` (the process
   * environment is the service's), the `http` runner sends it as `X-Amzn-Trace-Id` (Lambda hands that header to the
   * runtime as `Lambda-Runtime-Trace-Id`; the RIE drops it) with `traceparent`, the `lambda` runner as Invoke's
   * `X-Amzn-Trace-Id` header (Invoke has no trace parameter). Absent: the local runners make an unsampled header, as
   * Lambda gives an untraced invocation; the remote ones send none.
   */
  readonly trace?: { readonly xRay: string; readonly traceparent: string };
}

/** Lambda's error shape: `{ errorType, errorMessage }` (never a stack to the outside: it may leak data). */
export interface FunctionErrorInfo {
  readonly errorType: string;
  readonly errorMessage: string;
  /** The stack as the runtime reports it (Node's `trace`), for the service's logs only; never sent anywhere else. */
  readonly trace?: readonly string[];
}

/**
 * Why an invocation failed. `payload-too-large`: the request (the event) is over Lambda's 6 MB synchronous payload
 * quota, so the function was never invoked — on AWS, Invoke answers `RequestEntityTooLargeException`, and an event
 * source mapping sends such a record to the on-failure destination without retrying (Kafka's condition
 * `MaximumPayloadSizeExceeded`). https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export type InvokeErrorKind = 'threw' | 'timeout' | 'crashed' | 'throttled' | 'bad-response' | 'payload-too-large';

/**
 * Invoke's `FunctionError`: `Unhandled` for every error of today's runtimes (a throw, a timeout, a crash), `Handled`
 * only from old runtimes' `context.fail`. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_ResponseSyntax
 */
export type FunctionErrorType = 'Handled' | 'Unhandled';

/**
 * What the runner actually got back, for on-failure records (`responseContext`) and logs. Every runner fills them
 * from its transport: the `lambda` runner from Invoke's `StatusCode` / `ExecutedVersion` / `FunctionError`, the
 * `http` runner from the HTTP status and the `X-Amz-Executed-Version` / `X-Amz-Function-Error` headers, the
 * `module` and `in-process` runners with what Lambda answers for a local function (200, `$LATEST`, `Unhandled`).
 * Absent when the function never answered (a transport failure, a refused request).
 */
export interface InvokeResponseMeta {
  readonly statusCode?: number;
  readonly executedVersion?: string;
}

export type InvokeResult =
  | ({
      readonly status: 'ok';
      readonly payload: unknown;
      readonly durationMs: number;
      readonly coldStart: boolean;
      /** Init duration of the cold start this invocation waited for (Lambda's `Init Duration`); absent when warm. */
      readonly initDurationMs?: number;
    } & InvokeResponseMeta)
  | ({
      readonly status: 'error';
      readonly kind: InvokeErrorKind;
      readonly error: FunctionErrorInfo;
      readonly durationMs: number;
      readonly coldStart: boolean;
      /** Init duration of the cold start this invocation waited for (Lambda's `Init Duration`); absent when warm. */
      readonly initDurationMs?: number;
      /** Set when the function ran and reported the error (Invoke's `FunctionError`); absent when it never ran. */
      readonly functionError?: FunctionErrorType;
    } & InvokeResponseMeta);

/**
 * The outcome of {@link FunctionRunner.prepare}: the handler resolves and its init phase ran, or Lambda's init error
 * (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, `Runtime.UserCodeSyntaxError`, or what the module's
 * top-level code threw) with a bounded stack for the logs.
 */
export type PrepareResult =
  | {
      readonly status: 'ok';
      /** Init duration of the sandbox that ran the init phase; absent for runners that have none. */
      readonly initDurationMs?: number;
      /** Things worth telling the operator that do not stop the function (e.g. a callback-style handler). */
      readonly warnings: readonly string[];
    }
  | {
      readonly status: 'error';
      readonly error: FunctionErrorInfo;
      /** At most {@link MAX_STACK_LINES} lines, for logs only (it may name files, never data). */
      readonly stack?: readonly string[];
    };

/** Bound of {@link PrepareResult} stacks: enough to find the line, never a screenful. */
export const MAX_STACK_LINES = 10;

export interface FunctionRunner {
  /** A name for logs and the Lambda-like context. */
  readonly functionName: string;
  invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult>;
  /**
   * Checks, before any batch is read, that the function can run: resolves the handler and runs the init phase once
   * (`module`: in one sandbox, kept warm for the first invocation), or a cheap check (`in-process`, `http`, `lambda`).
   * Never throws; an aborted `signal` ends it as an error.
   */
  prepare?(signal: AbortSignal): Promise<PrepareResult>;
  /**
   * Admission of a queue poller (SQS): resolves once the function can take one more batch — a free place of its
   * reserved concurrency, counted over every poller of every mapping that targets it — or null when `signal` aborts
   * first. The poller holds it from before its receive until the batch is settled, so it never receives messages it
   * cannot invoke. Absent: the function is not reserved and every poller is admitted at once.
   */
  admit?(signal: AbortSignal): Promise<AdmissionSlot | null>;
  close(): Promise<void>;
}

/** A held admission (`FunctionRunner.admit`); `release()` gives it back, idempotent. */
export interface AdmissionSlot {
  release(): void;
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
  /** The X-Ray trace header of this invocation (`Root=1-…;Parent=…;Sampled=0`), also in `_X_AMZN_TRACE_ID`. */
  readonly xRayTraceId?: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}
