/**
 * `npm run chaos` — the fault-injection campaign of issue 19 against the real built CLI and real services.
 *
 *   node test/chaos/cli.ts [--profile bounded|full] [--seed N] [--only sqs,kafka,…] [--cli dist/src/cli/main.js]
 *                          [--streams-at LATEST|TRIM_HORIZON] [--sequential]
 *
 * Starts its own ElasticMQ, DynamoDB Local, kinesis-local and Kafka on ports 22000-22005 (CHAOS_PORT_BASE moves
 * them; never the shared ones),
 * runs one campaign per source (three lanes at once unless --sequential: Kafka, the queues, the streams — they
 * use different services), prints one table to stdout (Markdown), the details of every failure with the seed
 * and the ledger lines that show it, and exits 1 on any failure (2 on bad arguments).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../support/seeded-random.ts';
import { REPO_ROOT } from '../services/common.ts';
import { runCampaign, type SourceReport } from './campaign.ts';
import type { SourceName } from './driver.ts';
import { renderFailure } from './failure-report.ts';
import { PROFILES, type Profile } from './profiles.ts';
import { CHAOS_DIR, chaosServices, type ChaosServiceName } from './services.ts';
import { SERVICES_OF, SOURCES, createDriver } from './sources/index.ts';
import { renderTable } from './table.ts';
import { failures, totalFaults } from './verdict.ts';

const log = (line: string): void => void process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

async function main(): Promise<number> {
  let values: { profile?: string; seed?: string; only?: string; cli?: string; 'streams-at'?: string; sequential?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        profile: { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string' },
        cli: { type: 'string' },
        'streams-at': { type: 'string' },
        sequential: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const profile: Profile | undefined = PROFILES[(values.profile ?? 'bounded') as Profile['name']];
  if (profile === undefined) {
    process.stderr.write(`unknown profile ${values.profile ?? ''} (bounded, full)\n`);
    return 2;
  }
  const seed = values.seed === undefined ? (profile.name === 'bounded' ? 19 : Date.now() % 1_000_000) : Number(values.seed);
  const only = values.only === undefined ? SOURCES : (values.only.split(',') as SourceName[]);
  const unknown = only.filter((s) => !SOURCES.includes(s));
  if (unknown.length > 0 || !Number.isInteger(seed)) {
    process.stderr.write(`unknown source ${unknown.join(', ')} (${SOURCES.join(', ')}) or bad seed\n`);
    return 2;
  }
  const streamsAt = values['streams-at'] ?? 'LATEST';
  if (streamsAt !== 'LATEST' && streamsAt !== 'TRIM_HORIZON') {
    process.stderr.write(`--streams-at must be LATEST or TRIM_HORIZON\n`);
    return 2;
  }
  const cli = resolve(values.cli ?? join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));
  if (!existsSync(cli)) {
    process.stderr.write(`${cli} is missing: run "npm run build" first\n`);
    return 2;
  }
  const replay = `node test/chaos/cli.ts --profile ${profile.name} --seed ${seed} --only ${only.join(',')} --streams-at ${streamsAt}`;
  log(`profile ${profile.name}, seed ${seed}, sources ${only.join(', ')}, CLI ${cli}`);
  const services = chaosServices();
  const needed = [...new Set(only.flatMap((s) => SERVICES_OF[s]))] as ChaosServiceName[];
  const startedAt = Date.now();
  await Promise.all(needed.map((name) => services[name].start()));
  log(`services up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${needed.join(', ')}`);
  const runId = Date.now().toString(36);
  const reports = new Map<SourceName, SourceReport>();
  const run = async (source: SourceName): Promise<void> => {
    const dir = join(CHAOS_DIR, source);
    mkdirSync(dir, { recursive: true });
    log(`${source}: campaign starts`);
    const report = await runCampaign(createDriver(source, { streamsAtLatest: streamsAt === 'LATEST' }), profile, services, { cli, dir, seed, runId, random: seededRandom(seed ^ hash(source)), log });
    reports.set(source, report);
    log(`${source}: ${failures(report).length === 0 ? 'PASS' : `FAIL (${failures(report).join('; ')})`} in ${(report.durationMs / 1000).toFixed(0)} s`);
  };
  try {
    // Three lanes on separate services: Kafka (its kills mostly wait out a session timeout), the queues, the streams.
    const lane = (names: readonly SourceName[]): SourceName[] => only.filter((s) => names.includes(s));
    const lanes = values.sequential === true ? [only] : [lane(['kafka']), lane(['sqs', 'sqs-fifo']), lane(['kinesis', 'dynamodb-streams'])];
    await Promise.all(lanes.map(async (lane) => {
      for (const source of lane) await run(source);
    }));
  } finally {
    await Promise.all(Object.values(services).map((s) => s.stop()));
  }
  const ordered = only.flatMap((s) => reports.get(s) ?? []);
  const table = renderTable(ordered);
  const details = ordered.map((r) => renderFailure(r, replay)).filter((t) => t !== '');
  const total = ordered.reduce((sum, r) => sum + totalFaults(r), 0);
  const summary = `${table}\n\nprofile ${profile.name}, seed ${seed}, ${total} faults in all, ${((Date.now() - startedAt) / 1000).toFixed(0)} s; replay: ${replay}\n`;
  writeFileSync(join(CHAOS_DIR, 'report.md'), `${summary}\n${details.join('\n\n')}\n`);
  process.stdout.write(`\n${summary}`);
  if (details.length > 0) process.stdout.write(`\n${details.join('\n\n')}\n`);
  return details.length === 0 ? 0 : 1;
}

process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
