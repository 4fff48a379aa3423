/**
 * POSTs the event as JSON to a URL and reads the function's response, like Lambda's Runtime Interface Emulator
 * (`/2015-03-31/functions/function/invocations`), so a Lambda container image works as a target.
 * A non-2xx status or an `X-Amz-Function-Error` header is a function error. Connections are kept alive
 * (Node's fetch pools them).
 */
import { errorInfoOf, headerlessFunctionError } from './function-error.js';
import type { FunctionRunner, InvokeOptions, InvokeResult } from './types.js';

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
    const timeout = AbortSignal.timeout(Math.max(1, options.deadlineMs - started));
    const signal = AbortSignal.any([timeout, options.signal]);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.#options.headers },
        body: JSON.stringify(event),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted || options.signal.aborted) {
        const seconds = ((options.deadlineMs - started) / 1000).toFixed(2);
        return { status: 'error', kind: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` }, durationMs: elapsed(), coldStart: false };
      }
      const message = error instanceof Error ? error.message : 'request failed';
      return { status: 'error', kind: 'crashed', error: { errorType: 'HttpRequestFailed', errorMessage: message }, durationMs: elapsed(), coldStart: false };
    }
    const payload = decode(text);
    const functionError = response.headers.get('x-amz-function-error');
    if (functionError !== null) {
      return { status: 'error', kind: 'threw', error: errorInfoOf(payload, functionError), durationMs: elapsed(), coldStart: false };
    }
    // The Runtime Interface Emulator answers a handler error with 200 and the error document but no
    // X-Amz-Function-Error header (aws-lambda-runtime-interface-emulator#20): recognise the document itself.
    const headerless = response.status === 200 || response.status === 502 ? headerlessFunctionError(payload) : null;
    if (headerless !== null) return { status: 'error', ...headerless, durationMs: elapsed(), coldStart: false };
    if (response.status === 429) {
      return { status: 'error', kind: 'throttled', error: errorInfoOf(payload, 'TooManyRequestsException'), durationMs: elapsed(), coldStart: false };
    }
    if (response.status < 200 || response.status > 299) {
      return { status: 'error', kind: 'bad-response', error: errorInfoOf(payload, `HTTP ${response.status}`), durationMs: elapsed(), coldStart: false };
    }
    return { status: 'ok', payload, durationMs: elapsed(), coldStart: false };
  }

  async close(): Promise<void> {
    // fetch's pool is shared and idles out by itself.
  }
}
