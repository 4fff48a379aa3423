/**
 * Resolve and load a Lambda handler like the Node.js runtime interface client (RIC):
 *
 * - the file: `<folder>/<module>` as written, then `.js`, `.mjs`, `.cjs` (the RIC's lookup order, `loadModule`),
 *   then — Tributary's addition — `.ts`, `.mts`, `.cts`, run by Node's built-in type stripping (Node ≥ 22.18);
 *   last, the module name as a package (`require.resolve(module, { paths: [folder] })`), as the RIC falls back to;
 * - the export: the property path after the first dot is followed through the module (`handlers.process` →
 *   `exports.handlers.process`), then through its `default` export when that finds nothing (CommonJS modules
 *   imported as ESM, `export default { handler }`), as the RIC's `resolveHandler` does.
 *
 * A candidate must be a file (the RIC's `existsSync` would also take a folder of that name and then fail to import
 * it). https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TributaryError } from '../errors.js';
import type { LambdaHandler } from './types.js';

/** The RIC's order, then the TypeScript extensions Node strips types from. */
export const HANDLER_EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;
export const TYPESCRIPT_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.cts']);

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The handler's file, or null when no candidate exists. Synchronous: a few `stat`s, run once per init. */
export function findHandlerFile(fileWithoutExtension: string): string | null {
  for (const extension of HANDLER_EXTENSIONS) {
    const candidate = `${fileWithoutExtension}${extension}`;
    if (isFile(candidate)) return candidate;
  }
  try {
    // The RIC's fallback: the module name resolved as a package from the handler's folder (node_modules).
    const folder = dirname(fileWithoutExtension);
    return createRequire(join(folder, 'noop.js')).resolve(basename(fileWithoutExtension), { paths: [folder] });
  } catch {
    return null;
  }
}

export async function resolveHandlerFile(fileWithoutExtension: string): Promise<string> {
  const file = findHandlerFile(fileWithoutExtension);
  if (file !== null) return file;
  const tried = HANDLER_EXTENSIONS.map((extension) => extension || '(none)').join(',');
  throw new TributaryError('HANDLER_NOT_FOUND', `handler file not found: ${fileWithoutExtension}{${tried}}`);
}

/** Follows a dotted property path through objects only, as the RIC's `findIn`. */
function findIn(path: string, target: unknown): unknown {
  return path.split('.').reduce<unknown>((nested, key) => (typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>)[key] : undefined), target);
}

/** What a property path finds in a loaded module: the export, its `default`'s, or why neither is a function. */
export type ExportLookup = { readonly status: 'function'; readonly handler: LambdaHandler } | { readonly status: 'missing' | 'not-a-function' };

export function findExport(module: unknown, exportPath: string): ExportLookup {
  let found = findIn(exportPath, module);
  if (!found && typeof module === 'object' && module !== null && 'default' in module) found = findIn(exportPath, (module as { default: unknown }).default);
  if (!found) return { status: 'missing' };
  return typeof found === 'function' ? { status: 'function', handler: found as LambdaHandler } : { status: 'not-a-function' };
}

/** Load a handler module and follow its property path. */
export async function loadHandler(fileWithoutExtension: string, exportPath: string): Promise<LambdaHandler> {
  const file = await resolveHandlerFile(fileWithoutExtension);
  let module: unknown;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new TributaryError('HANDLER_LOAD_FAILED', `could not load handler module ${file}`, { cause: error });
  }
  const lookup = findExport(module, exportPath);
  if (lookup.status === 'function') return lookup.handler;
  // The RIC's two messages (`<handler> is undefined or not exported` / `<handler> is not a function`).
  const handler = `${basename(fileWithoutExtension)}.${exportPath}`;
  const message = lookup.status === 'missing' ? `${handler} is undefined or not exported` : `${handler} is not a function`;
  throw new TributaryError('HANDLER_NOT_FOUND', message);
}
