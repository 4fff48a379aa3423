/**
 * The `lambda` runner (DESIGN §3.3): a synchronous Invoke (`RequestResponse`) of a deployed function through
 * `@aws-sdk/client-lambda` (see `lambda-client.ts`), mapped to an {@link InvokeResult} the way an event source
 * mapping reads it. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 *
 * | What Lambda says | Result | Uses a retry? |
 * |---|---|---|
 * | 200, no `FunctionError` | `ok`, payload = decoded JSON (raw text when it is not JSON) | — |
 * | 200 + `FunctionError` (`Unhandled`) | `threw` with the payload's `errorType`/`errorMessage`; `Sandbox.Timedout` → `timeout`; `Runtime.ExitError`/`Runtime.OutOfMemory` → `crashed`; `Function.ResponseSizeTooLarge` → `bad-response` | yes |
 * | request over 6 MB (checked before sending), `RequestEntityTooLargeException`/`RequestTooLargeException` (413) | `payload-too-large` (the executor sends the record to on-failure) | no |
 * | `InvalidRequestContentException`, `UnsupportedMediaTypeException` | `bad-response` | yes |
 * | `TooManyRequestsException` (429), `EC2ThrottledException`, `ServiceException` (5xx), any other Invoke error (not found, denied, ENI/KMS/EFS/SnapStart …) | `throttled` | no |
 * | no answer (connection refused/reset, DNS, TLS) | `throttled` | no |
 * | no answer by `deadlineMs` (request aborted) | `timeout` | yes |
 * | the caller's signal aborted (stop) | `throttled` (the batch is read again; nothing ran to completion) | no |
 *
 * Why Invoke errors are `throttled`: the function was not invoked, and AWS's ESM treats "throttling or other issues"
 * before invocation as not counting toward MaximumRetryAttempts: it retries until the records expire or reach
 * MaximumRecordAgeInSeconds (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html).
 * A transport failure is handled the same way: it usually means Lambda was never reached. Retrying an oversized or
 * malformed request can never succeed, so those are failed invocations (`bad-response`) that use retries and end on
 * the on-failure destination instead of blocking the shard. AWS's ESM trims batches to the 6 MB synchronous payload
 * limit, and so does the core's batcher, so the only request over 6 MB is a single record over 6 MB.
 *
 * The Runtime Interface Emulator answers function errors with 200 and no `X-Amz-Function-Error`
 * (https://github.com/aws/aws-lambda-runtime-interface-emulator/issues/20) and its own timeout with the text
 * `Task timed out after N.00 seconds` (issue #21), and a runtime that exits mid-invocation with 502 and a
 * `Runtime.ExitError` document (Lambda: 200 + FunctionError). With an explicit `endpoint`, a payload that is exactly
 * a Lambda error document (see {@link headerlessFunctionError}), that text, or such a 502 is therefore also a
 * function error, unless `detectHeaderlessErrors: false`. Real Lambda always sets FunctionError, so nothing changes
 * against AWS.
 */
import { createLambdaInvoker } from './lambda-client.js';
import type { LambdaInvokeOutcome, LambdaInvoker } from './lambda-client.js';
import { errorInfoOf, functionErrorKind, headerlessFunctionError } from './function-error.js';
import { MAX_SYNC_PAYLOAD_BYTES, requestTooLarge } from './payload-limits.js';
import type { FunctionErrorInfo, FunctionErrorType, FunctionRunner, InvokeErrorKind, InvokeOptions, InvokeResponseMeta, InvokeResult, PrepareResult } from './types.js';

export { errorInfoOf, headerlessFunctionError } from './function-error.js';

export { MAX_SYNC_PAYLOAD_BYTES } from './payload-limits.js';

