/**
 * The config fuzz campaign: cases from `cases.ts`, each validated in-process through the real `validate`
 * command (and `run` when invalid), a sample also through the built CLI as a child process whose peak RSS
 * is measured; every outcome checked by `oracle.ts`. Used by the bounded test in `npm test`
 * (test/unit/config/config-fuzz.test.ts) and by `npm run fuzz:config` (cli.ts), which pass the commands in.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUZZ_ENV, fuzzCase, loadBases, type FuzzCase } from './cases.ts';
import { violations, type Outcome } from './oracle.ts';

/** A CLI command as `src/cli/io.ts` defines it (passed in: from the sources or from dist). */
export type Command = (argv: readonly string[], io: { stdout: (t: string) => void; stderr: (t: string) => void; env: Readonly<Record<string, string | undefined>>; cwd: string }) => Promise<number>;

export interface CampaignOptions {
  readonly seed: number;
  readonly iterations: number;
  /** Every n-th case also runs through the built CLI (0: none). */
  readonly childEvery: number;
  /** How many cases near the size budget (seconds each) to generate at most; each also runs through the CLI. */
  readonly maxHeavy: number;
  readonly validate: Command;
  readonly run: Command;
  /** The built CLI, `dist/src/cli/main.js`. */
  readonly cli: string;
  /** Peak RSS a child may add over the unmutated configuration's, in MB. */
  readonly maxRssGrowthMb: number;
  readonly workDir: string;
  readonly configDir: string;
  readonly log?: (line: string) => void;
}

/** A line of validate's handler check (src/runner/handler-check): about a function's `handler` field. */
const HANDLER_LINE = /^\S+:\d+:\d+ \S*\.handler: /;

export interface Failure {
  readonly index: number;
  readonly where: 'in-process' | 'run' | 'child';
  readonly description: string;
  readonly problems: readonly string[];
  readonly output: string;
  readonly file: string;
}

export interface CampaignReport {
  readonly seed: number;
  readonly cases: number;
  readonly valid: number;
  readonly invalid: number;
  readonly children: number;
  readonly baselineRssMb: number;
  readonly maxRssGrowthMb: number;
  readonly failures: readonly Failure[];
}

const PROBE = fileURLToPath(new URL('./rss-probe.ts', import.meta.url));
const FILE = 'fuzz.yaml';

async function inProcess(command: Command, dir: string): Promise<Outcome> {
  let output = '';
  const sink = (text: string): void => {
    output += text;
  };
  try {
    const exitCode = await command(['-c', FILE], { stdout: sink, stderr: sink, env: FUZZ_ENV, cwd: dir });
    return { exitCode, output };
  } catch (error) {
    // What the CLI's top level would do with it: exit 1 with the message.
    return { exitCode: 1, output: `${output}threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n` };
  }
}

