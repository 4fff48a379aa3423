/**
 * `tributary validate`'s handler check, WITHOUT running user code: the file exists (Lambda's resolution order plus the
 * TypeScript extensions, resolve-handler.ts), Node will load it with the module system it is written in (a CommonJS
 * file in a `"type": "module"` folder, or `import`/`export` in a CommonJS one, both fail at init on Lambda), it
 * parses, and the export's property path exists and is a function.
 *
 * Tools: Node's own `stripTypeScriptTypes` for `.ts` files (the same stripping that runs them), es-module-lexer for
 * ES module syntax detection and export names, cjs-module-lexer — the lexer Node uses to give CommonJS modules named
 * exports — for CommonJS exports (it also reads bundler output such as esbuild's `0 && (module.exports = {…})`), and
 * acorn for what an export is (a function and its parameter count, an object, a literal).
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import { readFileSync } from 'node:fs';
import { extname, sep } from 'node:path';
import * as nodeModule from 'node:module';
import { parse as parseProgram, type Node } from 'acorn';
import { init as initCjsLexer, parse as parseCjs } from 'cjs-module-lexer';
import { init as esmLexerReady, parse as parseEsm } from 'es-module-lexer';
import { closest } from '../../config/schema/zod-issues.js';
import { callbackStyleWarning } from '../prepare-warnings.js';
import { findHandlerFile, HANDLER_EXTENSIONS, TYPESCRIPT_EXTENSIONS } from '../resolve-handler.js';
import { cjsExportShape, esmExportShape, type ExportShape } from './find-binding.js';
import { moduleFormat, type FormatReason, type ModuleFormat } from './module-format.js';

export type HandlerCheckErrorType = 'Runtime.ImportModuleError' | 'Runtime.HandlerNotFound' | 'Runtime.UserCodeSyntaxError' | 'Runtime.ModuleFormatMismatch';

export type HandlerCheck =
  | { readonly status: 'ok'; readonly file: string; readonly format: ModuleFormat; readonly warnings: readonly string[] }
  | { readonly status: 'error'; readonly errorType: HandlerCheckErrorType; readonly message: string };

const TS_HINT =
  'Node runs .ts handlers by stripping types only: enums, namespaces, parameter properties and `import =` need a compiler (tsc, esbuild)';

function describeReason(reason: FormatReason): string {
  if (reason.kind === 'extension') return `its extension is ${reason.extension}`;
  if (reason.kind === 'package-type') return `${reason.packageJson} has "type": "${reason.type}"`;
  return 'Node detects its syntax';
}

/** `file:line:col` of an offset in `source`. */
function position(file: string, source: string, offset: number): string {
  const before = source.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${file}:${line}:${column}`;
}

/** The JavaScript Node runs for `file`: as is, or with its TypeScript types stripped. */
function javascriptOf(file: string, source: string): { readonly ok: true; readonly code: string } | { readonly ok: false; readonly message: string } {
  if (!TYPESCRIPT_EXTENSIONS.has(extname(file))) return { ok: true, code: source };
  if (file.split(sep).includes('node_modules')) return { ok: false, message: `${file}: Node does not strip types of files under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING)` };
  // Node >= 22.13 / 23.2; older Node cannot run .ts handlers either.
  const strip = (nodeModule as { stripTypeScriptTypes?: (code: string, options: { mode: 'strip' }) => string }).stripTypeScriptTypes;
  if (strip === undefined) return { ok: false, message: `${file}: this Node (${process.version}) cannot strip TypeScript types; use Node >= 22.18` };
  try {
    return { ok: true, code: strip(source, { mode: 'strip' }) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : 'cannot strip types';
    return { ok: false, message: `${file}: ${message}${code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? ` (${TS_HINT})` : ''}` };
  }
}

function exportNamesOf(code: string, format: ModuleFormat): { readonly names: readonly string[]; readonly reexports: boolean } {
  try {
    if (format === 'cjs') {
      const { exports, reexports } = parseCjs(code);
      return { names: exports, reexports: reexports.length > 0 };
    }
    const [imports, exports] = parseEsm(code);
    // `export * from` shows as an import whose statement starts with `export`.
    const star = imports.some((entry) => code.slice(entry.ss, entry.ss + 6) === 'export');
    return { names: exports.map((entry) => entry.n), reexports: star };
  } catch {
    return { names: [], reexports: false };
  }
}

/** Checks `handlerFile` (absolute, without extension) and the export's property path. */
export async function checkHandler(handlerFile: string, exportPath: string): Promise<HandlerCheck> {
  const handler = `${handlerFile.split(sep).pop() ?? handlerFile}.${exportPath}`;
  const file = findHandlerFile(handlerFile);
  if (file === null) {
    const tried = HANDLER_EXTENSIONS.map((extension) => `${handlerFile}${extension}`).join(', ');
    return { status: 'error', errorType: 'Runtime.ImportModuleError', message: `Cannot find module '${handlerFile}': tried ${tried}` };
  }
  const source = readFileSync(file, 'utf8');
  const javascript = javascriptOf(file, source);
  if (!javascript.ok) return { status: 'error', errorType: 'Runtime.UserCodeSyntaxError', message: javascript.message };
  const code = javascript.code;
  await Promise.all([esmLexerReady, initCjsLexer()]);
  let hasModuleSyntax = false;
  try {
    hasModuleSyntax = parseEsm(code)[3];
  } catch {
    // a syntax error: acorn below says where
  }
  const decision = moduleFormat(file);
  const format: ModuleFormat = decision.format === 'detect' ? (hasModuleSyntax ? 'esm' : 'cjs') : decision.format;

  let program: Node;
  try {
    program = parseProgram(code, {
      ecmaVersion: 'latest',
      sourceType: format === 'esm' ? 'module' : 'script',
      allowHashBang: true,
      allowReturnOutsideFunction: format === 'cjs',
    });
  } catch (error) {
    const offset = (error as { pos?: unknown }).pos;
    const where = typeof offset === 'number' ? position(file, code, offset) : file;
    if (format === 'cjs' && hasModuleSyntax) {
      return {
        status: 'error',
        errorType: 'Runtime.ModuleFormatMismatch',
        message: `${where}: ES module syntax (import/export) in a file Node loads as CommonJS because ${describeReason(decision.reason)}; Node fails with "SyntaxError: Cannot use import statement outside a module" — rename it to .mjs, or set "type": "module"`,
      };
    }
    const message = error instanceof Error ? error.message.replace(/ \(\d+:\d+\)$/, '') : 'syntax error';
    return { status: 'error', errorType: 'Runtime.UserCodeSyntaxError', message: `${where}: SyntaxError: ${message}` };
  }

  const cjsNames = exportNamesOf(code, 'cjs');
  if (format === 'esm' && !hasModuleSyntax && (cjsNames.names.length > 0 || cjsNames.reexports || /\bmodule\.exports\b|\bexports\.\w/.test(code))) {
    return {
      status: 'error',
      errorType: 'Runtime.ModuleFormatMismatch',
      message: `${file} is CommonJS (it assigns module.exports / exports) but Node loads it as an ES module because ${describeReason(decision.reason)}; it fails with "ReferenceError: exports is not defined in ES module scope" — rename it to .cjs, or use export`,
    };
  }

  const path = exportPath.split('.');
  const names = format === 'cjs' ? cjsNames : exportNamesOf(code, 'esm');
  const tree = program as Node & Record<string, unknown>;
  const shapeAt = (at: readonly string[]): ExportShape => (format === 'esm' ? esmExportShape(tree, at) : cjsExportShape(tree, at));
  let shape = shapeAt(path);
  // What the lexers see (bundler output, defineProperty, re-exports) exists even when the tree walk does not find
  // it: then what it is cannot be told without running the module.
  const headUnseen = shape.kind === 'missing' && (path.length === 1 || shapeAt(path.slice(0, 1)).kind === 'missing');
  if (headUnseen && (names.names.includes(path[0] ?? '') || names.reexports)) shape = { kind: 'unknown' };
  if (shape.kind === 'missing') {
    const suggestion = closest(path[0] ?? '', names.names.filter((name) => name !== 'default'));
    const hint = suggestion === null ? '' : ` (did you mean ${handler.slice(0, handler.length - exportPath.length)}${suggestion}?)`;
    return { status: 'error', errorType: 'Runtime.HandlerNotFound', message: `${handler} is undefined or not exported by ${file}${hint}` };
  }
  if (shape.kind === 'not-a-function') {
    return { status: 'error', errorType: 'Runtime.HandlerNotFound', message: `${handler} is not a function (${file} exports ${shape.what} there)` };
  }
  const warning = shape.kind === 'function' ? callbackStyleWarning(handler, shape.arity) : null;
  return { status: 'ok', file, format, warnings: warning === null ? [] : [warning] };
}
