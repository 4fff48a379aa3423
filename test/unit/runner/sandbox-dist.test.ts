/**
 * The built runner (`dist/`, what `tributary run` executes) under plain Node, outside vitest: the worker entry
 * must resolve to `worker-entry.js` next to the compiled sandbox. Skipped when `npm run build` has not produced
 * the module runner yet.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const built = resolve(import.meta.dirname, '../../../dist/src/runner/create-runner.js');
const hasSandbox = existsSync(resolve(import.meta.dirname, '../../../dist/src/runner/sandbox/worker-entry.js'));
const dir = mkdtempSync(join(tmpdir(), 'tributary-sandbox-dist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasSandbox)('built module runner (dist) under plain Node', () => {
  it('cold-starts, runs warm, contains a crash, and closes', async () => {
    writeFileSync(join(dir, 'fn.mjs'), 'let n = 0;\nexport const handler = async (event) => { if (event.exit) process.exit(2); return { n: ++n, name: process.env.AWS_LAMBDA_FUNCTION_NAME }; };');
    const script = `
      import { createRunner } from ${JSON.stringify(pathToFileURL(built).href)};
      const runner = createRunner(
        { type: 'module', functionName: 'dist-fn', handlerFile: ${JSON.stringify(join(dir, 'fn'))}, handlerExport: 'handler', handler: './fn.handler',
          timeoutMs: 3000, memorySizeMb: 128, environment: {}, provisionedConcurrency: 0, awsCredentials: 'none' },
        { region: 'eu-west-1', now: Date.now });
      const call = (event) => runner.invoke(event, { deadlineMs: Date.now() + 3000, signal: new AbortController().signal });
      const results = [await call({}), await call({}), await call({ exit: true }), await call({})];
      await runner.close();
      process.stdout.write(JSON.stringify(results.map(({ durationMs, initDurationMs, ...rest }) => rest)));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toMatchObject([
      { status: 'ok', coldStart: true, payload: { n: 1, name: 'dist-fn' } },
      { status: 'ok', coldStart: false, payload: { n: 2 } },
      { status: 'error', kind: 'crashed', error: { errorType: 'Runtime.ExitError' } },
      { status: 'ok', coldStart: true, payload: { n: 1 } },
    ]);
  });
});
