/**
 * Where a function's code is, and how Tributary runs it.
 *
 * - Node.js runtimes (`nodejs*`) run as `module`: the handler file, relative to the output file, found from SAM's
 *   `CodeUri` (a folder relative to the template), CDK's asset folder (`Metadata."aws:asset:path"` in
 *   `cdk.out`), CloudFormation's inline `Code.ZipFile` (written out next to the output, as CloudFormation does into
 *   `index.js`), or a folder to download code in S3 to.
 * - Other runtimes and container images run as `http` against the Lambda Runtime Interface Emulator, which AWS's
 *   base images contain: `docker run -p 9000:8080 public.ecr.aws/lambda/python:3.12 app.handler`.
 *   https://docs.aws.amazon.com/lambda/latest/dg/images-test.html
 */
import { join, relative, resolve } from 'node:path';
import { interpolation, envPrefix, literal } from './env-names.js';
import { esmPackageAbove } from './module-kind.js';
import { scalar, type OutEntry } from './out-yaml.js';
import type { ImportSession } from './session.js';
import type { TemplateLocation } from './template.js';

/** Where the code of a function is. */
export type CodeLocation =
  | { readonly kind: 'folder'; readonly path: string; readonly from: string }
  | { readonly kind: 'inline'; readonly code: string }
  | { readonly kind: 'remote'; readonly where: string }
  | { readonly kind: 'image'; readonly image: string }
  | { readonly kind: 'none' };

/** What is known of the function to run it. */
export interface FunctionCode {
  readonly key: string;
  readonly runtime: string | null;
  readonly handler: string | null;
  readonly code: CodeLocation;
  /** The template folder (relative code paths start there). */
  readonly templateDir: string;
  readonly at: TemplateLocation;
}

/** The runner entries (`type`, `handler` / `url`) and the comment lines explaining them. */
export interface RunnerEntries {
  readonly type: 'module' | 'http';
  readonly entries: readonly OutEntry[];
  readonly comments: readonly string[];
}

/** A path relative to the output folder, as a handler string wants it (`./…` or `../…`). */
function fromOutput(session: ImportSession, path: string): string {
  const rel = relative(session.outDir, path).split('\\').join('/');
  return rel.startsWith('../') ? rel : `./${rel}`;
}

/** Lambda base image of a runtime: `python3.12` → `public.ecr.aws/lambda/python:3.12`, `provided.al2023` → `provided:al2023`. */
export function baseImage(runtime: string): string {
  const match = /^([a-z]+)\.?(.*)$/.exec(runtime);
  return `public.ecr.aws/lambda/${match?.[1] ?? runtime}:${match?.[2] === '' || match === null ? 'latest' : match[2]}`;
}

/** How to run the function. */
export function runnerEntries(fn: FunctionCode, session: ImportSession): RunnerEntries {
  const node = fn.runtime?.startsWith('nodejs') === true && fn.code.kind !== 'image';
  return node ? moduleRunner(fn, session) : httpRunner(fn, session);
}

function moduleRunner(fn: FunctionCode, session: ImportSession): RunnerEntries {
  const handler = fn.handler ?? 'index.handler';
  const comments: string[] = [];
  let folder: string;
  switch (fn.code.kind) {
    case 'folder': {
      folder = resolve(fn.templateDir, fn.code.path);
      comments.push(`Code: ${fn.code.from}`);
      const esm = esmPackageAbove(folder, join(folder, handler.slice(0, handler.lastIndexOf('.'))));
      if (esm !== null) {
        session.notes.add('action', fn.at, `function ${fn.key}: Lambda loads its .js handler as CommonJS (its code has no package.json), Node here as an ES module because of ${esm}: add {"type": "commonjs"} as package.json in ${fromOutput(session, folder)}`);
      }
      break;
    }
    case 'inline': {
      // CloudFormation writes ZipFile code to index.js; .cjs / .mjs keep its module kind whatever package.json says.
      const extension = /^\s*(import|export)\s/m.test(fn.code.code) ? 'mjs' : 'cjs';
      const file = `functions/${fn.key}/${handler.split('.')[0] ?? 'index'}.${extension}`;
      session.extraFiles.set(file, fn.code.code);
      folder = join(session.outDir, 'functions', fn.key);
      comments.push(`Code: inline (Code.ZipFile / InlineCode), written to ${file}`);
      break;
    }
    case 'remote':
    case 'image': // never: images run as http
    case 'none': {
      folder = join(session.outDir, 'functions', fn.key);
      const where = fn.code.kind === 'remote' ? `its code is in ${fn.code.where}` : 'the template does not say where its code is';
      session.notes.add('action', fn.at, `function ${fn.key}: ${where}; unpack it into ${fromOutput(session, folder)}`);
      comments.push(`Code: ${fn.code.kind === 'remote' ? fn.code.where : 'unknown'}: unpack it into ${fromOutput(session, folder)}`);
      break;
    }
  }
  return { type: 'module', entries: [{ key: 'type', value: scalar('module') }, { key: 'handler', value: scalar(literal(fromOutput(session, join(folder, handler)))) }], comments };
}

function httpRunner(fn: FunctionCode, session: ImportSession): RunnerEntries {
  const port = session.nextRiePort();
  const env = `${envPrefix(fn.key)}_URL`;
  let command: string;
  if (fn.code.kind === 'image') {
    command = `docker run --rm -p ${port}:8080 ${fn.code.image}`;
  } else {
    const runtime = fn.runtime ?? 'provided.al2023';
    const code = fn.code.kind === 'folder' ? resolve(fn.templateDir, fn.code.path) : '<its code folder>';
    command = `docker run --rm -p ${port}:8080 -v "${code}:/var/task:ro" ${baseImage(runtime)} ${fn.handler ?? ''}`.trimEnd();
  }
  const what = fn.code.kind === 'image' ? 'a container image' : `runtime ${fn.runtime ?? 'unknown'}, not Node.js`;
  session.notes.add('action', fn.at, `function ${fn.key}: ${what}: run it behind the Lambda Runtime Interface Emulator (${command}) and set ${env} if not on port ${port}`);
  return {
    type: 'http',
    entries: [{ key: 'type', value: scalar('http') }, { key: 'url', value: scalar(interpolation(env, `http://127.0.0.1:${port}`)) }],
    comments: [`${what}: runs behind the Lambda Runtime Interface Emulator:`, `  ${command}`],
  };
}
