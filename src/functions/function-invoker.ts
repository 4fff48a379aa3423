/**
 * The `Invoker` port of the Lambda API (src/api/ports.ts): Invoke through the registry's shared runner of a declared
 * function, under the same reserved concurrency as the function's mappings.
 *
 * - `RequestResponse`: a slot now or 429 TooManyRequestsException (`Reason:
 *   ReservedFunctionConcurrentInvocationLimitExceeded`) at once, as Lambda answers a synchronous call over a
 *   function's reserved concurrency — a synchronous caller is never queued. The invocation gets the function's
 *   timeout and Invoke's request id as its `awsRequestId`; with `LogType: Tail` its log lines are captured
 *   (invocation-logs.ts) and the API sends the last 4 KB. A caller that disconnects aborts the invocation.
 * - `DryRun` never reaches this port (the API answers 204 after its checks).
 * - `Event`: the event is stored in the function's asynchronous queue (functions/async) and 202 is answered only once
 *   the write is durable ("an event acknowledged with 202 is never lost", issue 14). Without a queue (a library
 *   service built without one) it is refused with 501 NotImplementedException rather than accepted and lost.
 */
import { functionNotFound, LambdaApiError, notImplemented, tooManyRequests } from '../api/api-errors.js';
import type { InvokeOutcome, InvokeRequest, Invoker } from '../api/ports.js';
import type { FunctionRegistry } from './function-registry.js';
import { invokeOutcomeOf } from './invoke-outcome.js';

export interface FunctionInvokerOptions {
  readonly registry: FunctionRegistry;
  readonly now: () => number;
  /** ARN of a function for error messages (the API's identity). */
  readonly functionArn: (name: string) => string;
  /** The asynchronous queue; absent: `Event` answers 501. */
  readonly asyncQueue?: AsyncEnqueuer;
}

/** Where `Event` invocations are stored (functions/async/async-invocations.ts). */
export interface AsyncEnqueuer {
  /** Resolves once the event is durable. */
  enqueue(functionName: string, requestId: string, payload: string, signal: AbortSignal): Promise<void>;
}

const decoder = new TextDecoder();

export class FunctionInvoker implements Invoker {
  readonly #options: FunctionInvokerOptions;

  constructor(options: FunctionInvokerOptions) {
    this.#options = options;
  }

  invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    return request.invocationType === 'Event' ? this.enqueue(request) : this.#invokeNow(request);
  }

  /** An asynchronous invocation: stored durably before the caller gets 202; refused (501) without a queue. */
  async enqueue(request: InvokeRequest): Promise<InvokeOutcome> {
    const queue = this.#options.asyncQueue;
    if (queue !== undefined) {
      if (this.#options.registry.declared(request.functionName) === null) throw functionNotFound(this.#options.functionArn(request.functionName));
      // The caller's bytes as sent (checked to be JSON by the API): the function gets exactly them.
      await queue.enqueue(request.functionName, request.requestId, decoder.decode(request.payload), request.signal);
      return { kind: 'accepted' };
    }
    throw notImplemented(
      `Asynchronous invocation (InvocationType Event) of ${request.functionName} is not available in this Tributary service: ` +
        'invoke with RequestResponse, or send the event to a queue a pipeline reads',
    );
  }

  async #invokeNow(request: InvokeRequest): Promise<InvokeOutcome> {
    const fn = this.#options.registry.declared(request.functionName);
    if (fn === null) throw functionNotFound(this.#options.functionArn(request.functionName));
    const slot = fn.gate.tryAcquire();
    if (slot === null) throw tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
    const tail = request.logType === 'Tail';
    try {
      const runner = fn.runner();
      const event: unknown = JSON.parse(decoder.decode(request.payload));
      if (tail) fn.logs.begin(request.requestId);
      const result = await runner.invoke(event, {
        deadlineMs: this.#options.now() + fn.config.timeoutMs,
        signal: request.signal,
        requestId: request.requestId,
      });
      const outcome = invokeOutcomeOf(result, tail ? fn.logs.end(request.requestId, result.executedVersion ?? '$LATEST') : null);
      if (outcome instanceof LambdaApiError) throw outcome;
      return outcome;
    } finally {
      if (tail) fn.logs.end(request.requestId);
      slot.release();
    }
  }
}
