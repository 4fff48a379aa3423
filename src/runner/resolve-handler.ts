/**
 * Resolve a Lambda handler string's file like the Node.js runtime: `./dir/file.export` finds
 * `file.js`, `file.mjs` or `file.cjs`. https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { TributaryError } from '../errors.js';
import type { LambdaHandler } from './types.js';

const EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

export async function resolveHandlerFile(fileWithoutExtension: string): Promise<string> {
  for (const extension of EXTENSIONS) {
    const candidate = `${fileWithoutExtension}${extension}`;
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next extension
    }
  }
  throw new TributaryError('HANDLER_NOT_FOUND', `handler file not found: ${fileWithoutExtension}{${EXTENSIONS.join(',')}}`);
}

/** Load a handler module and pick its export (dotted paths such as `handlers.orders` are followed). */
export async function loadHandler(fileWithoutExtension: string, exportName: string): Promise<LambdaHandler> {
  const file = await resolveHandlerFile(fileWithoutExtension);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TributaryError('HANDLER_LOAD_FAILED', `could not load handler module ${file}`, { cause: error });
  }
  let target: unknown = module;
  for (const part of exportName.split('.')) {
    target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[part] : undefined;
    // CommonJS modules expose their exports on `default` when imported from ESM.
    if (target === undefined && part === exportName.split('.')[0] && typeof module['default'] === 'object' && module['default'] !== null) {
      target = (module['default'] as Record<string, unknown>)[part];
    }
  }
  if (typeof target !== 'function') {
    throw new TributaryError('HANDLER_NOT_FOUND', `${file} does not export a function named "${exportName}"`);
  }
  return target as LambdaHandler;
}
