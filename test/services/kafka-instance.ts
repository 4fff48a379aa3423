// A dedicated single-node KRaft broker for one test that must stop and restart a broker (the shared one
// formats a fresh data directory on every start and other test files use it). Own free ports (PLAINTEXT and
// CONTROLLER on 127.0.0.1), own data directory under .infra/run/kafka-restart-<pid>/, formatted once, so
// topics and committed offsets survive stop() + start(). The JVM is a plain (non-detached) child of the test
// process: Ctrl-C reaches it too, and it is SIGKILLed if the test process exits without destroy().

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RUN_DIR, REPO_ROOT, errorMessage, sleep, tail, runToLog, withTimeout } from './common.ts';
import { fetchKafkaJars, kafkaBrokerCommand, kafkaFormatCommand, kafkaServerProperties, probeKafka, type KafkaMtlsListener } from './kafka.ts';

const HOST = '127.0.0.1';
const POLL_INTERVAL_MS = 250;
const PROBE_TIMEOUT_MS = 5_000;

export interface KafkaInstanceOptions {
  /** From launch to a successful `describeCluster()` (default 60 s). */
  readonly readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace of stop() (default 15 s). */
  readonly stopGraceMs?: number;
  /** Fixed ports (a test's own port range) instead of ports the OS picks. */
  readonly ports?: { readonly port: number; readonly controllerPort: number };
  /** Also serve an SSL listener that requires client certificates (see `KafkaMtlsListener`). */
  readonly mtls?: KafkaMtlsListener;
  /** Folder name under .infra/run/ (default `kafka-restart-<pid>`). */
  readonly name?: string;
}

export interface KafkaInstance {
  /** `127.0.0.1:<port>` of the PLAINTEXT listener. */
  readonly brokers: readonly string[];
  readonly dir: string;
  readonly log: string;
  /** Starts the broker on the same ports and data (no format); resolves once it answers. */
  start(): Promise<void>;
  /** SIGTERM, wait for the exit, SIGKILL after the grace period. No-op when not running. */
  stop(): Promise<'stopped' | 'killed' | 'not-running'>;
  /** stop() and delete the directory. */
  destroy(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; it is released before the broker binds it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Fetches the jars if needed, writes the config, formats the data directory and starts the broker. */
export async function startKafkaInstance(options: KafkaInstanceOptions = {}): Promise<KafkaInstance> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 15_000;
  await fetchKafkaJars((line) => process.stderr.write(`[kafka-instance] ${line}\n`));

  const dir = join(RUN_DIR, options.name ?? `kafka-restart-${process.pid}`);
  const dataDir = join(dir, 'data');
  const properties = join(dir, 'server.properties');
  const log = join(dir, 'kafka.log');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const { port, controllerPort } = options.ports ?? { port: await freePort(), controllerPort: await freePort() };
  writeFileSync(properties, kafkaServerProperties({ host: HOST, port, controllerPort, dataDir, ...(options.mtls === undefined ? {} : { mtls: options.mtls }) }));
  writeFileSync(log, `# ${new Date().toISOString()} format ${dataDir}\n`);
  await runToLog(kafkaFormatCommand(properties, false), log, 60_000, 'Kafka storage format (dedicated broker)');
  const brokers = [`${HOST}:${port}`];

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let exitReason: string | undefined;
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };

  async function waitReady(): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    let lastError = 'no attempt yet';
    for (;;) {
      if (exitReason !== undefined) {
        throw new Error(`dedicated Kafka broker exited before it was ready (${exitReason}); last probe error: ${lastError}\n${tail(log)}`);
      }
      try {
        await withTimeout(probeKafka(brokers), PROBE_TIMEOUT_MS, 'Kafka probe');
        return;
      } catch (err) {
        lastError = errorMessage(err);
      }
      if (Date.now() >= deadline) {
        throw new Error(`dedicated Kafka broker did not answer on ${brokers.join(',')} within ${readyTimeoutMs} ms; last probe error: ${lastError}\n${tail(log)}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  async function stop(): Promise<'stopped' | 'killed' | 'not-running'> {
    const running = child;
    if (running === null) return 'not-running';
    let outcome: 'stopped' | 'killed' = 'stopped';
    if (exitReason === undefined) {
      running.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(stopGraceMs).then(() => true)]);
      if (timedOut) {
        outcome = 'killed';
        running.kill('SIGKILL');
        await exited;
      }
    }
    child = null;
    process.off('exit', killOnExit);
    return outcome;
  }

  async function start(): Promise<void> {
    if (child !== null) throw new Error('the dedicated Kafka broker is already running');
    const spec = kafkaBrokerCommand(properties);
    const fd = openSync(log, 'a');
    let launched: ChildProcess;
    try {
      writeFileSync(fd, `# ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env['NODE_OPTIONS'];
      launched = spawn(spec.command, [...spec.args], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    child = launched;
    exitReason = undefined;
    exited = new Promise<void>((resolve) => {
      launched.once('exit', (code, signal) => {
        exitReason = signal !== null ? `killed by ${signal}` : `exit code ${code ?? '?'}`;
        resolve();
      });
      launched.once('error', (err) => {
        exitReason = `cannot run ${spec.command}: ${err.message}`;
        resolve();
      });
    });
    process.once('exit', killOnExit);
    try {
      await waitReady();
    } catch (err) {
      await stop();
      throw err;
    }
  }

  const instance: KafkaInstance = {
    brokers,
    dir,
    log,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return instance;
}
