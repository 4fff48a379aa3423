/**
 * The service's real JSON log lines (createLogger, the same pino options as `tributary run`), kept as written, and a
 * check that no line holds a key twice. `JSON.parse` keeps the last of two equal keys without a word, so the check
 * reads each line with `yaml` (YAML 1.2 is a superset of JSON) with duplicate keys allowed and walks every mapping.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import type { LogLevel } from '../../src/config/types.js';

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line as pino wrote it (without the newline). */
  readonly lines: string[];
  /** The lines parsed (the last of repeated keys wins, as in any JSON reader). */
  parsed(): Record<string, unknown>[];
}

export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void lines.push(...chunk.split('\n').filter((line) => line !== '')) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** The keys a JSON line holds more than once, as `path.key` (top level: `key`). */
export function repeatedKeys(line: string): string[] {
  const document = parseDocument(line, { uniqueKeys: false });
  if (document.errors.length > 0) throw new Error(`not a JSON line: ${document.errors[0]?.message ?? ''}\n${line}`);
  const repeated: string[] = [];
  const walk = (node: Node | null | undefined, path: string): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = path === '' ? key : `${path}.${key}`;
        if (seen.has(key)) repeated.push(at);
        seen.add(key);
        walk(pair.value as Node | null, at);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item as Node | null, `${path}[${index}]`));
    }
  };
  walk(document.contents, '');
  return repeated;
}

/** Every line that repeats a key, with the keys: `[]` when none does. */
export function linesWithRepeatedKeys(lines: readonly string[]): { readonly keys: string[]; readonly line: string }[] {
  return lines.map((line) => ({ keys: repeatedKeys(line), line })).filter((entry) => entry.keys.length > 0);
}
