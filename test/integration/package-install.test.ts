/**
 * Issue 18 item 4, as a new user installs it: `npm pack` of a fresh checkout (no dist/: prepack builds it), the
 * tarball installed into an empty project (dependencies from the local npm cache where it has them), then the
 * installed `tributary validate`, an embedded pipeline (`import … from 'tributary-esm'`) against ElasticMQ, and
 * `tributary demo` saying how to add its optional emulator.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Runs the npm on PATH (its `#!/usr/bin/env node` picks the Node 24 that .ci/use-node.sh put first). */
async function npmRun(args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return stdout;
}

let work: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tributary-pack-'));
  // A fresh checkout: the tracked files only (no dist/, no .tributary/), with the repository's node_modules for the build.
  const checkout = join(work, 'checkout');
  const { stdout } = await run('git', ['ls-files', '-z'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(checkout, file)), { recursive: true });
    cpSync(join(ROOT, file), join(checkout, file));
  }
  expect(existsSync(join(checkout, 'dist'))).toBe(false);
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
  const packed = JSON.parse(await npmRun(['pack', '--json', '--pack-destination', work], checkout)) as { filename: string; files: { path: string }[] }[];
  const first = packed[0];
  if (first === undefined) throw new Error('npm pack printed no package');
  tarball = join(work, first.filename);
  packedFiles = first.files.map((f) => f.path);

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tributary-user', version: '1.0.0', private: true, type: 'module' }));
  await npmRun(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], project);
}, 600_000);

let packedFiles: string[] = [];
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball, installed into a new project', () => {
  it('is named tributary-esm and holds the built CLI, the library and its types — no sources, tests or demo emulator', () => {
    expect(tarball).toMatch(/tributary-esm-\d+\.\d+\.\d+\.tgz$/);
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/src/cli/main.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/connectors/kafka/client.js']));
    expect(packedFiles.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f))).toEqual([]);
    expect(packedFiles.filter((f) => f.startsWith('dist/test/') || f.startsWith('dist/bench/'))).toEqual([]);
  });

  it('installs no demo-only package: neither kinesalite nor the native leveldown', () => {
    const installed = readdirSync(join(project, 'node_modules'));
    expect(installed).toContain('tributary-esm');
    expect(installed).not.toContain('kinesalite');
    expect(installed).not.toContain('leveldown');
    expect(existsSync(join(project, 'node_modules', '.bin', 'tributary'))).toBe(true);
  });

  it('`tributary validate` from the installed bin accepts a good file and points at a mistake', async () => {
    const good = join(project, 'pipelines.yaml');
    writeFileSync(
      good,
      `pipelines:
  - name: orders
    source: { type: sqs, queueUrl: "http://127.0.0.1:19324/000000000000/orders", endpoint: "http://127.0.0.1:19324" }
    function: { type: http, url: "http://127.0.0.1:9000/" }
`,
    );
    const ok = await run(join(project, 'node_modules', '.bin', 'tributary'), ['validate', '-c', good], { cwd: project });
    expect(ok.stdout).toContain('pipelines.yaml: ok (1 pipeline)');
    const bad = join(project, 'bad.yaml');
    writeFileSync(bad, 'pipelines:\n  - name: orders\n    source: { type: sqs, queueUrl: "http://127.0.0.1:1/0/q" }\n    function: { type: http, url: "http://127.0.0.1:9000/" }\n    batchSize: 20000\n');
    const failed = await run(join(project, 'node_modules', '.bin', 'tributary'), ['validate', '-c', bad], { cwd: project }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/bad\.yaml:5:\d+ pipelines\[0\]\.batchSize: .*10000/);
  });

  it("an embedded pipeline, `import { createPipeline } from 'tributary-esm'`, drains an ElasticMQ queue", async () => {
    const client = sqsClient();
    try {
      const { url } = await createQueue(client, uniqueName('pack'));
      await sendAll(client, url, Array.from({ length: 25 }, (_, i) => ({ body: JSON.stringify({ n: i }) })));
      writeFileSync(
        join(project, 'embedded.mjs'),
        `import { createPipeline } from 'tributary-esm';
const seen = new Set();
const pipeline = createPipeline({
  name: 'embedded',
  source: { type: 'sqs', queueUrl: process.env.QUEUE_URL, endpoint: process.env.SQS_ENDPOINT, region: 'us-east-1' },
  function: async (event) => { for (const r of event.Records) seen.add(JSON.parse(r.body).n); return { batchItemFailures: [] }; },
  functionResponseTypes: ['ReportBatchItemFailures'],
});
await pipeline.start();
const deadline = Date.now() + 60_000;
while (seen.size < 25 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
await pipeline.stop();
process.stdout.write(JSON.stringify({ result: { seen: seen.size } }) + '\\n');
`,
      );
      const out = await run(process.execPath, ['embedded.mjs'], { cwd: project, env: { ...process.env, QUEUE_URL: url, SQS_ENDPOINT: sqsEndpoint(), AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' } });
      // The service's JSON log lines share stdout with the script's result line.
      const lines = out.stdout.trim().split('\n').map((line) => JSON.parse(line) as { result?: unknown; msg?: string });
      expect(lines.filter((line) => line.result !== undefined)).toEqual([{ result: { seen: 25 } }]);
      expect(await queueDepth(client, url)).toEqual({ visible: 0, inFlight: 0 });
    } finally {
      client.destroy();
    }
  });

  it('`tributary demo` without kinesalite says how to add it, instead of a module-not-found stack', async () => {
    const failed = await run(join(project, 'node_modules', '.bin', 'tributary'), ['demo', '--duration', '1', '--dir', join(work, 'demo')], { cwd: project }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('the demo needs the kinesalite package');
    expect(failed?.stderr).toContain('npm install kinesalite');
    expect(failed?.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\s{4}at /);
  });
});
