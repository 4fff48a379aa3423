/**
 * `function:` of a pipeline and the entries of `functions:` — the library's typed form of
 * src/config/schema/function.ts and function-declaration.ts. A pipeline's function is a handler function (called in
 * this process, typed by the source's event), an inline definition, or the name of a `functions:` entry.
 */
import type { LambdaEventHandler } from '../events/handler.js';
import type { AwsClientInput, NumberInput } from './fields.js';

/** A handler of any source's events (a declared function may serve pipelines of several sources). */
export type AnyEventHandler = LambdaEventHandler<unknown, unknown>;

/** `type: 'module'`: a Lambda handler file run in worker-thread sandboxes, with Lambda's lifecycle. */
export interface ModuleFunctionInput {
  readonly type: 'module';
  /** `file.export`, relative to `options.baseDir`, as Lambda's Handler: `./handlers/orders.handler`. */
  readonly handler: string;
  /** Seconds, as Lambda's Timeout (1–900); default 3. */
  readonly timeout?: NumberInput | undefined;
  /** MB, as Lambda's MemorySize (128–10240): the sandbox's heap limit; default 128. */
  readonly memorySize?: NumberInput | undefined;
  /** The sandbox's environment variables (its `process.env`; it does not inherit the service's). */
  readonly environment?: Readonly<Record<string, string>> | undefined;
  /** `none` (default): the sandbox gets no AWS credentials; `inherit`: the service's AWS credential chain. */
  readonly awsCredentials?: 'none' | 'inherit' | undefined;
  /** Sandboxes initialised at start (0–1000), as Lambda provisioned concurrency; default 0. */
  readonly provisionedConcurrency?: NumberInput | undefined;
  /** `context.functionName`; default the pipeline name. */
  readonly functionName?: string | undefined;
}

/** `type: 'http'`: POST the event as JSON, e.g. to a Lambda container image's Runtime Interface Emulator. */
export interface HttpFunctionInput {
  readonly type: 'http';
  /** A URL without a path gets the emulator's `/2015-03-31/functions/function/invocations`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Seconds (1–900); default 3. */
  readonly timeout?: NumberInput | undefined;
  readonly functionName?: string | undefined;
}

/** `type: 'lambda'`: a deployed function, through Invoke (RequestResponse). */
export interface LambdaFunctionInput extends AwsClientInput {
  readonly type: 'lambda';
  /** Function name, partial ARN or ARN, as Invoke's FunctionName. */
  readonly functionName: string;
  /** Version or alias. */
  readonly qualifier?: string | undefined;
  /** Seconds (1–900): the client's deadline; default 900. */
  readonly timeout?: NumberInput | undefined;
}

/** `type: 'in-process'`: a handler function called in this process, with settings. */
export interface InProcessFunctionInput<H = AnyEventHandler> {
  readonly type: 'in-process';
  readonly handler: H;
  /** Seconds (1–900); default 3. */
  readonly timeout?: NumberInput | undefined;
  /** `context.memoryLimitInMB` (128–10240); default 128. */
  readonly memorySize?: NumberInput | undefined;
  readonly functionName?: string | undefined;
}

/** What a pipeline's `function:` takes (besides a `functions:` name, allowed by `createService`). */
export type FunctionInput<H = AnyEventHandler> = H | InProcessFunctionInput<H> | ModuleFunctionInput | HttpFunctionInput | LambdaFunctionInput;

/** What a function declared in `functions:` has besides its runner settings. */
export interface FunctionDeclarationFields {
  /** Most concurrent invocations across every pipeline and invocation of it, as Lambda's ReservedConcurrentExecutions (0–1000; 0 blocks it); default unreserved. */
  readonly reservedConcurrency?: NumberInput | undefined;
  /** Free text (0–256 characters), as Lambda's Description. */
  readonly description?: string | undefined;
  /** Asynchronous invocation (Invoke with InvocationType Event): Lambda's EventInvokeConfig, README "Invoking functions". */
  readonly eventInvokeConfig?: EventInvokeConfigInput | undefined;
  /** Lambda's DeadLetterConfig: an SQS queue (ARN or URL) that gets the events asynchronous invocation discards. */
  readonly deadLetterConfig?: { readonly targetArn: string } | undefined;
  /** Where asynchronous events wait: embedded (default, one process) or a standard SQS queue every replica reads. */
  readonly asyncQueue?:
    | { readonly type: 'embedded' }
    | { readonly type: 'sqs'; readonly queueUrl: string; readonly region?: string | undefined; readonly endpoint?: string | undefined }
    | undefined;
}

/** Lambda's EventInvokeConfig in lowerCamelCase, plus the beyond-AWS `extendedRetries` (off unless given). */
export interface EventInvokeConfigInput {
  /** Retries after a function error, 0–2 (default 2), 1 then 2 minutes apart. */
  readonly maximumRetryAttempts?: NumberInput | undefined;
  /** How long an event may wait, 60–21600 s (default 21600). */
  readonly maximumEventAgeInSeconds?: NumberInput | undefined;
  /** Invocation records: an SQS queue ARN/URL, kafka://host:port/topic, file://path, or a function ARN. */
  readonly destinationConfig?:
    | { readonly onSuccess?: { readonly destination: string } | undefined; readonly onFailure?: { readonly destination: string } | undefined }
    | undefined;
  /** Beyond AWS: more retries than 2 with exponential back-off and jitter (replaces maximumRetryAttempts). */
  readonly extendedRetries?:
    | { readonly maximumRetryAttempts: NumberInput; readonly initialDelaySeconds?: NumberInput | undefined; readonly maximumDelaySeconds?: NumberInput | undefined }
    | undefined;
}

export interface ModuleFunctionDeclaration extends ModuleFunctionInput, FunctionDeclarationFields {}
export interface HttpFunctionDeclaration extends HttpFunctionInput, FunctionDeclarationFields {}
export interface LambdaFunctionDeclaration extends LambdaFunctionInput, FunctionDeclarationFields {}
export interface InProcessFunctionDeclaration extends InProcessFunctionInput, FunctionDeclarationFields {}

/** An entry of `functions:` (a name → function map; names are 1–64 of `[A-Za-z0-9_-]`). */
export type FunctionDeclarationInput = ModuleFunctionDeclaration | HttpFunctionDeclaration | LambdaFunctionDeclaration | InProcessFunctionDeclaration;
