/**
 * Issue 18 item 5: the README's library snippet compiles under `tsc --strict` as a user's code would, importing
 * `tributary-esm` (mapped to src/index.ts). And the same snippet with a typo'd field or a wrong value type does not,
 * so the check can fail. Compiled in memory with the TypeScript API: nothing is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SNIPPET = join(ROOT, 'readme-snippet.mts');

/** The TypeScript blocks of the README's `## Library` section. */
function librarySnippets(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Library\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');
}

/** The diagnostics of `code` compiled as an ES module of a user's project under `--strict`. */
function compile(code: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
    paths: { 'tributary-esm': [join(ROOT, 'src', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === SNIPPET || fileExists.call(host, file);
  host.readFile = (file) => (file === SNIPPET ? code : readFile.call(host, file));
  host.getSourceFile = (file, language, ...rest) =>
    file === SNIPPET ? ts.createSourceFile(file, code, language, true) : getSourceFile.call(host, file, language, ...rest);
  const program = ts.createProgram([SNIPPET], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file === undefined ? '' : `${d.file.fileName.replace(ROOT, '.')}:`} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe("the README's library snippet", () => {
  const snippets = librarySnippets();

  it('is there, and compiles under --strict against the package', () => {
    expect(snippets).toHaveLength(1);
    expect(snippets[0]).toContain("from 'tributary-esm'");
    expect(compile(snippets[0] ?? '')).toEqual([]);
  }, 120_000);

  it('does not compile with a typo in a field or a wrong value type', () => {
    const snippet = snippets[0] ?? '';
    expect(snippet).toContain('source: {');
    const typo = compile(snippet.replace('source: {', 'sorce: {'));
    expect(typo.join('\n')).toMatch(/readme-snippet\.mts: .*'sorce' does not exist/);
    const wrongType = compile(snippet.replace("name: 'orders',", "name: 'orders', batchSize: 'ten',"));
    expect(wrongType.join('\n')).toMatch(/readme-snippet\.mts: Type '"ten"' is not assignable/);
  }, 120_000);
});
