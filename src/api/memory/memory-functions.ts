/**
 * In-memory stand-ins for the function registry and the invoker (tests; embedding the API before the service's own
 * implementations exist). The invoker runs plain in-process handlers `(event, context) => result` with Lambda's
 * error object for a throw, a per-function reserved-concurrency limit that throttles as Lambda does, and a log per
 * invocation in Lambda's START / END / REPORT shape. Event invocations run in the background; `idle()` waits for
 * them. Nothing here is durable: the real asynchronous queue is the service's (issue 14).
 */
import { invalidParameter, tooManyRequests } from '../api-errors.js';
import type { FunctionDescription, FunctionRegistry, InvokeOutcome, InvokeRequest, Invoker } from '../ports.js';

export class MemoryFunctionRegistry implements FunctionRegistry {
  private readonly functions: ReadonlyMap<string, FunctionDescription>;

  constructor(functions: readonly FunctionDescription[]) {
    this.functions = new Map(functions.map((fn) => [fn.name, fn]));
  }

  list(): Promise<readonly FunctionDescription[]> {
    return Promise.resolve([...this.functions.values()]);
  }

  get(name: string): Promise<FunctionDescription | null> {
    return Promise.resolve(this.functions.get(name) ?? null);
  }
}

/** What an in-process handler receives besides the event. */
export interface MemoryHandlerContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly clientContext: Readonly<Record<string, unknown>> | null;
  /** A line of the invocation's log (what `console.log` would write on Lambda). */
  log(line: string): void;
}

export type MemoryHandler = (event: unknown, context: MemoryHandlerContext) => unknown;

/** One finished Event invocation. */
export interface AsyncInvocation {
  readonly functionName: string;
  readonly requestId: string;
  readonly event: unknown;
  readonly outcome: 'succeeded' | 'failed';
}

export class MemoryInvoker implements Invoker {
  private readonly handlers: ReadonlyMap<string, MemoryHandler>;
  private readonly reserved: ReadonlyMap<string, number>;
  private readonly running = new Map<string, number>();
  private readonly background = new Set<Promise<void>>();
  /** Event invocations that ran, in completion order. */
  readonly asyncInvocations: AsyncInvocation[] = [];

  constructor(handlers: Readonly<Record<string, MemoryHandler>>, functions: readonly FunctionDescription[]) {
    this.handlers = new Map(Object.entries(handlers));
    this.reserved = new Map(functions.flatMap((fn) => (fn.reservedConcurrency === null ? [] : [[fn.name, fn.reservedConcurrency] as const])));
  }

  invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    const handler = this.handlers.get(request.functionName);
    if (handler === undefined) return Promise.reject(invalidParameter(`no handler for ${request.functionName}`));
    // Reserved concurrency is shared by synchronous and asynchronous invocations; over it a sync call gets 429.
    const limit = this.reserved.get(request.functionName);
    const running = this.running.get(request.functionName) ?? 0;
    if (limit !== undefined && running >= limit) return Promise.reject(tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded'));
    const event: unknown = JSON.parse(new TextDecoder().decode(request.payload));
    if (request.invocationType === 'Event') {
      const run = this.run(handler, request, event).then((result) => {
        this.asyncInvocations.push({ functionName: request.functionName, requestId: request.requestId, event, outcome: result.failed ? 'failed' : 'succeeded' });
      });
      this.background.add(run);
      void run.finally(() => this.background.delete(run));
      return Promise.resolve({ kind: 'accepted' });
    }
    return this.run(handler, request, event).then((result) => ({
      kind: 'response',
      payload: new TextEncoder().encode(result.payload),
      functionError: result.failed ? 'Unhandled' : null,
      executedVersion: '$LATEST',
      log: result.log,
    }));
  }

  /** Resolves when every Event invocation accepted so far has finished. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  private async run(handler: MemoryHandler, request: InvokeRequest, event: unknown): Promise<{ payload: string; failed: boolean; log: string }> {
    const name = request.functionName;
    this.running.set(name, (this.running.get(name) ?? 0) + 1);
    const lines = [`START RequestId: ${request.requestId} Version: $LATEST`];
    const context: MemoryHandlerContext = {
      awsRequestId: request.requestId,
      functionName: name,
      clientContext: request.clientContext,
      log: (line) => lines.push(`${new Date(0).toISOString()}\t${request.requestId}\tINFO\t${line}`),
    };
    try {
      const result = await handler(event, context);
      return { payload: JSON.stringify(result ?? null), failed: false, log: finish(lines, request.requestId) };
    } catch (error) {
      const info = error instanceof Error ? { errorType: error.name, errorMessage: error.message } : { errorType: 'Error', errorMessage: String(error) };
      return { payload: JSON.stringify({ ...info, trace: [] }), failed: true, log: finish(lines, request.requestId) };
    } finally {
      this.running.set(name, (this.running.get(name) ?? 1) - 1);
    }
  }
}

function finish(lines: string[], requestId: string): string {
  return [...lines, `END RequestId: ${requestId}`, `REPORT RequestId: ${requestId}\tDuration: 1.00 ms\tBilled Duration: 1 ms`, ''].join('\n');
}
