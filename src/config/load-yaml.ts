/**
 * YAML (and JSON, a subset of YAML 1.2) parsing that keeps positions, so every issue can point
 * at `file:line:column` (DESIGN §4). Syntax errors are reported all at once, each located.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Tags } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { FieldPath } from './field-path.js';

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Maps a field path to the position of its key (or item); a missing field maps to its nearest existing parent. */
export type Locator = (path: FieldPath) => Position;

/** The document's plain value and a locator, or its syntax issues. */
export type YamlLoadResult =
  | { readonly ok: true; readonly value: unknown; readonly locate: Locator }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

const START: Position = { line: 1, column: 1 };

/** Options of `loadYaml`. */
export interface LoadYamlOptions {
  /** Extra tags, e.g. CloudFormation's `!Ref` short forms (src/import/cfn-tags.ts). */
  readonly customTags?: Tags;
}

/**
 * Parse one YAML document. `file` is only used to label syntax issues.
 * Duplicate keys are syntax errors (the `yaml` default `uniqueKeys`), which also catches a
 * pasted-twice field.
 */
export function loadYaml(text: string, file: string, options: LoadYamlOptions = {}): YamlLoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    ...(options.customTags === undefined ? {} : { customTags: options.customTags }),
  });
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    // After the first syntax error the parser mostly reports its consequences; duplicate keys
    // are independent mistakes, so they are all kept.
    const errors = doc.errors.filter((error, index) => index === 0 || error.code === 'DUPLICATE_KEY');
    const issues = errors.map((error): ConfigIssue => {
      const { line, column } = toPosition(error.pos[0]);
      return { file, line, column, path: '', message: `invalid YAML: ${firstLine(error.message)}` };
    });
    return { ok: false, issues };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Only alias bombs and unresolvable aliases reach here.
    const message = error instanceof Error ? error.message : 'cannot convert the document';
    return { ok: false, issues: [{ file, ...START, path: '', message: `invalid YAML: ${firstLine(message)}` }] };
  }
  return { ok: true, value, locate: (path) => locatePath(doc, path, toPosition) };
}

function locatePath(doc: Document, path: FieldPath, toPosition: (offset: number) => Position): Position {
  let node: unknown = doc.contents;
  let position = startOf(node, toPosition) ?? START;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      position = startOf(pair.key, toPosition) ?? position;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      position = startOf(item, toPosition) ?? position;
      node = item;
    } else {
      break;
    }
  }
  return position;
}

function startOf(node: unknown, toPosition: (offset: number) => Position): Position | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  const offset = range?.[0];
  return offset === undefined ? undefined : toPosition(offset);
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
