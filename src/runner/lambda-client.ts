/**
 * The only file that imports `@aws-sdk/client-lambda`. It sends one synchronous Invoke and turns every outcome —
 * a response, an error answered by the Lambda service, a transport failure, an abort — into a
 * {@link LambdaInvokeOutcome}: nothing is thrown through it, so `lambda-runner.ts` maps plain data (and its tests
 * need no SDK).
 *
 * Invoke API: https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientOptions } from '../connector/aws-client-options.js';

export interface LambdaClientOptions {
  /** `null` → `AWS_REGION` / `AWS_DEFAULT_REGION` from the environment, else `fallbackRegion`. */
  readonly region: string | null;
  readonly fallbackRegion: string;
  /** `null` → the real Lambda endpoint of the region; otherwise e.g. a Runtime Interface Emulator or LocalStack. */
  readonly endpoint: string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LambdaInvokeRequest {
  /** Name, partial ARN or full ARN (`arn:aws:lambda:eu-west-1:123456789012:function:orders`), optionally `:qualifier`. */
  readonly functionName: string;
  /** Version or alias; `null` → unqualified (`$LATEST`, or the qualifier inside the ARN). */
  readonly qualifier: string | null;
  /** The event, already serialised as JSON. */
  readonly payload: Uint8Array;
  /**
   * The invocation's X-Ray trace header, sent as the `X-Amzn-Trace-Id` HTTP header. Invoke has no trace parameter;
   * the header is how a caller's trace reaches Lambda (the SDK's own recursion-detection middleware sends it from
   * `_X_AMZN_TRACE_ID` inside Lambda). Lambda follows it by the function's TracingConfig: "Active … will respect any
   * tracing header it receives from an upstream service", PassThrough traces only a header with `Sampled=1`
   * (https://docs.aws.amazon.com/lambda/latest/api/API_TracingConfig.html). The Runtime Interface Emulator reads it
   * but does not pass it on to the runtime (test/integration/lambda-runner-rie.test.ts).
   */
  readonly traceHeader?: string;
}

export type LambdaInvokeOutcome =
  /** Lambda answered 2xx: the function ran (`functionError` set when it failed: `Unhandled`, or `Handled` on old runtimes). */
  | {
      readonly kind: 'response';
      readonly statusCode: number;
      readonly functionError: string | null;
      readonly executedVersion: string | null;
      readonly payload: Uint8Array;
    }
  /** The Lambda service answered with an error: the function did not run (throttle, quota, permissions, size …). */
  | {
      readonly kind: 'service-error';
      /** The exception name, e.g. `TooManyRequestsException`. */
      readonly errorType: string;
      readonly message: string;
      readonly httpStatus: number | null;
      readonly fault: 'client' | 'server' | null;
      /**
       * An unmodelled error whose body is a Lambda error document (`errorType`, `errorMessage`): what the Runtime
       * Interface Emulator answers with 502 when the runtime process exits. Real Lambda errors never carry one.
       */
      readonly errorDocument: { readonly errorType: string; readonly errorMessage: string } | null;
    }
  /** No answer: connection refused or reset, DNS, TLS, an unreadable response. */
  | { readonly kind: 'transport-error'; readonly errorType: string; readonly message: string }
  /** The request's abort signal fired before Lambda answered. */
  | { readonly kind: 'aborted' };

/** One Lambda client; `invoke` never throws. */
export interface LambdaInvoker {
  invoke(request: LambdaInvokeRequest, signal: AbortSignal): Promise<LambdaInvokeOutcome>;
  destroy(): void;
}

/** Concurrent invocations share sockets; ESMs run one invocation per shard × ParallelizationFactor. */
const MAX_SOCKETS = 256;
const CONNECTION_TIMEOUT_MS = 10_000;

export function resolveLambdaRegion(options: LambdaClientOptions): string {
  const env = options.env ?? process.env;
  return options.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? options.fallbackRegion;
}

export function createLambdaInvoker(options: LambdaClientOptions): LambdaInvoker {
  const client = new LambdaClient({
    ...awsClientOptions({ region: resolveLambdaRegion(options), endpoint: options.endpoint }, options.env ?? process.env),
    // The core's retry policy owns retries (throttles back off without using MaximumRetryAttempts): the SDK must
    // not retry an Invoke behind its back, which would also run the function twice on a lost response.
    maxAttempts: 1,
    // No request timeout here: the runner aborts at the function's deadline. Keep-alive keeps long synchronous
    // invocations from being dropped as idle ("Configure your HTTP client … with timeout or keep-alive settings",
    // API_Invoke).
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      httpAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: MAX_SOCKETS },
    },
  });

  return {
    async invoke(request, signal) {
      if (signal.aborted) return { kind: 'aborted' };
      try {
        const command = new InvokeCommand({
          FunctionName: request.functionName,
          InvocationType: 'RequestResponse',
          ...(request.qualifier === null ? {} : { Qualifier: request.qualifier }),
          Payload: request.payload,
        });
        if (request.traceHeader !== undefined) withTraceHeader(command, request.traceHeader);
        const output = await client.send(command, { abortSignal: signal });
        return {
          kind: 'response',
          statusCode: output.StatusCode ?? output.$metadata.httpStatusCode ?? 200,
          functionError: output.FunctionError ?? null,
          executedVersion: output.ExecutedVersion ?? null,
          payload: output.Payload ?? new Uint8Array(),
        };
      } catch (error) {
        return describeFailure(error, signal);
      }
    },
    destroy() {
      client.destroy();
    },
  };
}

/**
 * Sets `X-Amzn-Trace-Id` on the request (build step, before the recursion-detection middleware, which keeps a
 * header that is already there).
 */
function withTraceHeader(command: InvokeCommand, header: string): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) request.headers['X-Amzn-Trace-Id'] = header;
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'tributaryTraceHeader' },
  );
}

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  /** The SDK copies the fields of an unmodelled JSON error body onto the exception. */
  readonly errorType?: unknown;
  readonly errorMessage?: unknown;
}

/** Sorts what `client.send` threw: a modelled/unmodelled service exception carries `$metadata.httpStatusCode`. */
export function describeFailure(error: unknown, signal: AbortSignal): LambdaInvokeOutcome {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  if (signal.aborted || name === 'AbortError') return { kind: 'aborted' };
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : null;
  const fault = shape.$fault === 'client' || shape.$fault === 'server' ? shape.$fault : null;
  if (status !== null && status >= 300) {
    const errorDocument =
      typeof shape.errorType === 'string' && typeof shape.errorMessage === 'string' ? { errorType: shape.errorType, errorMessage: shape.errorMessage } : null;
    return { kind: 'service-error', errorType: name, message, httpStatus: status, fault, errorDocument };
  }
  // Node's socket errors carry the reason in `code` (ECONNREFUSED, ECONNRESET, ETIMEDOUT …).
  const errorType = typeof shape.code === 'string' ? shape.code : name;
  return { kind: 'transport-error', errorType, message };
}
