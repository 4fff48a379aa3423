/**
 * Reading the properties of an event source mapping: evaluated (intrinsics resolved) with their template location,
 * an unresolvable one noted as not imported, and the short form of an expression for the output's comments.
 */
import type { EsmDefinition, EsmProperty } from './esm.js';
import { NO_VALUE } from './intrinsics.js';
import type { ImportNotes } from './notes.js';
import type { TemplateLocation, TemplateResource } from './template.js';

/** An evaluated property. */
export interface ReadProperty {
  readonly value: unknown;
  /** Resources whose generated names the value approximates (resources.ts). */
  readonly generated: readonly string[];
  readonly at: TemplateLocation;
  readonly written: unknown;
}

/** The evaluated property `key`, or undefined when it is absent or cannot be evaluated (then noted as not imported). */
export function readProperty(esm: EsmDefinition, key: string, notes: ImportNotes): ReadProperty | undefined {
  const property = esm.properties.get(key);
  return property === undefined ? undefined : readValue(esm, key, property, notes);
}

/** Evaluate one property; `Ref: AWS::NoValue` (e.g. from `Fn::If`) is the property left out. */
export function readValue(esm: EsmDefinition, key: string, property: EsmProperty, notes: ImportNotes): ReadProperty | undefined {
  const result = esm.scope.evaluate(property.value, property.path);
  if (!result.ok) {
    notes.add('unmapped', esm.scope.template.locate(result.path), `${esm.id}: ${key}: ${result.reason}`);
    return undefined;
  }
  if (result.value === NO_VALUE) return undefined;
  return { value: result.value, generated: result.generated, at: esm.scope.template.locate(property.path), written: property.value };
}

/** The template resource a `Ref` / `Fn::GetAtt` (long or short form) points at, or undefined. */
export function referencedResource(esm: EsmDefinition, value: unknown): TemplateResource | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const target = 'Ref' in record ? record['Ref'] : Array.isArray(record['Fn::GetAtt']) ? record['Fn::GetAtt'][0] : undefined;
  return typeof target === 'string' ? esm.scope.template.resources.get(target) : undefined;
}

/** `!GetAtt Queue.Arn`, `!Ref Stream`, a literal as written, else `Fn::Sub …` for the output's comments. */
export function describeExpression(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const [name, argument] = Object.entries(value)[0] ?? ['', undefined];
    if (name === 'Ref' && typeof argument === 'string') return `!Ref ${argument}`;
    if (name === 'Fn::GetAtt' && Array.isArray(argument)) return `!GetAtt ${argument.map(String).join('.')}`;
    if (name === 'Fn::Sub' && typeof argument === 'string') return `!Sub ${argument}`;
    if (name.startsWith('Fn::')) return `!${name.slice(4)} …`;
  }
  return JSON.stringify(value);
}

/** `template.yaml:12` for comments. */
export function shortLocation(at: TemplateLocation): string {
  return `${at.file}:${at.line}`;
}
