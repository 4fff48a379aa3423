/**
 * The static handler check `tributary validate` runs, on real files on disk: what Lambda's Node.js runtime would fail
 * on at init (file, module system, syntax, export, function), found without running the handler's code.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitHandler } from '../../../src/config/handler-string.js';
import { checkHandler } from '../../../src/runner/handler-check/check-handler.js';

const root = mkdtempSync(join(tmpdir(), 'tributary-handler-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;

/** Writes `files` into a new folder and checks `handler` (a Lambda handler string) there. */
async function check(files: Record<string, string>, handler: string) {
  const folder = join(root, String((folders += 1)));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  const parts = splitHandler(handler);
  if (parts === null) throw new Error(`bad handler ${handler}`);
  return { folder, result: await checkHandler(join(folder, parts.file), parts.exportName) };
}

describe('static handler check', () => {
  it('a missing file is Runtime.ImportModuleError, naming every candidate Lambda (and Tributary) tries', async () => {
    const { result, folder } = await check({}, 'orders.handler');
    expect(result).toMatchObject({ status: 'error', errorType: 'Runtime.ImportModuleError' });
    const message = result.status === 'error' ? result.message : '';
    for (const extension of ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']) expect(message).toContain(join(folder, `orders${extension}`));
  });

  it('a missing export is Runtime.HandlerNotFound, with a did-you-mean', async () => {
    const { result } = await check({ 'orders.mjs': 'export const handler = async () => 1;\nexport const other = 2;' }, 'orders.handlr');
    expect(result).toMatchObject({ status: 'error', errorType: 'Runtime.HandlerNotFound' });
    expect(result.status === 'error' && result.message).toMatch(/^orders\.handlr is undefined or not exported by .*orders\.mjs \(did you mean orders\.handler\?\)$/);
  });

  it('an export that is not a function is Runtime.HandlerNotFound', async () => {
    const { result } = await check({ 'orders.cjs': 'exports.handler = { run() {} };' }, 'orders.handler');
    expect(result).toMatchObject({ status: 'error', errorType: 'Runtime.HandlerNotFound' });
    expect(result.status === 'error' && result.message).toMatch(/orders\.handler is not a function .*an object/);
  });

  it('a CommonJS file in a "type": "module" folder is caught, and the reverse', async () => {
    const cjsInEsm = await check({ 'package.json': '{ "type": "module" }', 'index.js': 'exports.handler = async () => 1;' }, 'index.handler');
    expect(cjsInEsm.result).toMatchObject({ status: 'error', errorType: 'Runtime.ModuleFormatMismatch' });
    expect(cjsInEsm.result.status === 'error' && cjsInEsm.result.message).toMatch(/is CommonJS .*"type": "module".*exports is not defined in ES module scope.*rename it to \.cjs/);
    const esmInCjs = await check({ 'package.json': '{ "type": "commonjs" }', 'index.js': 'import { x } from "./x.js";\nexport const handler = async () => x;' }, 'index.handler');
    expect(esmInCjs.result).toMatchObject({ status: 'error', errorType: 'Runtime.ModuleFormatMismatch' });
    expect(esmInCjs.result.status === 'error' && esmInCjs.result.message).toMatch(/index\.js:1:1: ES module syntax .*"type": "commonjs".*Cannot use import statement outside a module/);
    // Without a "type", Node detects ES module syntax in a .js file (Node >= 22.12), as Lambda's Node does.
    const detected = await check({ 'package.json': '{}', 'index.js': 'export const handler = async () => 1;' }, 'index.handler');
    expect(detected.result).toMatchObject({ status: 'ok', format: 'esm' });
  });

  it('a syntax error is Runtime.UserCodeSyntaxError at file:line:col', async () => {
    const { result } = await check({ 'index.mjs': 'export const handler = async () => {\n  return {;\n};' }, 'index.handler');
    expect(result).toMatchObject({ status: 'error', errorType: 'Runtime.UserCodeSyntaxError' });
    expect(result.status === 'error' && result.message).toMatch(/index\.mjs:2:11: SyntaxError: Unexpected token/);
  });

  it('TypeScript: types stripped as Node strips them; an enum is Runtime.UserCodeSyntaxError with the hint', async () => {
    const ok = await check({ 'index.ts': 'type E = { n: number };\nexport const handler = async (event: E): Promise<number> => event.n;' }, 'index.handler');
    expect(ok.result).toMatchObject({ status: 'ok' });
    const cts = await check({ 'index.cts': 'exports.handler = async (event: unknown): Promise<unknown> => event;' }, 'index.handler');
    expect(cts.result).toMatchObject({ status: 'ok', format: 'cjs' });
    const enumFile = await check({ 'index.ts': 'enum Color { Red }\nexport const handler = async () => Color.Red;' }, 'index.handler');
    expect(enumFile.result).toMatchObject({ status: 'error', errorType: 'Runtime.UserCodeSyntaxError' });
    expect(enumFile.result.status === 'error' && enumFile.result.message).toMatch(/enum.*need a compiler/);
  });

  it('property paths, aliases, default exports, wrapped handlers and bundler output', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'index.js': 'exports.handlers = { process: async () => 1 };' }, 'index.handlers.process'],
      [{ 'index.mjs': 'async function run() {}\nexport { run as handler };' }, 'index.handler'],
      [{ 'index.mjs': 'export default { handler: async () => 1 };' }, 'index.handler'],
      [{ 'index.mjs': 'import middy from "@middy/core";\nexport const handler = middy(async () => 1);' }, 'index.handler'],
      [{ 'index.cjs': 'const h = async () => 1;\nmodule.exports = { handler: h };' }, 'index.handler'],
      // esbuild's CommonJS output: the names are only visible to cjs-module-lexer's annotation support.
      [{ 'index.js': 'var x = {}; __export(x, { handler: () => handler });\nmodule.exports = __toCommonJS(x);\n0 && (module.exports = { handler });\nasync function handler() {}' }, 'index.handler'],
    ];
    for (const [files, handler] of cases) {
      const { result } = await check(files, handler);
      expect(result, `${handler} in ${Object.values(files)[0]}`).toMatchObject({ status: 'ok' });
    }
    const nestedMissing = await check({ 'index.js': 'exports.handlers = { other: async () => 1 };' }, 'index.handlers.process');
    expect(nestedMissing.result).toMatchObject({ status: 'error', errorType: 'Runtime.HandlerNotFound' });
  });

  it('warns about a callback-style handler (AWS nodejs24.x refuses them); an async one passes silently', async () => {
    const callback = await check({ 'index.cjs': 'exports.handler = function (event, context, callback) { callback(null, 1); };' }, 'index.handler');
    expect(callback.result).toMatchObject({ status: 'ok' });
    expect(callback.result.status === 'ok' && callback.result.warnings.join()).toMatch(/callback-style.*nodejs24\.x/);
    const asyncHandler = await check({ 'index.mjs': 'export const handler = async (event, context = {}) => 1;' }, 'index.handler');
    expect(asyncHandler.result).toMatchObject({ status: 'ok', warnings: [] });
  });

  it('never runs the handler’s code', async () => {
    const marker = join(root, 'ran');
    const { result } = await check(
      { 'index.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport const handler = async () => 1;` },
      'index.handler',
    );
    expect(result).toMatchObject({ status: 'ok' });
    expect(existsSync(marker)).toBe(false);
  });
});
