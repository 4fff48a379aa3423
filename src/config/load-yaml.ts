/**
 * YAML (and JSON, a subset of YAML 1.2) parsing that keeps positions, so every issue can point
 * at `file:line:column` (DESIGN §4). Syntax errors are reported all at once, each located.
 *
 * Hostile input is bounded before it costs memory (issue 19): the text is lexed token by token and the
 * parse stops at the first token past the node budget or the nesting limit (`CONFIG_LIMITS`), so neither
 * `[[[[…` nor `- - - …` nor a million scalars reach the tree builder, whose recursion would otherwise
 * overflow the stack at a few hundred levels. The file holds one document; a second one is refused.
 */
import { Composer, CST, isAlias, isMap, isSeq, Lexer, LineCounter, Parser, type Alias, type Document, type Node, type Tags, type YAMLMap } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { FieldPath } from './field-path.js';
import { positionAt } from './config-text.js';
import { CONFIG_LIMITS, formatCount, type ConfigLimits } from './limits.js';
import { keyText, toPlain } from './yaml-plain.js';

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
  /** Nesting and node limits; default `CONFIG_LIMITS`. */
  readonly limits?: ConfigLimits;
}

function toPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Lexical tokens that start a node or an entry. Counted against twice the node budget: there are at most two
 * of them per node of the tree (`- x`: two tokens, one node; `a: 1`: three tokens, two nodes), so a file within
 * the budget is never refused here, and `input-shape.ts` counts the exact nodes later.
 */
const NODE_TOKENS: ReadonlySet<string> = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'alias', 'flow-map-start', 'flow-seq-start', 'seq-item-ind', 'map-value-ind', 'explicit-key-ind']);

type ParseResult =
  | { readonly ok: true; readonly documents: readonly Document.Parsed[]; readonly secondDocumentOffset: number | null }
  | { readonly ok: false; readonly position: Position; readonly message: string };

/** Lexer markers that are not source text (`CST.DOCUMENT`, `CST.FLOW_END`, `CST.SCALAR`); the text checks refuse them as characters. */
const MARKERS: ReadonlySet<string> = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/**
 * Offset of the first token past the node budget, or null. Lexing alone is cheap; building the syntax tree of
 * 200,000 tokens is not (seconds on a busy machine), so an oversized file is refused before that.
 */
function overBudget(text: string, limits: ConfigLimits): number | null {
  let offset = 0;
  let nodeTokens = 0;
  for (const lexeme of new Lexer().lex(text)) {
    const type = CST.tokenType(lexeme);
    if (type !== null && NODE_TOKENS.has(type)) {
      nodeTokens += 1;
      if (nodeTokens > 2 * limits.maxNodes) return offset;
    }
    if (!MARKERS.has(lexeme)) offset += lexeme.length;
  }
  return null;
}

/** Parse `text` into documents, stopping at the first token past the nesting limit. */
function parseBounded(text: string, lineCounter: LineCounter, limits: ConfigLimits, customTags: Tags | undefined): ParseResult {
  const tooMany = overBudget(text, limits);
  if (tooMany !== null) return { ok: false, position: positionAt(text, tooMany), message: `the file holds more than ${formatCount(limits.maxNodes)} keys and values, the limit` };
  const parser = new Parser(lineCounter.addNewLine);
  // `Parser.parse` registers the first line itself; driving `next` token by token, we do.
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser's stack holds the document, then one entry per open collection, then the open scalar.
    const depth = parser.stack.filter((token) => token.type !== 'document' && token.type !== 'scalar').length;
    if (depth > limits.maxDepth) {
      return { ok: false, position: toPosition(lineCounter, offset), message: `is nested deeper than ${limits.maxDepth} levels of mappings and lists, the limit` };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  const composer = new Composer({ uniqueKeys: false, logLevel: 'error', ...(customTags === undefined ? {} : { customTags }) });
  const documents = [...composer.compose(tokens, true, text.length)];
  return { ok: true, documents, secondDocumentOffset: documents[1]?.range[0] ?? null };
}

/**
 * Parse one YAML document. `file` is only used to label issues.
 * Duplicate keys are syntax errors, which also catches a pasted-twice field.
 */
export function loadYaml(text: string, file: string, options: LoadYamlOptions = {}): YamlLoadResult {
  const limits = options.limits ?? CONFIG_LIMITS;
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => toPosition(lineCounter, offset);
  const issueAt = (offset: number, message: string): ConfigIssue => ({ file, ...at(offset), path: '', message });
  const parsed = parseBounded(text, lineCounter, limits, options.customTags);
  if (!parsed.ok) return { ok: false, issues: [{ file, ...parsed.position, path: '', message: parsed.message }] };
  const { documents, secondDocumentOffset } = parsed;
  if (secondDocumentOffset !== null) {
    const message = `the file holds ${documents.length} YAML documents; Tributary reads one (remove the "---" line or split the file)`;
    return { ok: false, issues: [issueAt(secondDocumentOffset, message)] };
  }
  const [doc] = documents;
  if (doc === undefined) return { ok: true, value: null, locate: () => START };
  if (doc.errors.length > 0) {
    // After the first syntax error the parser mostly reports its consequences.
    const [first] = doc.errors;
    return { ok: false, issues: first === undefined ? [] : [issueAt(first.pos[0], `invalid YAML: ${firstLine(first.message)}`)] };
  }
  const plain = toPlain(doc);
  if (plain.issues.length > 0) return { ok: false, issues: plain.issues.map((issue) => issueAt(issue.offset, issue.message)) };
  const cache = new WeakMap<YAMLMap, Pairs>();
  return { ok: true, value: plain.value, locate: (path) => locatePath(doc, plain.aliasTargets, cache, path, at) };
}

type Pairs = ReadonlyMap<string, YAMLMap['items'][number]>;

/** A mapping's pairs by key text, built on first use (issues are located one by one; a mapping may hold 50,000 keys). */
function pairsOf(map: YAMLMap, aliasTargets: ReadonlyMap<Alias, Node>, cache: WeakMap<YAMLMap, Pairs>): Pairs {
  let pairs = cache.get(map);
  if (pairs === undefined) {
    const built = new Map<string, YAMLMap['items'][number]>();
    for (const item of map.items) {
      const key = keyText(isAlias(item.key) ? aliasTargets.get(item.key) : item.key);
      if (key !== null && !built.has(key)) built.set(key, item);
    }
    pairs = built;
    cache.set(map, pairs);
  }
  return pairs;
}

function locatePath(
  doc: Document,
  aliasTargets: ReadonlyMap<Alias, Node>,
  cache: WeakMap<YAMLMap, Pairs>,
  path: FieldPath,
  toPosition: (offset: number) => Position,
): Position {
  let node: unknown = doc.contents;
  let position = startOf(node, toPosition) ?? START;
  for (const segment of path) {
    if (isAlias(node)) node = aliasTargets.get(node);
    if (isMap(node)) {
      const pair = pairsOf(node, aliasTargets, cache).get(String(segment));
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
