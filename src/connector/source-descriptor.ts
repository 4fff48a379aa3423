/**
 * A source type's light half (DESIGN §3.1): what the configuration, the ESM API, the mapping-conflict checks and
 * the CloudFormation import know about it, declared in connectors/<x>/descriptor.ts and listed eagerly in
 * ./source-descriptors.ts. Unlike the connector (./definition.ts, loaded lazily with its SDK), a descriptor is zod
 * schemas and pure functions only: the configuration is validated synchronously at load, before any SDK is imported.
 * The core iterates over descriptors and never switches on `source.type`.
 */
import type * as z from 'zod';
import type { MappingSourceConfig } from '../config/types.js';

/** What a source's resolver may use besides its validated input. */
export interface SourceResolveContext {
  /** The pipeline's name (the default Kafka consumer group derives from it). */
  readonly pipelineName: string;
  /** The config file's folder: relative file paths of the source (Kafka's PEM files) are anchored there. */
  readonly baseDir: string;
}

/**
 * One source type's declarations. `C` is its resolved config, `S` the zod schema of its `source:` mapping (a strict
 * object whose `type` is a literal: the options of the discriminated union are built from these).
 */
export interface SourceDescriptor<C extends MappingSourceConfig = MappingSourceConfig, S extends z.ZodType = z.ZodType> {
  /** `source.type` in YAML. */
  readonly type: C['type'];
  /** The `source:` mapping of this type: field builders of src/config/schema, messages from schema/zod-issues.ts. */
  readonly schema: S;
  /**
   * The resolved config of a validated `source:`: nulls for what is absent, names and ARNs derived from each other
   * where the format allows it, the region taken from the ARN when not given (the resource lives there).
   */
  resolve(input: z.output<S>, context: SourceResolveContext): C;
}

/** Declares a source descriptor (an identity function that keeps the precise schema type for the union). */
export function defineSourceDescriptor<C extends MappingSourceConfig, S extends z.ZodType>(descriptor: SourceDescriptor<C, S>): SourceDescriptor<C, S> {
  return descriptor;
}