export interface LambdaRunnerOptions {
  /** Name, partial ARN or full ARN; `name:alias` works too. */
  readonly functionName: string;
  readonly qualifier: string | null;
  /** `null` → `AWS_REGION` / `AWS_DEFAULT_REGION`, else `fallbackRegion`. */
  readonly region: string | null;
  /** Used when neither `region` nor the environment names one (default `us-east-1`). */
  readonly fallbackRegion?: string;
  /** `null` → real AWS. An explicit endpoint without credentials in the environment gets dummy credentials. */
  readonly endpoint: string | null;
  /** Read function errors the RIE reports without `FunctionError`; default: on exactly when `endpoint` is set. */
  readonly detectHeaderlessErrors?: boolean;
  readonly now?: () => number;
  /** Replaces the SDK client (tests). */
  readonly invoker?: LambdaInvoker;
}

/** Lambda's answers to a request over its payload quota. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors */
const TOO_LARGE = new Set(['RequestEntityTooLargeException', 'RequestTooLargeException', 'SerializedRequestEntityTooLargeException']);

/** Errors of the request itself: sending it again cannot succeed. */
const UNSENDABLE = new Set([
  'InvalidRequestContentException',
  'UnsupportedMediaTypeException',
]);


const decoder = new TextDecoder();

/** Decodes a payload: JSON when it parses, otherwise the raw text (an "invalid JSON response"), empty → null. */
export function decodePayload(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}




type Classified =
  | ({ readonly status: 'ok'; readonly payload: unknown } & InvokeResponseMeta)
  | ({ readonly status: 'error'; readonly kind: InvokeErrorKind; readonly error: FunctionErrorInfo; readonly functionError?: FunctionErrorType } & InvokeResponseMeta);

/** What Invoke said about the function that ran: `StatusCode`, `ExecutedVersion` (absent from some emulators). */
function responseMeta(outcome: Extract<LambdaInvokeOutcome, { kind: 'response' }>): InvokeResponseMeta {
  return { statusCode: outcome.statusCode, ...(outcome.executedVersion === null ? {} : { executedVersion: outcome.executedVersion }) };
}

/** `FunctionError` as Invoke reports it; anything but `Handled` is what today's runtimes send, `Unhandled`. */
function functionErrorType(value: string | null): FunctionErrorType {
  return value === 'Handled' ? 'Handled' : 'Unhandled';
}

export interface ClassifyContext {
  /** The request was aborted because `deadlineMs` passed (not because the caller stopped). */
  readonly deadlineExpired: boolean;
  /** Seconds between the start and the deadline, for the timeout message. */
  readonly timeoutSeconds: number;
  readonly detectHeaderlessErrors: boolean;
}

/** Maps one Invoke outcome to a result (the table in this file's header). Pure. */
export function classifyInvokeOutcome(outcome: LambdaInvokeOutcome, context: ClassifyContext): Classified {
  switch (outcome.kind) {
    case 'response': {
      const payload = decodePayload(outcome.payload);
      const meta = responseMeta(outcome);
      if (outcome.functionError !== null) {
        const error = errorInfoOf(payload, outcome.functionError);
        return { status: 'error', kind: functionErrorKind(error.errorType), error, functionError: functionErrorType(outcome.functionError), ...meta };
      }
      const headerless = context.detectHeaderlessErrors ? headerlessFunctionError(payload) : null;
      if (headerless !== null) return { status: 'error', ...headerless, functionError: 'Unhandled', ...meta };
      return { status: 'ok', payload, ...meta };
    }
    case 'service-error': {
      if (context.detectHeaderlessErrors && outcome.errorDocument !== null) {
        // The RIE's answer when the runtime process died mid-invocation (Lambda: 200 + FunctionError).
        const status = outcome.httpStatus === null ? {} : { statusCode: outcome.httpStatus };
        return { status: 'error', kind: functionErrorKind(outcome.errorDocument.errorType), error: outcome.errorDocument, functionError: 'Unhandled', ...status };
      }
      const error = { errorType: outcome.errorType, errorMessage: outcome.message };
      const status = outcome.httpStatus === null ? {} : { statusCode: outcome.httpStatus };
      if (TOO_LARGE.has(outcome.errorType) || outcome.httpStatus === 413) return { status: 'error', kind: 'payload-too-large', error, ...status };
      const unsendable = UNSENDABLE.has(outcome.errorType) || outcome.httpStatus === 415;
      return { status: 'error', kind: unsendable ? 'bad-response' : 'throttled', error, ...status };
    }
    case 'transport-error':
      return { status: 'error', kind: 'throttled', error: { errorType: outcome.errorType, errorMessage: outcome.message } };
    case 'aborted':
      if (context.deadlineExpired) {
        // Lambda's own wording for a timed-out invocation.
        const errorMessage = `Task timed out after ${context.timeoutSeconds.toFixed(2)} seconds`;
        return { status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage } };
      }
      return { status: 'error', kind: 'throttled', error: { errorType: 'InvokeAborted', errorMessage: 'the invocation was aborted before Lambda answered' } };
  }
}

