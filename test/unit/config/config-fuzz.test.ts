/**
 * The bounded config fuzz (issue 19), part of `npm test`: mutations of every `config/*.yaml` through the real
 * `validate` (and `run`) code in-process, a sample through the built CLI with its peak RSS measured. Any
 * exit other than 0 / 2, a stack trace, a line without `file:line:column`, an echoed secret or a child that
 * grows past the memory bound fails, printing the seed. A different seed each run, a fixed one under CI=true (set CONFIG_FUZZ_SEED to
 * replay one); the unbounded campaign is `npm run fuzz:config -- --iterations 20000`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/commands/run.js';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import { formatReport, runCampaign } from '../../fuzz/config/campaign.ts';
import { fuzzCase, loadBases } from '../../fuzz/config/cases.ts';
import { violations } from '../../fuzz/config/oracle.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
// CI runs one fixed seed, so a commit lands or not on its own merits; every other run explores a new one.
const FIXED_CI_SEED = 20261202;
const seed =
  process.env['CONFIG_FUZZ_SEED'] !== undefined
    ? Number(process.env['CONFIG_FUZZ_SEED'])
    : process.env['CI'] === 'true'
      ? FIXED_CI_SEED
      : Math.floor(Math.random() * 2 ** 31);

/** `run` on a file it accepts is told to stop as soon as it listens for signals: the fuzz never waits on a service. */
const STOP_AT_ONCE = { once: (_signal: string, listener: () => void) => setImmediate(listener) };

describe('config fuzz (bounded)', () => {
  let workDir = '';
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'tributary-config-fuzz-'));
    // `npm test` builds before the unit tests; a bare `vitest run` builds here so the CLI sample is never missing.
    if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
  }, 180_000);
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  }, 60_000);

  it(`mutations of config/*.yaml: exit 0 or 2, positioned, no stack, no secret, bounded memory (seed ${seed})`, { timeout: 120_000 }, async () => {
    const report = await runCampaign({
      seed,
      iterations: 400,
      childEvery: 40,
      maxHeavy: 2,
      validate: validateCommand,
      run: runCommand(STOP_AT_ONCE, () => undefined),
      cli: CLI,
      maxRssGrowthMb: 384,
      workDir,
      configDir: join(ROOT, 'config'),
    });
    expect(report.failures, formatReport(report)).toEqual([]);
    expect(report.children).toBeGreaterThanOrEqual(10);
    // The campaign is not vacuous: both outcomes occur.
    expect(report.valid).toBeGreaterThan(0);
    expect(report.invalid).toBeGreaterThan(report.cases / 2);
  });

  it('the oracle catches each kind of bad outcome', () => {
    const ok = (output: string, exitCode = 2): string[] => violations({ exitCode, output }, 'f.yaml', ['80085123']);
    expect(ok('f.yaml: ok (1 pipeline)\n', 0)).toEqual([]);
    expect(ok('f.yaml:3:5 pipelines[0].batchSize: must be between 1 and 10000 (got 20000)\n')).toEqual([]);
    expect(ok('f.yaml:1:1 x\n', 1)).toEqual([expect.stringContaining('exit code 1')]);
    expect(ok('tributary: Maximum call stack size exceeded\n')).toEqual(expect.arrayContaining([expect.stringContaining('stack'), expect.stringContaining('without file:line:column')]));
    expect(ok('f.yaml:1:1 bad\n    at walk (src/config/interpolate.ts:77:9)\n')).toHaveLength(2);
    expect(ok('f.yaml:9:9 sasl.password: expected a string (got 80085123)\n')).toEqual([expect.stringContaining('secret 80085123 echoed')]);
    expect(ok('f.yaml:1:1 invalid YAML: \u0000\n')).toEqual([expect.stringContaining('raw character U+0000')]);
    expect(ok('f.yaml:1:1 x \u{E000}a\u{E001}b\u{E002}\n')).toEqual([expect.stringContaining('raw character U+e000')]);
    expect(ok('f.yaml: ok (1 pipeline)\nmore\n', 0)).toEqual([expect.stringContaining('without one ok line')]);
    expect(ok('warning: f.yaml:4:5 pipelines[0].x: accepted, ignored\nf.yaml: ok (1 pipeline)\n', 0)).toEqual([]);
    expect(ok('warning: no position\nf.yaml: ok (1 pipeline)\n', 0)).toEqual([expect.stringContaining('without one ok line')]);
  });

  it('the cases cover every family, plant secrets, and reproduce from the seed', () => {
    const bases = loadBases(join(ROOT, 'config'));
    expect([...bases.keys()]).toEqual(['dynamodb-streams.yaml', 'kafka.yaml', 'kinesis.yaml', 'sqs.yaml']);
    const cases = Array.from({ length: 160 }, (_, i) => fuzzCase(seed, i, bases, false));
    expect(new Set(cases.map((c) => c.family))).toEqual(new Set(['structure', 'text', 'hostile']));
    expect(new Set(cases.map((c) => c.base)).size).toBe(4);
    const planted = cases.filter((c) => c.secrets.length > 2);
    expect(planted.length).toBeGreaterThan(10);
    // Later mutations may delete or overwrite a planted secret; most survive into the file.
    const kept = planted.filter((c) => c.secrets.slice(2).some((secret) => String(c.content).includes(secret)));
    expect(kept.length).toBeGreaterThan(planted.length / 2);
    expect(fuzzCase(seed, 17, bases, false)).toEqual(fuzzCase(seed, 17, bases, false));
  });
});
