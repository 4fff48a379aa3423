/**
 * The pipelines file `tributary import` writes, as a small tree of mappings, lists and scalars that carries
 * comments (where each part came from) and the template location of each entry, rendered to YAML with the `yaml`
 * library. The locations let a validation issue of the output be reported at the template line it came from.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { formatFieldPath, type FieldPath } from '../config/field-path.js';
import type { TemplateLocation } from './template.js';

export type OutValue = OutScalar | OutMap | OutList;

export interface OutScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean;
}

export interface OutEntry {
  readonly key: string;
  readonly value: OutValue;
  /** Comment lines above the key. */
  readonly before?: readonly string[];
  /** Comment at the end of the entry's line. */
  readonly comment?: string;
  /** Where in the template the entry came from. */
  readonly origin?: TemplateLocation;
}

export interface OutMap {
  readonly kind: 'map';
  readonly entries: readonly OutEntry[];
  readonly flow?: boolean;
  /** Comment lines above the mapping (shown above a list item). */
  readonly before?: readonly string[];
  readonly origin?: TemplateLocation;
}

export interface OutList {
  readonly kind: 'list';
  readonly items: readonly OutValue[];
  readonly flow?: boolean;
}

export const scalar = (value: string | number | boolean): OutScalar => ({ kind: 'scalar', value });
export const list = (items: readonly OutValue[], flow = true): OutList => ({ kind: 'list', items, flow });

/** A plain JSON-like value (strings, numbers, booleans, lists, mappings) as an output tree. */
export function fromPlain(value: unknown): OutValue {
  if (Array.isArray(value)) return list(value.map(fromPlain));
  if (typeof value === 'object' && value !== null) {
    return { kind: 'map', entries: Object.entries(value).map(([key, child]) => ({ key, value: fromPlain(child) })), flow: true };
  }
  return scalar(typeof value === 'number' || typeof value === 'boolean' ? value : String(value));
}

/** The rendered file and the template location of each output field path (`pipelines[0].batchSize`). */
export interface RenderedYaml {
  readonly text: string;
  readonly origins: ReadonlyMap<string, TemplateLocation>;
}

const commentLines = (lines: readonly string[]): string => lines.map((line) => (line === '' ? '' : ` ${line}`)).join('\n');

/** Render `root` with `header` comment lines on top. */
export function renderYaml(header: readonly string[], root: OutMap): RenderedYaml {
  const origins = new Map<string, TemplateLocation>();
  const toNode = (value: OutValue, path: FieldPath): Node => {
    if (value.kind === 'scalar') return new Scalar(value.value);
    if (value.kind === 'list') {
      const seq = new YAMLSeq();
      seq.flow = value.flow ?? false;
      value.items.forEach((item, index) => seq.items.push(toNode(item, [...path, index])));
      return seq;
    }
    const map = new YAMLMap();
    map.flow = value.flow ?? false;
    if (value.before !== undefined) map.commentBefore = commentLines(value.before);
    if (value.origin !== undefined) origins.set(formatFieldPath(path), value.origin);
    for (const entry of value.entries) {
      const entryPath = [...path, entry.key];
      if (entry.origin !== undefined) origins.set(formatFieldPath(entryPath), entry.origin);
      const key = new Scalar(entry.key);
      // A trailing comment fits a scalar or flow line; a block mapping or list gets it above its key.
      const block = entry.value.kind !== 'scalar' && entry.value.flow !== true;
      const before = [...(entry.before ?? []), ...(block && entry.comment !== undefined ? [entry.comment] : [])];
      if (before.length > 0) key.commentBefore = commentLines(before);
      const node = toNode(entry.value, entryPath);
      if (entry.comment !== undefined && !block) node.comment = ` ${entry.comment}`;
      map.items.push(new Pair(key, node));
    }
    return map;
  };
  const doc = new Document();
  doc.contents = toNode(root, []);
  doc.commentBefore = commentLines(header);
  return { text: doc.toString({ lineWidth: 0 }), origins };
}

/** The origin of a formatted field path (`pipelines[0].batchSize`) or of its nearest ancestor that has one. */
export function originOf(origins: ReadonlyMap<string, TemplateLocation>, path: string): TemplateLocation | undefined {
  let current = path;
  for (;;) {
    const found = origins.get(current);
    if (found !== undefined || current === '') return found;
    current = current.slice(0, Math.max(current.lastIndexOf('.'), current.lastIndexOf('['), 0));
  }
}
