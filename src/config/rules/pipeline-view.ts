/**
 * A read-only view of one raw (interpolated, not yet validated) pipeline for the per-source
 * rules. Rules run even when the schema found problems elsewhere, so that every issue of a
 * file is reported at once; `get` therefore returns a field only when that field on its own
 * is valid, and rules skip what they cannot read (the schema reports it).
 */
import type * as z from 'zod';
import type { SourceType } from '../types.js';
import { pipelineFields } from '../schema/pipeline.js';
import { SOURCE_TYPES } from '../schema/source.js';
import { asRecord, isGiven } from './raw-values.js';

type Fields = typeof pipelineFields;
/** Pipeline fields readable through `PipelineView.get`. */
export type PipelineFieldName = Exclude<keyof Fields, 'source'>;

/** Typed, forgiving access to one raw pipeline. */
export interface PipelineView {
  /** The pipeline mapping (empty when it is not a mapping). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The `source` mapping (empty when it is not a mapping). */
  readonly source: Readonly<Record<string, unknown>>;
  readonly sourceType: SourceType | undefined;
  /** The field is given with a non-blank value. */
  has(field: string): boolean;
  /** The field's value when it is valid on its own, else undefined. */
  get<K extends PipelineFieldName>(field: K): z.output<Fields[K]> | undefined;
  /** A `source` field's value when `schema` accepts it, else undefined. */
  sourceField<T>(key: string, schema: z.ZodType<T>): T | undefined;
}

/** Build the view of `raw`, the value at `pipelines[i]`. */
export function pipelineView(raw: unknown): PipelineView {
  const pipeline = asRecord(raw);
  const source = asRecord(pipeline['source']);
  const type = source['type'];
  const sourceType = SOURCE_TYPES.find((candidate) => candidate === type);
  return {
    raw: pipeline,
    source,
    sourceType,
    has: (field) => isGiven(pipeline[field]),
    get: (field) => {
      const result = pipelineFields[field].safeParse(pipeline[field]);
      return result.success ? (result.data as never) : undefined;
    },
    sourceField: (key, schema) => {
      const result = schema.safeParse(source[key]);
      return result.success ? result.data : undefined;
    },
  };
}

export { asRecord, isGiven } from './raw-values.js';
