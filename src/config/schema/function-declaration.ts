/**
 * An entry of the top-level `functions:` map: a function declared once by name, which pipelines (and the Lambda
 * APIs: GetFunction, Invoke) refer to. The runner settings are those of an inline `function:` (module, http,
 * lambda; library objects also in-process), plus what belongs to the function rather than to one pipeline:
 * - `reservedConcurrency`: Lambda's ReservedConcurrentExecutions — the most concurrent invocations of the function,
 *   shared by every mapping and invocation that targets it; absent = unreserved. 0 blocks the function, as on AWS.
 *   Lambda allows up to the account's limit minus 100 (1000 by default); Tributary accepts 0–1000.
 *   https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 * - `description`: Lambda's Description, 0–256 characters (API_CreateFunction).
 * - `eventInvokeConfig`, `deadLetterConfig`, `asyncQueue`: asynchronous invocation (function-async.ts).
 */
import * as z from 'zod';
import { expected, int, mappingError, optional, optionalNumber, text } from './fields.js';
import { asyncInvocationFields } from './function-async.js';
import { httpFunctionShape, inProcessFunctionShape, lambdaFunctionShape, moduleFunctionShape } from './function.js';
import { FUNCTION_NAME } from './pipeline.js';

/** ReservedConcurrentExecutions accepted here. */
export const RESERVED_CONCURRENCY = { min: 0, max: 1000 } as const;
/** Lambda's Description limit. */
export const MAX_FUNCTION_DESCRIPTION = 256;

const object = expected('a mapping');

const declarationFields = {
  reservedConcurrency: optionalNumber(int(RESERVED_CONCURRENCY), {
    description: 'Most concurrent invocations of this function across all its pipelines and invocations, as Lambda ReservedConcurrentExecutions (0–1000); absent = unreserved',
  }),
  description: optional(
    text().max(MAX_FUNCTION_DESCRIPTION, { error: `must be at most ${MAX_FUNCTION_DESCRIPTION} characters (Lambda Description)` }),
    { description: 'Free text, as Lambda Description' },
  ),
  ...asyncInvocationFields,
};

const fileVariants = [
  z.strictObject({ ...moduleFunctionShape, ...declarationFields }, { error: object }),
  z.strictObject({ ...httpFunctionShape, ...declarationFields }, { error: object }),
  z.strictObject({ ...lambdaFunctionShape, ...declarationFields }, { error: object }),
] as const;

const functionKey = z.string().regex(FUNCTION_NAME);

function declarations<const V extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(variants: V) {
  return z.record(functionKey, z.discriminatedUnion('type', variants), {
    error: mappingError('function names must be 1–64 characters of [A-Za-z0-9_-]'),
  });
}

/** `functions:` of a file: name → declaration. */
export const fileFunctionsSchema = declarations(fileVariants);

/** `functions:` of a library object: the file variants plus `in-process`. */
export const libraryFunctionsSchema = declarations([
  ...fileVariants,
  z.strictObject({ ...inProcessFunctionShape, ...declarationFields }, { error: object }),
]);
