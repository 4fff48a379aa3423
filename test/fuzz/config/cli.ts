/**
 * `npm run fuzz:config -- --iterations 20000 [--seed N] [--child-every 50] [--no-heavy]`: the unbounded config
 * fuzz. Builds first (npm script), then validates every case in-process with the built commands and a sample
 * through the built CLI. Prints the report; exits 1 on any failure (the inputs are kept in the work folder).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatReport, runCampaign, type Command } from './campaign.ts';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    'child-every': { type: 'string', default: '50' },
    'no-heavy': { type: 'boolean', default: false },
    'max-rss-growth-mb': { type: 'string', default: '384' },
  },
});

const root = new URL('../../../', import.meta.url);
const cli = fileURLToPath(new URL('dist/src/cli/main.js', root));
// Node runs this file directly and cannot resolve the sources' `.js` specifiers to `.ts`: the built commands.
const { validateCommand } = (await import(new URL('dist/src/cli/commands/validate.js', root).href)) as { validateCommand: Command };
/** `run` on a file it accepts is told to stop as soon as it listens for signals: the fuzz never waits on a service. */
const STOP_AT_ONCE = { once: (_signal: string, listener: () => void) => setImmediate(listener) };
const { runCommand } = (await import(new URL('dist/src/cli/commands/run.js', root).href)) as { runCommand: (signals: unknown, exit: unknown) => Command };

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const workDir = await mkdtemp(join(tmpdir(), 'tributary-config-fuzz-'));
process.stdout.write(`config fuzz: seed ${seed}, ${values.iterations} cases, inputs in ${workDir}\n`);
const report = await runCampaign({
  seed,
  iterations: Number(values.iterations),
  childEvery: Number(values['child-every']),
  maxHeavy: values['no-heavy'] ? 0 : Infinity,
  validate: validateCommand,
  run: runCommand(STOP_AT_ONCE, () => undefined),
  cli,
  maxRssGrowthMb: Number(values['max-rss-growth-mb']),
  workDir,
  configDir: fileURLToPath(new URL('config', root)),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${formatReport(report)}\n`);
process.exitCode = report.failures.length === 0 ? 0 : 1;
