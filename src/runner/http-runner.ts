/**
 * POSTs the event as JSON to a URL and reads the function's response, like Lambda's Runtime Interface Emulator
 * (`/2015-03-31/functions/function/invocations`), so a Lambda container image works as a target.
 * A non-2xx status or an `X-Amz-Function-Error` header is a function error. Connections are kept alive
 * (Node's fetch pools them).
 *
 * Lambda's payload quotas hold here too (see payload-limits.ts): an event over 6 MB is refused before anything is
 * sent (`payload-too-large`), and a response body over the limit is `Function.ResponseSizeTooLarge`.
 */
import { errorInfoOf, headerlessFunctionError } from './function-error.js';
import { aborted } from './sandbox/sandbox-errors.js';
import { checkResponseSize, encodeEvent, MAX_SYNC_PAYLOAD_BYTES, requestTooLarge } from './payload-limits.js';
import type { FunctionErrorType, FunctionRunner, InvokeOptions, InvokeResponseMeta, InvokeResult, PrepareResult } from './types.js';

export const RIE_INVOCATIONS_PATH = '/2015-03-31/functions/function/invocations';

export interface HttpRunnerOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly functionName: string;
  readonly now?: () => number;
}

/** Decodes a response body: JSON when it parses, otherwise the raw text (an "invalid JSON response"). */
function decode(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A traced invocation's trace, as Lambda's Invoke API takes it: `X-Amzn-Trace-Id` (Lambda hands it to the runtime as
 * `Lambda-Runtime-Trace-Id`, so `_X_AMZN_TRACE_ID` in the function; the Runtime Interface Emulator reads it but does
 * not pass it on, test/integration/lambda-runner-rie.test.ts) and the W3C `traceparent` for targets instrumented
 * with OpenTelemetry. Per invocation, so they win over configured headers. Untraced invocations send none: an
 * unsampled header would stop the target's own sampling.
 */
function traceHeaders(options: InvokeOptions): Record<string, string> {
  return options.trace === undefined ? {} : { 'X-Amzn-Trace-Id': options.trace.xRay, traceparent: options.trace.traceparent };
}

export class HttpRunner implements FunctionRunner {
  readonly functionName: string;
  readonly #options: HttpRunnerOptions;
  readonly #now: () => number;

  constructor(options: HttpRunnerOptions) {
    this.functionName = options.functionName;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const started = this.#now();
    const elapsed = (): number => this.#now() - started;
    const body = encodeEvent(event);
    if (body === null) {
      return { status: 'error', kind: 'bad-response', error: { errorType: 'InvalidRequestContentException', errorMessage: 'the event is not serialisable as JSON' }, durationMs: 0, coldStart: false };
    }
    if (body.byteLength > MAX_SYNC_PAYLOAD_BYTES) {
      return { status: 'error', kind: 'payload-too-large', error: requestTooLarge(body.byteLength), durationMs: 0, coldStart: false };
    }
    const timeout = AbortSignal.timeout(Math.max(1, options.deadlineMs - started));
    const signal = AbortSignal.any([timeout, options.signal]);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.#options.headers, ...traceHeaders(options) },
        body,
        signal,
      });
      text = await response.text();
    } catch (error) {
      // The caller's abort (shutdown) is not a timeout of the function: the same result as the local runners'.
      if (options.signal.aborted) return { status: 'error', kind: 'timeout', error: aborted(), durationMs: elapsed(), coldStart: false };
      if (timeout.aborted) {
        const seconds = ((options.deadlineMs - started) / 1000).toFixed(2);
        return { status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` }, durationMs: elapsed(), coldStart: false };
      }
      const message = error instanceof Error ? error.message : 'request failed';
      return { status: 'error', kind: 'crashed', error: { errorType: 'HttpRequestFailed', errorMessage: message }, durationMs: elapsed(), coldStart: false };
    }
    const executedVersion = response.headers.get('x-amz-executed-version');
    const meta: InvokeResponseMeta = { statusCode: response.status, ...(executedVersion === null ? {} : { executedVersion }) };
    const common = { durationMs: elapsed(), coldStart: false, ...meta };
    const payload = decode(text);
    const functionError = response.headers.get('x-amz-function-error');
    if (functionError !== null) {
      const type: FunctionErrorType = functionError === 'Handled' ? 'Handled' : 'Unhandled';
      return { status: 'error', kind: 'threw', error: errorInfoOf(payload, functionError), functionError: type, ...common };
    }
    // The Runtime Interface Emulator answers a handler error with 200 and the error document but no
    // X-Amz-Function-Error header (aws-lambda-runtime-interface-emulator#20): recognise the document itself.
    const headerless = response.status === 200 || response.status === 502 ? headerlessFunctionError(payload) : null;
    if (headerless !== null) return { status: 'error', ...headerless, functionError: 'Unhandled', ...common };
    if (response.status === 429) {
      return { status: 'error', kind: 'throttled', error: errorInfoOf(payload, 'TooManyRequestsException'), ...common };
    }
    if (response.status === 413) {
      // The target refused the request as too large, as Lambda's 413 RequestEntityTooLargeException.
      return { status: 'error', kind: 'payload-too-large', error: errorInfoOf(payload, 'RequestEntityTooLargeException'), ...common };
    }
    if (response.status < 200 || response.status > 299) {
      return { status: 'error', kind: 'bad-response', error: errorInfoOf(payload, `HTTP ${response.status}`), ...common };
    }
    const sized = checkResponseSize(text);
    if (sized.status === 'error') return { status: 'error', kind: 'bad-response', error: sized.error, functionError: 'Unhandled', ...common };
    return { status: 'ok', payload, ...common };
  }

  /** A cheap check: the URL parses (the target may start after Tributary; the first invocation finds out). */
  async prepare(): Promise<PrepareResult> {
    if (URL.canParse(this.#options.url)) return { status: 'ok', warnings: [] };
    return { status: 'error', error: { errorType: 'InvalidEndpoint', errorMessage: `not a URL: ${this.#options.url}` } };
  }

  async close(): Promise<void> {
    // fetch's pool is shared and idles out by itself.
  }
}
