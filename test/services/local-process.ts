// A service process one test file starts for itself (moto, Apicurio Registry): on a port of a fixed range on
// 127.0.0.1, in its own process group with stdout+stderr in a log file, ready once a real protocol round trip
// succeeds, stopped by the test file (SIGTERM to the group, SIGKILL after a grace period) and SIGKILLed if the test
// process exits without stopping it. Not part of the shared harness (harness.ts): each file gets its own instance.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage, isPortOpen, killGroup, sleep, tail, withTimeout } from './common.ts';
import type { LaunchSpec } from './common.ts';

const HOST = '127.0.0.1';
const PROBE_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 250;

/** The first port of `[from, to]` nothing listens on (the service binds it a moment later). */
export async function freePortInRange(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) if (!(await isPortOpen(HOST, port, 300))) return port;
  throw new Error(`no free port on ${HOST} between ${from} and ${to}`);
}

export interface LocalProcessOptions {
  /** What the service is, for messages (e.g. `moto 5.2.5`). */
  readonly label: string;
  readonly spec: LaunchSpec;
  readonly logPath: string;
  /** A real protocol round trip; resolves once the service answers. */
  readonly probe: () => Promise<void>;
  readonly readyTimeoutMs: number;
  readonly stopGraceMs?: number;
}

export interface LocalProcess {
  readonly pid: number;
  readonly logPath: string;
  logTail(): string;
  /** SIGTERM to the process group, SIGKILL after the grace period; idempotent. */
  stop(): Promise<void>;
}

/** Starts the process and waits until `probe` succeeds; on failure the group is killed and the error has the log tail. */
export async function startLocalProcess(options: LocalProcessOptions): Promise<LocalProcess> {
  mkdirSync(dirname(options.logPath), { recursive: true });
  const fd = openSync(options.logPath, 'w');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.spec.env };
  delete env['NODE_OPTIONS'];
  let child;
  try {
    writeFileSync(fd, `# ${new Date().toISOString()} ${options.spec.command} ${options.spec.args.join(' ')}\n`);
    child = spawn(options.spec.command, [...options.spec.args], { cwd: options.spec.cwd, env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${options.label} (${options.spec.command})\n${tail(options.logPath)}`);
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = signal !== null ? `killed by ${signal}` : `exit code ${code ?? '?'}`));
  child.once('error', (error) => (exited = `cannot run ${options.spec.command}: ${error.message}`));
  const killOnExit = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      await killGroup(pid, options.stopGraceMs ?? 5_000).catch(() => undefined);
    })();
    return stopped;
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  let lastError = 'no attempt yet';
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`${options.label} exited before it was ready (${exited}); last probe error: ${lastError}\n${tail(options.logPath)}`);
    }
    try {
      await withTimeout(options.probe(), PROBE_TIMEOUT_MS, `${options.label} probe`);
      break;
    } catch (error) {
      lastError = errorMessage(error);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.label} did not answer within ${options.readyTimeoutMs} ms; last probe error: ${lastError}\n${tail(options.logPath)}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  return { pid, logPath: options.logPath, logTail: () => tail(options.logPath), stop };
}
