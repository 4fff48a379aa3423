import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaCommand } from '../../../src/cli/commands/schema.js';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import type { CliIo } from '../../../src/cli/io.js';

interface Captured {
  readonly io: CliIo;
  readonly out: () => string;
  readonly err: () => string;
}

function capture(cwd: string, env: Record<string, string> = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (text) => (out += text), stderr: (text) => (err += text), env, cwd },
    out: () => out,
    err: () => err,
  };
}

const VALID = `pipelines:
  - name: orders
    source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/orders' }
    function: { type: module, handler: ./handlers/orders.handler }
  - name: clicks
    source: { type: kinesis, streamName: clicks, endpoint: '\${KINESIS_ENDPOINT:-}' }
    function: { type: module, handler: ./handlers/clicks.handler }
    startingPosition: LATEST
`;

const INVALID = `pipelines:
  - name: orders
    source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/orders' }
    function: { type: module, handler: ./handlers/orders.handler }
    batchSize: 20000
    maximumRetryAttempts: 3
    bisect: true
`;

describe('tributary validate', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-validate-'));
    await writeFile(join(dir, 'valid.yaml'), VALID);
    await writeFile(join(dir, 'invalid.yaml'), INVALID);
    await mkdir(join(dir, 'handlers'));
    await writeFile(join(dir, 'handlers', 'orders.mjs'), 'export const handler = async () => ({ batchItemFailures: [] });');
    await writeFile(join(dir, 'handlers', 'clicks.cjs'), 'exports.handler = async () => null;');
    await writeFile(join(dir, 'h.js'), 'exports.handler = async () => null;');
    await writeFile(join(dir, 'one.json'), JSON.stringify({
      pipelines: [{ name: 'a', source: { type: 'kinesis', streamName: 's' }, function: { type: 'module', handler: './h.handler' }, startingPosition: '${POS}' }],
    }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints ok and the pipeline count, exit 0', async () => {
    const c = capture(dir);
    expect(await validateCommand(['-c', 'valid.yaml'], c.io)).toBe(0);
    expect(c.out()).toBe('valid.yaml: ok (2 pipelines)\n');
    expect(c.err()).toBe('');
  });

  it('accepts --config with an absolute path and reads env from io', async () => {
    const c = capture('/', { POS: 'LATEST' });
    const file = join(dir, 'one.json');
    expect(await validateCommand(['--config', file], c.io)).toBe(0);
    expect(c.out()).toBe(`${file}: ok (1 pipeline)\n`);
  });

  it('prints every issue with file:line:column, exit 2', async () => {
    const c = capture(dir);
    expect(await validateCommand(['-c', 'invalid.yaml'], c.io)).toBe(2);
    expect(c.out()).toBe('');
    expect(c.err().trimEnd().split('\n')).toEqual([
      'invalid.yaml:5:5 pipelines[0].batchSize: must be between 1 and 10000 (got 20000)',
      expect.stringMatching(/^invalid\.yaml:6:5 pipelines\[0\]\.maximumRetryAttempts: is not supported for SQS sources: .*redrive policy/),
      'invalid.yaml:7:5 pipelines[0].bisect: unknown field',
    ]);
  });

  it('reports an unset variable, exit 2', async () => {
    const c = capture(dir);
    expect(await validateCommand(['-c', 'one.json'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^one\.json:1:\d+ pipelines\[0\]\.startingPosition: environment variable POS is not set/);
  });

  it('a missing file, a missing option and an unknown option are usage errors', async () => {
    const missing = capture(dir);
    expect(await validateCommand(['-c', 'nope.yaml'], missing.io)).toBe(2);
    expect(missing.err()).toBe('configuration file nope.yaml not found\n');
    const none = capture(dir);
    expect(await validateCommand([], none.io)).toBe(2);
    expect(none.err()).toContain('missing --config FILE');
    const unknown = capture(dir);
    expect(await validateCommand(['--nope'], unknown.io)).toBe(2);
    expect(unknown.err()).toContain('Usage: tributary validate');
  });

  it('checks that every module handler resolves, without running it: each problem at the handler field, exit 2', async () => {
    await writeFile(join(dir, 'handlers', 'typo.mjs'), 'export const handler = async () => 1;');
    await writeFile(join(dir, 'handlers', 'package.json'), '{}');
    await writeFile(
      join(dir, 'handlers.yaml'),
      `pipelines:
  - name: missing-file
    source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/a' }
    function: { type: module, handler: ./handlers/nope.handler }
  - name: missing-export
    source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/b' }
    function:
      type: module
      handler: ./handlers/typo.handlr
`,
    );
    const c = capture(dir);
    expect(await validateCommand(['-c', 'handlers.yaml'], c.io)).toBe(2);
    expect(c.out()).toBe('');
    const lines = c.err().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^handlers\.yaml:4:31 pipelines\[0\]\.function\.handler: Runtime\.ImportModuleError: Cannot find module '.*nope': tried /);
    expect(lines[1]).toMatch(/^handlers\.yaml:9:7 pipelines\[1\]\.function\.handler: Runtime\.HandlerNotFound: typo\.handlr is undefined or not exported by .*typo\.mjs \(did you mean typo\.handler\?\)$/);
  });

  it('a callback-style handler is a warning (AWS nodejs24.x refuses it), exit 0', async () => {
    await writeFile(join(dir, 'handlers', 'legacy.cjs'), 'exports.handler = (event, context, callback) => callback(null, 1);');
    await writeFile(join(dir, 'legacy.yaml'), `pipelines:
  - name: legacy
    source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/a' }
    function: { type: module, handler: ./handlers/legacy.handler }
`);
    const c = capture(dir);
    expect(await validateCommand(['-c', 'legacy.yaml'], c.io)).toBe(0);
    expect(c.err()).toMatch(/^legacy\.yaml:4:31 pipelines\[0\]\.function\.handler: warning: legacy\.handler is a callback-style handler .*nodejs24\.x/);
    expect(c.out()).toBe('legacy.yaml: ok (1 pipeline)\n');
  });

  it('--init runs the init phase in a sandbox and reports Lambda\'s init error with its stack; without it the code never runs', async () => {
    const marker = join(dir, 'init-ran');
    await writeFile(join(dir, 'handlers', 'boom.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nthrow new Error('missing TABLE_NAME');\nexport const handler = async () => 1;`);
    await writeFile(join(dir, 'boom.yaml'), `pipelines:
  - name: boom
    source: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/a' }
    function: { type: module, handler: ./handlers/boom.handler }
`);
    const statically = capture(dir);
    expect(await validateCommand(['-c', 'boom.yaml'], statically.io)).toBe(0);
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(false);
    const c = capture(dir);
    expect(await validateCommand(['-c', 'boom.yaml', '--init'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^boom\.yaml:4:31 pipelines\[0\]\.function\.handler: init failed: Error: missing TABLE_NAME\n {4}Error: missing TABLE_NAME\n {4}at /);
    expect(existsSync(marker)).toBe(true);
  });

  it('-h prints the usage, exit 0', async () => {
    const c = capture(dir);
    expect(await validateCommand(['-h'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: tributary validate -c FILE');
  });
});

describe('tributary schema', () => {
  it('prints a JSON Schema that describes pipelines', async () => {
    const c = capture('/');
    expect(await schemaCommand([], c.io)).toBe(0);
    const schema = JSON.parse(c.out()) as Record<string, unknown>;
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema['type']).toBe('object');
    expect(schema['required']).toEqual(['pipelines']);
    expect(schema['additionalProperties']).toBe(false);
    expect(Object.keys(schema['properties'] as object)).toEqual(
      expect.arrayContaining(['server', 'checkpoints', 'shutdownTimeoutSeconds', 'logLevel', 'pipelines']),
    );
    expect(c.out()).toContain('"batchSize"');
    expect(c.out()).not.toContain('in-process');
  });

  it('--help prints the usage; unknown options are usage errors', async () => {
    const help = capture('/');
    expect(await schemaCommand(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('Usage: tributary schema');
    const bad = capture('/');
    expect(await schemaCommand(['extra'], bad.io)).toBe(2);
  });
});
