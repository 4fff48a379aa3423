/**
 * What the numbers were measured on, printed with the table: cores, CPU model, memory, Node, load average (the
 * machine is shared: a high load explains a noisy run), the services (as the test harness labels them) and the
 * client libraries, and the Tributary commit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { serviceDefinitions } from '../../test/services/harness.ts';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    // Packages whose exports hide package.json: find it next to the entry point.
    try {
      const entry = require.resolve(name);
      const root = entry.slice(0, entry.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}/`.length);
      return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      return '?';
    }
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'connectors'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/connectors` : head;
  } catch {
    return 'unknown';
  }
}

export interface MachineInfo {
  readonly lines: string[];
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Lines describing the machine and versions; `loadAtStart` is the load average taken before the first round. */
export function describeMachine(loadAtStart: string): string[] {
  const cpu = cpus();
  const services = serviceDefinitions();
  return [
    `Machine: ${cpu.length} cores, ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; load average (1/5/15 min) ${loadAtStart} at start, ${load()} at end`,
    `Services: ${services.kafka.label}, ${services.sqs.label}, ${services.kinesis.label}; clients: kafkajs ${packageVersion('kafkajs')}, ` +
      `@platformatic/kafka ${packageVersion('@platformatic/kafka')}, @aws-sdk/client-sqs ${packageVersion('@aws-sdk/client-sqs')}, ` +
      `@aws-sdk/client-kinesis ${packageVersion('@aws-sdk/client-kinesis')}, sqs-consumer ${packageVersion('sqs-consumer')}`,
    `Tributary: commit ${gitCommit()} (dist/ as built by npm run bench)`,
  ];
}

export const loadAverage = load;