/** The result for a request Lambda would refuse with 413 (checked before sending). */
export const tooLargeError = requestTooLarge;

export class LambdaRunner implements FunctionRunner {
  readonly functionName: string;
  readonly #qualifier: string | null;
  readonly #invoker: LambdaInvoker;
  readonly #now: () => number;
  readonly #detectHeaderlessErrors: boolean;
  #closed = false;

  constructor(options: LambdaRunnerOptions) {
    this.functionName = options.functionName;
    this.#qualifier = options.qualifier;
    this.#now = options.now ?? Date.now;
    this.#detectHeaderlessErrors = options.detectHeaderlessErrors ?? options.endpoint !== null;
    this.#invoker =
      options.invoker ??
      createLambdaInvoker({ region: options.region, fallbackRegion: options.fallbackRegion ?? 'us-east-1', endpoint: options.endpoint });
  }

  async invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const started = this.#now();
    const elapsed = (): number => this.#now() - started;
    const payload = Buffer.from(JSON.stringify(event) ?? 'null', 'utf8');
    if (payload.byteLength > MAX_SYNC_PAYLOAD_BYTES) {
      return { status: 'error', kind: 'payload-too-large', error: requestTooLarge(payload.byteLength), durationMs: 0, coldStart: false };
    }
    if (this.#closed) {
      return { status: 'error', kind: 'throttled', error: { errorType: 'RunnerClosed', errorMessage: 'the lambda runner is closed' }, durationMs: 0, coldStart: false };
    }
    const deadline = AbortSignal.timeout(Math.max(1, options.deadlineMs - started));
    const signal = AbortSignal.any([deadline, options.signal]);
    const outcome = await this.#invoker.invoke(
      // Only a traced invocation sends a trace header: an unsampled one would stop Lambda's own Active tracing.
      { functionName: this.functionName, qualifier: this.#qualifier, payload, ...(options.trace === undefined ? {} : { traceHeader: options.trace.xRay }) },
      signal,
    );
    const classified = classifyInvokeOutcome(outcome, {
      deadlineExpired: deadline.aborted && !options.signal.aborted,
      timeoutSeconds: (options.deadlineMs - started) / 1000,
      detectHeaderlessErrors: this.#detectHeaderlessErrors,
    });
    // Lambda does not say whether the environment was cold unless logs are tailed; we never ask for them.
    return { ...classified, durationMs: elapsed(), coldStart: false };
  }

  /**
   * A cheap check: the runner is open. Nothing is sent — a DryRun Invoke would need `lambda:InvokeFunction` and is
   * not served by the Runtime Interface Emulator; a missing function or permission shows on the first invocation.
   */
  async prepare(): Promise<PrepareResult> {
    if (this.#closed) return { status: 'error', error: { errorType: 'RunnerClosed', errorMessage: 'the lambda runner is closed' } };
    return { status: 'ok', warnings: [] };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#invoker.destroy();
  }
}