/** The built CLI on the file, with its peak RSS in MB (from the probe preloaded into the child). */
async function child(cli: string, dir: string): Promise<Outcome & { readonly rssMb: number | null }> {
  const probe = join(dir, 'probe.json');
  await rm(probe, { force: true });
  const proc = spawn(process.execPath, ['--import', PROBE, cli, 'validate', '-c', FILE], {
    cwd: dir,
    env: { ...FUZZ_ENV, PATH: process.env['PATH'] ?? '', TRIBUTARY_FUZZ_PROBE: probe },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exitCode = await new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const measured = existsSync(probe) ? (JSON.parse(await readFile(probe, 'utf8')) as { maxRssKb: number }) : null;
  return { exitCode, output, rssMb: measured === null ? null : measured.maxRssKb / 1024 };
}

function describeCase(c: FuzzCase): string {
  return `#${c.index} ${c.family} of ${c.base}: ${c.description}`;
}

/** Run the campaign; failures are collected, not thrown. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const log = options.log ?? (() => undefined);
  const bases = loadBases(options.configDir);
  const dir = join(options.workDir, `fuzz-${options.seed}`);
  await mkdir(dir, { recursive: true });
  // The examples' handlers, so that a check of handler files (when validate has one) sees them.
  const handlers = join(options.configDir, 'handlers');
  if (existsSync(handlers)) await cp(handlers, join(dir, 'handlers'), { recursive: true });
  const path = join(dir, FILE);
  const failures: Failure[] = [];
  let valid = 0;
  let invalid = 0;
  let children = 0;
  let maxGrowth = 0;
  let heavy = 0;

  // The baseline: the first example as it is, through the child. It must be valid.
  const [baseName, baseText] = [...bases.entries()][0] ?? ['', ''];
  await writeFile(path, baseText);
  const baseline = options.childEvery > 0 ? await child(options.cli, dir) : null;
  if (baseline !== null && (baseline.exitCode !== 0 || baseline.rssMb === null)) {
    failures.push({ index: -1, where: 'child', description: `baseline ${baseName}`, problems: ['the unmutated example is not valid or was not measured'], output: baseline.output, file: path });
  }
  const baselineRss = baseline?.rssMb ?? 0;

  for (let index = 0; index < options.iterations; index += 1) {
    const c = fuzzCase(options.seed, index, bases, heavy < options.maxHeavy);
    if (c.heavy) heavy += 1;
    await writeFile(path, c.content);
    const record = (where: Failure['where'], outcome: Outcome, extra: readonly string[] = []): void => {
      const problems = [...violations(outcome, FILE, c.secrets), ...extra];
      if (problems.length > 0) failures.push({ index, where, description: describeCase(c), problems, output: outcome.output.slice(0, 2000), file: path });
    };
    const validated = await inProcess(options.validate, dir);
    record('in-process', validated);
    if (validated.exitCode === 0) valid += 1;
    else invalid += 1;
    if (validated.exitCode === 2) {
      // `run` loads the file the same way and must refuse it the same way (it never starts on an invalid file) —
      // unless only validate's handler checks failed: `run` then starts (and is told to stop at once), and that
      // pipeline goes Failed with the function's init error instead (one broken function never stops the others).
      const ran = await inProcess(options.run, dir);
      const handlerOnly = ran.exitCode === 0 && validated.output.split('\n').every((line) => line === '' || line.startsWith('warning: ') || HANDLER_LINE.test(line));
      if (!handlerOnly) record('run', ran, ran.exitCode === 2 && ran.output === validated.output ? [] : ['run did not print what validate printed with exit 2']);
    }
    if (options.childEvery > 0 && (index % options.childEvery === 0 || c.heavy)) {
      const outcome = await child(options.cli, dir);
      children += 1;
      const growth = outcome.rssMb === null ? Infinity : outcome.rssMb - baselineRss;
      maxGrowth = Math.max(maxGrowth, growth);
      record('child', outcome, [
        ...(growth > options.maxRssGrowthMb ? [`peak RSS ${outcome.rssMb?.toFixed(0) ?? '?'} MB, ${growth.toFixed(0)} MB over the baseline (bound ${options.maxRssGrowthMb})`] : []),
        ...(outcome.exitCode === validated.exitCode ? [] : [`the CLI exited ${String(outcome.exitCode)}, in-process ${validated.exitCode}`]),
      ]);
    }
    if ((index + 1) % 500 === 0) log(`${index + 1}/${options.iterations} cases, ${failures.length} failures`);
    if (failures.length > 0 && failures.at(-1)?.index === index) {
      // Keep the failing input for reproduction.
      await writeFile(join(dir, `failure-${index}.yaml`), c.content);
    }
  }
  return { seed: options.seed, cases: options.iterations, valid, invalid, children, baselineRssMb: baselineRss, maxRssGrowthMb: maxGrowth, failures };
}

/** The report as text: counts, and each failure with the seed to reproduce it. */
export function formatReport(report: CampaignReport): string {
  const head = `config fuzz, seed ${report.seed}: ${report.cases} cases (${report.valid} valid, ${report.invalid} invalid), ${report.children} through the CLI; ` +
    `baseline RSS ${report.baselineRssMb.toFixed(0)} MB, largest growth ${report.maxRssGrowthMb.toFixed(0)} MB; ${report.failures.length} failures`;
  const details = report.failures.slice(0, 20).map((f) => `  [${f.where}] ${f.description}\n    ${f.problems.join('\n    ')}\n    output: ${JSON.stringify(f.output.slice(0, 300))}\n    input kept: ${f.file.replace(/fuzz\.yaml$/, `failure-${f.index}.yaml`)}`);
  const rerun = report.failures.length === 0 ? [] : [`reproduce: CONFIG_FUZZ_SEED=${report.seed} npx vitest run test/unit/config/config-fuzz.test.ts  (or npm run fuzz:config -- --seed ${report.seed})`];
  return [head, ...details, ...rerun].join('\n');
}
