/**
 * `source:` of a pipeline, discriminated by `type` (DESIGN §4). Each source type's piece is its connector's
 * (connectors/<x>/config.ts, listed in src/connector/source-descriptors.ts); this module only joins them. Which ESM
 * parameters apply to which source is checked in rules/, because the schema of one field cannot see the others.
 */
import * as z from 'zod';
import { SOURCE_DESCRIPTORS } from '../../connector/source-descriptors.js';

export { SOURCE_TYPES } from '../../connector/source-descriptors.js';

/** The descriptors' schemas, as the tuple the discriminated union needs (a mapped tuple keeps order and types). */
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { readonly schema: infer S } ? S : never };
type Schemas = SchemasOf<typeof SOURCE_DESCRIPTORS>;

/** `source:` discriminated by `type` (its messages come from schema/zod-issues.ts). */
export const sourceSchema = z.discriminatedUnion('type', SOURCE_DESCRIPTORS.map((descriptor) => descriptor.schema) as unknown as Schemas);

/** The source types each `source` field belongs to, for the message about a field given to another source type. */
export const SOURCE_FIELD_TYPES: ReadonlyMap<string, readonly string[]> = (() => {
  const types = new Map<string, string[]>();
  for (const { type, schema } of SOURCE_DESCRIPTORS) for (const field of Object.keys(schema.shape)) types.set(field, [...(types.get(field) ?? []), type]);
  return types;
})();

/** A validated `source:` before resolution. */
export type SourceInput = z.output<typeof sourceSchema>;
