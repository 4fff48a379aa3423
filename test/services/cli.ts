// Command line of the service harness (run directly by Node 24, which strips the types):
//
//   node test/services/cli.ts start [kafka|sqs|dynamodb|kinesis …]   (npm run services:start)
//   node test/services/cli.ts stop  [names …]                           (npm run services:stop)
//   node test/services/cli.ts status                                    (npm run services:status)
//   node test/services/cli.ts fetch [names …]   only download the Maven jars into .infra/
//
// Without names, all four services. Aliases: elasticmq, dynamodb-local, ddb, kinesis-local.

import { SERVICE_ALIASES, SERVICE_NAMES, errorMessage, withRunLock } from './common.ts';
import type { ServiceName } from './common.ts';
import { endpointsToEnv, readEndpoints } from './endpoints.ts';
import { activeTestRuns, ensureStarted, guard, serviceDefinitions, status, stopStarted } from './harness.ts';

// kafkajs 2.2.4 (used by the Kafka readiness check) calls setTimeout with negative delays, which
// Node 24 reports as TimeoutNegativeWarning. Harmless (Node uses 1 ms); keep the CLI output clean.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

function usage(): never {
  process.stderr.write(
    'usage: node test/services/cli.ts start|stop|status|fetch [kafka|sqs|dynamodb|kinesis …]\n',
  );
  process.exit(2);
}

function parseNames(args: readonly string[]): ServiceName[] {
  if (args.length === 0) return [...SERVICE_NAMES];
  return args.map((arg) => {
    const name = SERVICE_ALIASES[arg.toLowerCase()];
    if (name === undefined) {
      process.stderr.write(`unknown service "${arg}"; known: ${Object.keys(SERVICE_ALIASES).join(', ')}\n`);
      process.exit(2);
    }
    return name;
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function start(names: ServiceName[]): Promise<void> {
  // Services started here belong to the user: test runs reuse them and never stop them.
  const result = await withRunLock(() => ensureStarted(names, { owner: 'user' }));
  for (const t of result.timings) {
    const detail = t.outcome === 'started'
      ? `started in ${seconds(t.totalMs)} (fetch ${seconds(t.fetchMs)}, start ${seconds(t.startMs)})`
      : 'reused';
    process.stdout.write(`${t.name.padEnd(9)} ${t.label.padEnd(28)} ${detail}\n`);
  }
  process.stdout.write(`services ready in ${seconds(result.totalMs)}\n\n`);
  for (const [k, v] of Object.entries(endpointsToEnv(result.endpoints))) process.stdout.write(`${k}=${v}\n`);
}

async function stop(names: ServiceName[]): Promise<void> {
  const runs = activeTestRuns();
  if (runs.length > 0) process.stderr.write(`note: test run(s) ${runs.join(', ')} are using the services right now\n`);
  const outcomes = await withRunLock(() => stopStarted(names, { log: () => undefined }));
  for (const name of names) process.stdout.write(`${name.padEnd(9)} ${outcomes[name] ?? 'not-running'}\n`);
}

async function showStatus(): Promise<boolean> {
  const all = await status();
  for (const s of all) {
    const state = s.answering ? 'up' : 'down';
    const owner = s.pid !== undefined
      ? `pid ${s.pid} (${s.owner === 'test-run' ? 'started by a test run, stopped when the last run ends' : 'user-owned, test runs leave it running'})`
      : s.answering ? 'not started by the harness' : '';
    process.stdout.write(`${s.name.padEnd(9)} ${state.padEnd(5)} ${s.label.padEnd(28)} ${s.endpoint.padEnd(24)} ${owner}\n`);
  }
  return all.every((s) => s.answering);
}

async function fetchOnly(names: ServiceName[]): Promise<void> {
  const defs = serviceDefinitions(readEndpoints());
  for (const name of names) {
    const t0 = performance.now();
    const downloaded = await defs[name].fetch((line) => process.stderr.write(`[services] ${line}\n`));
    process.stdout.write(`${name.padEnd(9)} ${downloaded ? `fetched in ${seconds(performance.now() - t0)}` : 'up to date'}\n`);
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'start':
      await start(parseNames(rest));
      break;
    case 'stop':
      await stop(parseNames(rest));
      break;
    case 'status':
      // Exit status 1 when something is down, so scripts can test it.
      if (!(await showStatus())) process.exitCode = 1;
      break;
    case 'fetch':
      await fetchOnly(parseNames(rest));
      break;
    case 'guard': {
      // Internal (spawned by the vitest global setup): guard <test run pid>.
      const ownerPid = Number(rest[0]);
      if (!Number.isInteger(ownerPid) || ownerPid <= 1) usage();
      await guard(ownerPid, {
        log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
      });
      break;
    }
    default:
      usage();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${errorMessage(err)}\n`);
  process.exit(1);
});
