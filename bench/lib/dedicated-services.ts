/**
 * Services of the bench's own, on its own ports (21400-21499, or BENCH_PORT_BASE…+99 when several benches share the
 * machine), for what must not load the shared ones: a
 * kinesis-local that holds 1,000-shard streams (SHARD_LIMIT raised) and a Kafka broker for 1,000-partition topics. Both
 * are plain children of the bench process, stopped by their pid at the end (and killed if the bench dies).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR, runToLog, sleep, tail } from '../../test/services/common.ts';
import type { LaunchSpec } from '../../test/services/common.ts';
import { readEndpoints } from '../../test/services/endpoints.ts';
import { fetchKafkaJars, kafkaBrokerCommand, kafkaFormatCommand, kafkaServerProperties, probeKafka } from '../../test/services/kafka.ts';
import { createKinesisLocalService } from '../../test/services/kinesis-local.ts';

const BASE = Number(process.env['BENCH_PORT_BASE'] ?? '21400');
export const BENCH_PORTS = { kinesis: BASE + 10, kinesisTls: BASE + 11, kinesisProxy: BASE + 12, kafka: BASE + 20, kafkaController: BASE + 21 } as const;

export interface Dedicated {
  readonly endpoint: string;
  stop(): Promise<void>;
}

function launch(spec: LaunchSpec, log: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: { ...process.env, ...spec.env, ...env }, stdio: ['ignore', fd, fd] });
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    return child;
  } finally {
    closeSync(fd);
  }
}

async function waitReady(child: ChildProcess, probe: () => Promise<void>, log: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt yet';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited before it was ready (last probe: ${last})\n${tail(log)}`);
    try {
      await probe();
      return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms (${last})\n${tail(log)}`);
    await sleep(250);
  }
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)])) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** kinesis-local on BENCH_PORTS.kinesis with room for `shardLimit` shards. */
export async function startKinesisLocal(shardLimit: number): Promise<Dedicated> {
  const endpoints = readEndpoints({ TRIBUTARY_TEST_KINESIS_ENDPOINT: `http://127.0.0.1:${BENCH_PORTS.kinesis}`, TRIBUTARY_TEST_KINESIS_TLS_PORT: String(BENCH_PORTS.kinesisTls) });
  const definition = createKinesisLocalService(endpoints);
  mkdirSync(RUN_DIR, { recursive: true });
  const log = join(RUN_DIR, 'bench-kinesis-local.log');
  writeFileSync(log, `# ${new Date().toISOString()} bench kinesis-local, SHARD_LIMIT ${shardLimit}\n`);
  const spec = await definition.prepare(log);
  const args = spec.args.map((a) => (a.startsWith('--max-old-space-size=') ? '--max-old-space-size=2048' : a));
  const child = launch({ ...spec, args }, log, { SHARD_LIMIT: String(shardLimit), LOG_LEVEL: 'WARN' });
  await waitReady(child, () => definition.probe(), log, 60_000, 'bench kinesis-local');
  return { endpoint: endpoints.kinesis, stop: () => stopChild(child, 5_000) };
}

/** A single-node KRaft broker on BENCH_PORTS.kafka, its own data directory, deleted on stop. */
export async function startKafka(log: (line: string) => void): Promise<Dedicated> {
  await fetchKafkaJars(log);
  const dir = join(RUN_DIR, 'bench-kafka');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const properties = join(dir, 'server.properties');
  const logFile = join(dir, 'kafka.log');
  writeFileSync(properties, kafkaServerProperties({ host: '127.0.0.1', port: BENCH_PORTS.kafka, controllerPort: BENCH_PORTS.kafkaController, dataDir: join(dir, 'data') }));
  writeFileSync(logFile, `# ${new Date().toISOString()} bench Kafka\n`);
  await runToLog(kafkaFormatCommand(properties, false), logFile, 60_000, 'Kafka storage format (bench broker)');
  const env: NodeJS.ProcessEnv = {};
  const child = launch(kafkaBrokerCommand(properties), logFile, env);
  const brokers = [`127.0.0.1:${BENCH_PORTS.kafka}`];
  await waitReady(child, () => probeKafka(brokers), logFile, 90_000, 'bench Kafka broker');
  return {
    endpoint: brokers[0] ?? '',
    stop: async () => {
      await stopChild(child, 15_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
