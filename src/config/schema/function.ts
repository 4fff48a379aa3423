/**
 * `function:` of a pipeline, discriminated by `type` (DESIGN §3.3): `module` (a Lambda handler
 * file run in worker-thread sandboxes), `http` (POST to e.g. the Lambda Runtime Interface
 * Emulator), `lambda` (AWS Invoke). Library users may also pass `in-process` with a function;
 * that variant is not part of the file format nor of its JSON Schema.
 */
import * as z from 'zod';
import { LAMBDA_FUNCTION_NAME, LAMBDA_QUALIFIER } from '../aws-resources.js';
import {
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
  DEFAULT_LAMBDA_CLIENT_TIMEOUT_SECONDS,
  DEFAULT_MEMORY_SIZE_MB,
  FUNCTION_TIMEOUT_SECONDS,
  MEMORY_SIZE_MB,
} from '../defaults.js';
import { awsClientShape } from './aws-client.js';
import { splitHandler } from '../handler-string.js';
import { expected, int, mappingError, matching, oneOf, optional, optionalNumber, required, show, text, url } from './fields.js';

const object = expected('a mapping');

/** Lambda function names: 1–64 of `[a-zA-Z0-9-_]` (used for `context.functionName`). */
const functionName = optional(matching(/^[A-Za-z0-9_-]{1,64}$/, '1–64 characters of [A-Za-z0-9_-]'), {
  description: 'context.functionName; defaults to the pipeline name',
});

/** Lambda Timeout, seconds 1–900, default 3. */
const timeout = (fallback: number) =>
  optionalNumber(int(FUNCTION_TIMEOUT_SECONDS), { description: 'Seconds, as Lambda Timeout (1–900)', default: fallback });
const memorySize = optionalNumber(int(MEMORY_SIZE_MB), { description: 'MB, as Lambda MemorySize (128–10240)', default: DEFAULT_MEMORY_SIZE_MB });

/** Lambda environment variable keys: `[a-zA-Z]([a-zA-Z0-9_])+` (API_Environment). */
const ENV_KEY = /^[A-Za-z][A-Za-z0-9_]+$/;
const environment = optional(
  z.record(matching(ENV_KEY, 'an environment variable name'), text(), {
    error: mappingError('keys must be environment variable names ([A-Za-z][A-Za-z0-9_]+)'),
  }),
  { description: 'Environment variables of the sandbox (strings)' },
);

/**
 * Sandboxes initialised before the first invocation, as Lambda's ProvisionedConcurrentExecutions (which needs at
 * least 1; here 0, the default, means none). At most 1000, Lambda's default account concurrency.
 * https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 */
export const PROVISIONED_CONCURRENCY = { min: 0, max: 1000 } as const;
const provisionedConcurrency = optionalNumber(int(PROVISIONED_CONCURRENCY), {
  description: 'Sandboxes initialised at start so the first invocations are warm (0–1000), as Lambda provisioned concurrency',
  default: 0,
});

/**
 * Whether a module handler gets AWS credentials. Lambda gives a function its execution role's credentials and nothing
 * else; Tributary has no role to give, so by default (`none`) the sandbox has no AWS credentials at all — never the
 * service's own. `inherit` passes the service's AWS credential chain (keys, profile, container / web identity).
 */
export const AWS_CREDENTIALS_MODES = ['none', 'inherit'] as const;
const awsCredentials = optional(oneOf(AWS_CREDENTIALS_MODES), {
  description: "AWS credentials of the sandbox: none (default) or inherit (the service's AWS credential chain)",
  default: 'none',
});

/** `type: module`: a Lambda handler file run in worker-thread sandboxes. */
export const moduleFunctionShape = {
  type: z.literal('module'),
  handler: required(
    text().refine((value) => splitHandler(value) !== null, {
      error: (issue) =>
        `must be file.export, e.g. ./handlers/orders.handler (as on Lambda, the file name ends at its first dot and the rest is the export's property path, e.g. index.handlers.process) (got ${show(issue.input)})`,
    }),
    { description: 'file.export, relative to the config file, as Lambda Handler' },
  ),
  timeout: timeout(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
  memorySize,
  environment,
  awsCredentials,
  provisionedConcurrency,
  functionName,
};

/** `type: http`: POST the event as JSON. */
export const httpFunctionShape = {
  type: z.literal('http'),
  url: required(url(['http:', 'https:'], 'an http(s) URL'), {
    description: 'POST target; a URL without a path gets the Runtime Interface Emulator path',
  }),
  headers: optional(z.record(text(), text(), { error: object }), { description: 'Extra request headers' }),
  timeout: timeout(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
  functionName,
};

/** `type: lambda`: Invoke (RequestResponse); `timeout` is our client deadline, default 900 s. */
export const lambdaFunctionShape = {
  type: z.literal('lambda'),
  functionName: required(matching(LAMBDA_FUNCTION_NAME, 'a Lambda function name or ARN'), {
    description: 'Function name, partial ARN or ARN, as Invoke FunctionName',
  }),
  qualifier: optional(matching(LAMBDA_QUALIFIER, 'a version or alias'), { description: 'Version or alias' }),
  ...awsClientShape,
  timeout: timeout(DEFAULT_LAMBDA_CLIENT_TIMEOUT_SECONDS),
};

/** A handler passed by a library user: `(event, context) => result`. */
export type InProcessHandler = (event: unknown, context: unknown) => unknown;

/** `type: in-process` (library only): a function called in the same thread. */
export const inProcessFunctionShape = {
  type: z.literal('in-process'),
  handler: z.custom<InProcessHandler>((value) => typeof value === 'function', { error: expected('a function') }),
  timeout: timeout(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
  memorySize,
  functionName,
};

const fileVariants = [
  z.strictObject(moduleFunctionShape, { error: object }),
  z.strictObject(httpFunctionShape, { error: object }),
  z.strictObject(lambdaFunctionShape, { error: object }),
] as const;

/** `function:` as the file format allows it. */
export const fileFunctionSchema = z.discriminatedUnion('type', [...fileVariants]);

/** `function:` as `resolveConfigObject` allows it: the file variants plus `in-process`. */
export const libraryFunctionSchema = z.discriminatedUnion('type', [
  ...fileVariants,
  z.strictObject(inProcessFunctionShape, { error: object }),
]);

/** A validated `function:` before resolution. */
export type FunctionInput = z.output<typeof libraryFunctionSchema>;
