/**
 * A composed YAML document → plain JS values (objects, arrays, scalars), in one pass over the nodes, instead
 * of `Document.toJS()` (issue 19):
 * - duplicate keys are found with a set per mapping (the `yaml` library's `uniqueKeys` compares every pair:
 *   20,000 keys took minutes), and a list or mapping used as a key is refused;
 * - aliases resolve through a map of the anchors seen so far, in document order, as YAML 1.2 §3.2.2.2
 *   specifies ("the most recent preceding node"); `toJS` looks every alias up in a list of all anchors, which
 *   is quadratic, and its `maxAliasCount` of 100 refuses ordinary files that share one anchored function
 *   among 150 pipelines. An alias yields the same JS value as its anchor (a shared reference, as `toJS`
 *   does), so an alias inside its own anchor yields a cycle: `checkInputShape` reports it, and bounds what
 *   aliases expand to, at the alias's position.
 * The recursion is bounded by the nesting limit, which the parse enforces before this runs.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair } from 'yaml';

/** A problem at a source offset. */
export interface OffsetIssue {
  readonly offset: number;
  readonly message: string;
}

/** The plain value, its problems, and where each alias points (for locating fields reached through one). */
export interface PlainDocument {
  readonly value: unknown;
  readonly issues: readonly OffsetIssue[];
  readonly aliasTargets: ReadonlyMap<Alias, Node>;
}

const offsetOf = (node: { range?: readonly number[] | null | undefined } | null | undefined): number => node?.range?.[0] ?? 0;

/** The key text of a pair (as `toJS` writes it: an empty or null key is `""`), or null for a key that is not a scalar. */
export function keyText(key: unknown): string | null {
  if (key === null || key === undefined) return '';
  if (!isScalar(key) || typeof key.value === 'symbol') return null;
  return key.value === null || key.value === undefined ? '' : String(key.value);
}

/** A `<<` merge key: the `yaml` library resolves one to a symbol only where merges apply (a `%YAML 1.1` document). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Convert `doc.contents`. */
export function toPlain(doc: Document): PlainDocument {
  const anchors = new Map<string, Node>();
  const values = new Map<Node, unknown>();
  const aliasTargets = new Map<Alias, Node>();
  const issues: OffsetIssue[] = [];

  const setKey = (object: Record<string, unknown>, key: string, value: unknown): void => {
    // A `__proto__` key is data, not the prototype.
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  };

  const pairKey = (pair: Pair): string | null => {
    const key = isAlias(pair.key) ? (anchors.get(pair.key.source) ?? pair.key) : pair.key;
    const text = keyText(key);
    if (text === null) issues.push({ offset: offsetOf(pair.key as Node), message: 'invalid YAML: a key must be a plain name, not a list, a mapping or an alias to one' });
    return text;
  };

  const convert = (node: unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) {
        issues.push({ offset: offsetOf(node), message: `invalid YAML: alias *${node.source} has no anchor &${node.source} before it` });
        return null;
      }
      aliasTargets.set(node, target);
      return values.get(target);
    }
    const anchored = node as Node;
    if (anchored.anchor !== undefined) anchors.set(anchored.anchor, anchored);
    if (isScalar(node)) {
      values.set(node, node.value);
      return node.value;
    }
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      values.set(node, object);
      const seen = new Map<string, number>();
      const merges: unknown[] = [];
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          const merged = convert(pair.value);
          merges.push(...(Array.isArray(merged) ? merged : [merged]));
          continue;
        }
        const key = pairKey(pair);
        const value = convert(pair.value);
        if (key === null) continue;
        const first = seen.get(key);
        if (first !== undefined) {
          issues.push({ offset: offsetOf(pair.key as Node), message: `invalid YAML: duplicate key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key)} (keys must be unique)` });
          continue;
        }
        seen.set(key, offsetOf(pair.key as Node));
        setKey(object, key, value);
      }
      // YAML 1.1 merge keys (https://yaml.org/type/merge.html): the mapping's own keys win, then earlier sources.
      for (const source of merges) {
        if (!isPlainObject(source)) {
          issues.push({ offset: offsetOf(node), message: 'invalid YAML: a merge key (<<) takes a mapping or a list of mappings' });
          continue;
        }
        for (const [key, value] of Object.entries(source)) if (!Object.hasOwn(object, key)) setKey(object, key, value);
      }
      return object;
    }
    if (isSeq(node)) {
      const list: unknown[] = [];
      values.set(node, list);
      for (const item of node.items) {
        if (isPair(item)) {
          // `[a: 1]`: a single-pair mapping inside a flow sequence (YAML 1.2 §7.4.1).
          const object: Record<string, unknown> = {};
          const key = pairKey(item);
          const value = convert(item.value);
          if (key !== null) setKey(object, key, value);
          list.push(object);
        } else {
          list.push(convert(item));
        }
      }
      return list;
    }
    return null;
  };

  return { value: convert(doc.contents), issues, aliasTargets };
}
