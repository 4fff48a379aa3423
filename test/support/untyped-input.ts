/**
 * Library input the types do not check, for tests that build pipelines as plain data (spread from per-test
 * options), read events as their own types, or answer on purpose what a typed handler could not (malformed partial
 * responses, anything the engine must survive). Only the static type changes: `createService` / `createPipeline`
 * still validate the value, and a handler is passed as it is (a wrapper would change its arity, which decides the
 * callback style).
 */
import type { PipelineInput } from '../../src/index.js';

/** Accepted as the handler of any source: parameters of `never` (compared both ways) and a `never` answer. */
export type UntypedHandler = (event: never, context: never) => never;

export function untypedHandler(handler: (event: unknown, context: unknown) => unknown): UntypedHandler {
  return handler as unknown as UntypedHandler;
}

/** A pipeline built as data, checked by the validator only. */
export function untypedPipeline(pipeline: Readonly<Record<string, unknown>>): PipelineInput {
  return pipeline as unknown as PipelineInput;
}
