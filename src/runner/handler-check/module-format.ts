/**
 * Which module system Node (and so Lambda's Node.js runtime) will load a handler file with, decided the way Node
 * decides it: `.mjs` / `.mts` are ES modules, `.cjs` / `.cts` CommonJS; `.js`, `.ts` and extensionless files follow
 * the nearest package.json's `"type"`; without one, Node ≥ 22.12 detects ES module syntax and loads such a file as
 * ESM (otherwise CommonJS). https://nodejs.org/api/packages.html#determining-module-system
 * https://nodejs.org/api/packages.html#syntax-detection
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

export type ModuleFormat = 'esm' | 'cjs';

/** Why a file has its format: its extension, a package.json `"type"` (with that file), or Node's syntax detection. */
export type FormatReason =
  | { readonly kind: 'extension'; readonly extension: string }
  | { readonly kind: 'package-type'; readonly packageJson: string; readonly type: 'module' | 'commonjs' }
  | { readonly kind: 'detected' };

export interface FormatDecision {
  readonly format: ModuleFormat | 'detect';
  readonly reason: FormatReason;
}

/** The nearest package.json above `file` with its `"type"` (null when none declares one before the root). */
export function nearestPackageType(file: string): { readonly packageJson: string; readonly type: 'module' | 'commonjs' } | null {
  let folder = dirname(file);
  for (;;) {
    const candidate = join(folder, 'package.json');
    let text: string | null = null;
    try {
      text = readFileSync(candidate, 'utf8');
    } catch {
      // no package.json here
    }
    if (text !== null) {
      // The nearest package.json decides, with or without a "type" (then CommonJS, with syntax detection).
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        if (type === 'module' || type === 'commonjs') return { packageJson: candidate, type };
      } catch {
        // An unreadable package.json: Node fails on it at load; the load (validate --init) says so.
      }
      return null;
    }
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

export function moduleFormat(file: string): FormatDecision {
  const extension = extname(file);
  if (extension === '.mjs' || extension === '.mts') return { format: 'esm', reason: { kind: 'extension', extension } };
  if (extension === '.cjs' || extension === '.cts') return { format: 'cjs', reason: { kind: 'extension', extension } };
  const declared = nearestPackageType(file);
  if (declared !== null) return { format: declared.type === 'module' ? 'esm' : 'cjs', reason: { kind: 'package-type', ...declared } };
  return { format: 'detect', reason: { kind: 'detected' } };
}
