/**
 * The JSON Schema of the configuration file, generated from the zod schema, for editors
 * (`tributary schema`, DESIGN §4). Draft-07, which YAML and JSON editors support best.
 * Numeric and boolean fields also admit `${VAR}` strings, which interpolation resolves.
 * Per-source rules (e.g. SQS FIFO batchSize ≤ 10) cannot be expressed here; `tributary
 * validate` checks them.
 */
import * as z from 'zod';
import { acceptsInterpolation, jsonSchemaDefaults, jsonSchemaPatches } from './fields.js';
import { fileConfigSchema } from './config.js';

const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'deprecated']);
const INTERPOLATION = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' } as const;

let cached: Record<string, unknown> | undefined;

/** The JSON Schema (draft-07) of the configuration file format. A fresh copy each call. */
export function configJsonSchema(): Record<string, unknown> {
  cached ??= z.toJSONSchema(fileConfigSchema, {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const json = ctx.jsonSchema as Record<string, unknown>;
      const patch = jsonSchemaPatches.get(ctx.zodSchema);
      if (patch !== undefined) {
        delete json['minimum'];
        delete json['maximum'];
        Object.assign(json, patch);
      }
      if (acceptsInterpolation.has(ctx.zodSchema)) {
        const typed: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(json)) {
          if (ANNOTATIONS.has(key)) continue;
          typed[key] = value;
          delete json[key];
        }
        json['anyOf'] = [typed, INTERPOLATION];
      }
      if (jsonSchemaDefaults.has(ctx.zodSchema)) json['default'] = jsonSchemaDefaults.get(ctx.zodSchema);
    },
  }) as Record<string, unknown>;
  return structuredClone(cached);
}

/** Every property name the file format knows, for "did you mean" suggestions. */
export function knownFieldNames(): readonly string[] {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && typeof value === 'object' && value !== null) {
          for (const name of Object.keys(value)) names.add(name);
        }
        walk(value);
      }
    }
  };
  walk(configJsonSchema());
  return [...names];
}
