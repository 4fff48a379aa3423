/**
 * `npm run bench`: every comparison of bench/workloads/ in one run, printed as ONE markdown table of medians and
 * ratios, with the machine and versions it ran on. `npm run bench -- --profile <case>` instead runs one contender
 * under `node --cpu-prof` and prints its top self-time functions. Options: bench/lib/args.ts, docs: bench/README.md.
 *
 * Progress goes to stderr; stdout carries only the report (table, machine), so `npm run bench > out.md` works.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureStarted, stopStarted } from '../test/services/harness.ts';
import { ArgsError, parseArgs, selected, type BenchArgs } from './lib/args.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { profileCase } from './lib/profile-run.ts';
import { runCase, type CaseResult } from './lib/runner.ts';
import { renderTable } from './lib/table.ts';
import { assertBuilt } from './lib/tributary.ts';
import type { BenchOptions, CaseSpec, Workload } from './lib/types.ts';
import { WORKLOADS } from './workloads/index.ts';

const RESULTS_DIR = fileURLToPath(new URL('./.results/', import.meta.url));

const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

function pendingRow(workload: Workload): CaseResult {
  return { id: workload.id, title: workload.title ?? workload.id, show: [], ratio: null, contenders: [], pending: workload.pending ?? '', rounds: 0 };
}

async function withServices<T>(workloads: readonly Workload[], fn: () => Promise<T>): Promise<T> {
  const names = [...new Set(workloads.filter((w) => w.pending === undefined).flatMap((w) => w.services))];
  const services = names.length === 0 ? { started: [] } : await ensureStarted(names, { log });
  try {
    return await fn();
  } finally {
    // Only what this run started (the shared services of the machine are never stopped).
    await stopStarted(services.started);
  }
}

async function runAll(args: BenchArgs, options: BenchOptions, workloads: readonly Workload[]): Promise<void> {
  const loadAtStart = loadAverage();
  const rows: CaseResult[] = [];
  await withServices(workloads, async () => {
    for (const workload of workloads) {
      if (workload.pending !== undefined) {
        rows.push(pendingRow(workload));
        continue;
      }
      try {
        const cases: readonly CaseSpec[] = (await workload.prepare(options)).filter((c) => selected(args.only, workload.id) || selected(args.only, c.id));
        for (const spec of cases) rows.push(await runCase(spec, options));
      } catch (error) {
        log(`${workload.id}: FAILED ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        rows.push({ ...pendingRow(workload), pending: `the workload failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        await workload.cleanup?.().catch((error: unknown) => log(`${workload.id}: clean-up failed: ${String(error)}`));
      }
    }
  });
  const mode = args.quick ? 'QUICK MODE (tiny sizes: proves the harness works, not a measurement)' : `median of ${options.rounds} rounds`;
  const report = [
    `## Tributary benchmark — ${new Date().toISOString()}, ${mode}`,
    '',
    renderTable(rows, options.rounds),
    '',
    ...describeMachine(loadAtStart).map((line) => `${line}  `),
    'Each contender runs in its own child process (CPU and peak RSS are its own); rounds interleave the contenders in rotated order. ' +
      'Throughput counts from the first handled record to the last; CPU from start() to the last record; peak RSS is the process maximum.',
    '',
  ].join('\n');
  process.stdout.write(report);
  const jsonPath = resolve(args.json ?? `${RESULTS_DIR}latest.json`);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify({ at: new Date().toISOString(), quick: args.quick, rounds: options.rounds, rows }, null, 2)}\n`);
  log(`raw rounds written to ${jsonPath}`);
}

function listWorkloads(): void {
  for (const w of WORKLOADS) process.stdout.write(`${w.id}${w.pending === undefined ? '' : ` (pending: ${w.pending})`}\n`);
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  if (args.list) {
    listWorkloads();
    return 0;
  }
  assertBuilt();
  const options: BenchOptions = { quick: args.quick, rounds: args.rounds, log };
  if (args.profile !== null) {
    const profile = args.profile;
    const workloads = WORKLOADS.filter((w) => selected([profile], w.id) || profile.startsWith(w.id));
    await withServices(workloads, () => profileCase(workloads, profile, args.contender, args.top, options, RESULTS_DIR));
    return 0;
  }
  const workloads = WORKLOADS.filter((w) => args.only.length === 0 || args.only.some((o) => w.id.startsWith(o) || o.startsWith(w.id)));
  if (workloads.length === 0) {
    process.stderr.write(`bench: --only ${args.only.join(',')} selects no workload (see --list)\n`);
    return 2;
  }
  await runAll(args, options, workloads);
  return 0;
}

process.exitCode = await main();
// SDK keep-alive sockets and kafkajs timers must not keep a finished run alive.
process.exit();
