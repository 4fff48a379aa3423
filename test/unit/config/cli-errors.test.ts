/**
 * What `validate` and `run` print for content errors (issue 19): `file:line:column` on every line, no stack
 * trace, and exit 2 for anything wrong with the file (0 when valid).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/commands/run.js';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import type { CliIo } from '../../../src/cli/io.js';

const FILES: Record<string, string | Buffer> = {
  'cyclic.yaml': 'pipelines: &l [*l]\n',
  'two.yaml': 'pipelines: []\n---\npipelines: []\n',
  'binary.yaml': Buffer.from([0x70, 0x69, 0x70, 0x65, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]),
  'nul.yaml': 'pipelines:\n  - name: a\0b\n',
  'utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('pipelines: []\n', 'utf16le')]),
  'huge.yaml': `pipelines: []\n#${'x'.repeat(2 * 1024 * 1024)}\n`,
  'host.yaml': `server: { host: "🐟" }\npipelines:\n  - { name: a, source: { type: kinesis, streamName: s }, function: { type: module, handler: ./h.handler }, startingPosition: LATEST }\n`,
};

const EXPECTED: Record<string, RegExp> = {
  'cyclic.yaml': /^cyclic\.yaml:1:16 pipelines\[0\]: refers back to pipelines \(a circular reference/,
  'two.yaml': /^two\.yaml:2:1 the file holds 2 YAML documents; Tributary reads one/,
  'binary.yaml': /^binary\.yaml:2:1 not a UTF-8 text file \(byte 0x89/,
  'nul.yaml': /^nul\.yaml:2:12 not a text file \(NUL byte/,
  'utf16.yaml': /^utf16\.yaml:1:1 the file is UTF-16 text; save it as UTF-8/,
  'huge.yaml': /^huge\.yaml:1:1 the file is 2,097,168 bytes; a configuration file holds at most 1,048,576 bytes \(1 MiB\)/,
  'host.yaml': /^host\.yaml:1:11 server\.host: must be a host name or an IP address/,
};

function capture(cwd: string): { io: CliIo; out: () => string } {
  let out = '';
  return { io: { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd }, out: () => out };
}

describe('content errors in validate and run', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tributary-cli-errors-'));
    for (const [name, content] of Object.entries(FILES)) await writeFile(join(dir, name), content);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(Object.keys(FILES))('%s: validate exits 2 with one positioned line', async (name) => {
    const c = capture(dir);
    expect(await validateCommand(['-c', name], c.io)).toBe(2);
    expect(c.out()).toMatch(EXPECTED[name] ?? /never/);
    expect(c.out().trimEnd().split('\n')).toHaveLength(1);
    expect(c.out()).not.toMatch(/\n\s+at |Error:|Maximum call stack|parseAllDocuments/);
  });

  it.each(Object.keys(FILES))('%s: run exits 2 with the same line', async (name) => {
    const c = capture(dir);
    const run = runCommand({ once: () => undefined }, () => undefined);
    expect(await run(['-c', name], c.io)).toBe(2);
    expect(c.out()).toMatch(EXPECTED[name] ?? /never/);
  });

  it('a missing file or a directory: run exits 2 as validate does', async () => {
    for (const name of ['nope.yaml', '.']) {
      const v = capture(dir);
      expect(await validateCommand(['-c', name], v.io)).toBe(2);
      const r = capture(dir);
      expect(await runCommand({ once: () => undefined }, () => undefined)(['-c', name], r.io)).toBe(2);
      expect(r.out()).toBe(v.out());
    }
    const c = capture(dir);
    await validateCommand(['-c', '.'], c.io);
    expect(c.out()).toBe('configuration file . cannot be read: it is a directory\n');
  });

  it('an endless device is read only up to the limit', async () => {
    const c = capture(dir);
    expect(await validateCommand(['-c', '/dev/zero'], c.io)).toBe(2);
    expect(c.out()).toMatch(/^\/dev\/zero:1:1 the file holds more than 1,048,576 bytes/);
  });
});
