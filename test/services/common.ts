// Shared machinery of the service harness: paths, Maven fetch with a completion marker,
// detached processes with PID files, readiness polling, stopping by process group.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServiceName = 'kafka' | 'sqs' | 'dynamodb' | 'kinesis';
export const SERVICE_NAMES: readonly ServiceName[] = ['kafka', 'sqs', 'dynamodb', 'kinesis'];

/** Other names accepted on the command line. */
export const SERVICE_ALIASES: Readonly<Record<string, ServiceName>> = {
  kafka: 'kafka',
  sqs: 'sqs',
  elasticmq: 'sqs',
  dynamodb: 'dynamodb',
  ddb: 'dynamodb',
  'dynamodb-local': 'dynamodb',
  kinesis: 'kinesis',
  'kinesis-local': 'kinesis',
};

export const SERVICES_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(SERVICES_DIR, '..', '..');
/** Git-ignored cache: .infra/<artifact-set>/lib holds the Maven-fetched jars. */
export const INFRA_DIR = join(REPO_ROOT, '.infra');
/** PID files, logs, generated configs and data of running services. */
export const RUN_DIR = join(INFRA_DIR, 'run');

export const pidFile = (name: ServiceName): string => join(RUN_DIR, `${name}.pid`);
export const logFile = (name: ServiceName): string => join(RUN_DIR, `${name}.log`);

/** Cold start budget per service, from process launch to a successful protocol round trip. */
export const DEFAULT_READY_TIMEOUT_MS = 90_000;
const MAVEN_TIMEOUT_MS = 15 * 60_000;
const LOG_TAIL_LINES = 40;

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to (or, with value undefined, removed from) the inherited environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

export interface ServiceDefinition {
  readonly name: ServiceName;
  /** Product and version, for messages. */
  readonly label: string;
  /** What clients connect to. */
  readonly endpoint: string;
  /** Host the service binds (must be loopback for the harness to start it). */
  readonly host: string;
  /** Every port the process binds; a port taken by something else stops the start early. */
  readonly ports: readonly number[];
  /** Substring of /proc/<pid>/cmdline that identifies our process (guards against PID reuse). */
  readonly cmdlineMarker: string;
  /** Make binaries available. Resolves to true when something was downloaded. */
  fetch(log: (line: string) => void): Promise<boolean>;
  /** Write config / fresh data, run helper steps (output appended to `logPath`); return the command. */
  prepare(logPath: string): Promise<LaunchSpec>;
  /** A real protocol round trip. Resolves when the service answers, rejects otherwise. */
  probe(): Promise<void>;
  /** Cap on the SIGTERM → SIGKILL grace period when this service is stopped. */
  readonly stopGraceMs?: number;
  /** Remove per-run state after the process is gone. */
  cleanup?(): void;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Rejects with `what timed out` after `ms`; always clears its timer. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

export function hostPortOfUrl(url: string): { host: string; port: number } {
  const u = new URL(url);
  const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  return { host: u.hostname, port };
}

export function hostPortOfBroker(broker: string): { host: string; port: number } {
  const i = broker.lastIndexOf(':');
  return { host: broker.slice(0, i), port: Number(broker.slice(i + 1)) };
}

const ANSI_COLOR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Last `lines` lines of a file, or a note that it is missing. */
export function tail(path: string, lines = LOG_TAIL_LINES): string {
  if (!existsSync(path)) return `(no log at ${path})`;
  const text = readFileSync(path, 'utf8').replace(ANSI_COLOR, '');
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  const shown = all.slice(-lines);
  const header = all.length > shown.length ? `… last ${shown.length} of ${all.length} lines of ${path}:` : `${path}:`;
  return [header, ...shown.map((l) => `  | ${l}`)].join('\n');
}

export function javaBin(): string {
  const home = process.env['JAVA_HOME'];
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java';
}

/** Small, fast-starting JVM: serial GC, C1 only, no perf-data file. */
export function jvmArgs(maxHeap: string): string[] {
  return [
    `-Xmx${maxHeap}`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
  ];
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (open: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      res(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Runs a command to completion with output appended to `logPath`; rejects on failure or timeout. */
export function runToLog(spec: LaunchSpec, logPath: string, timeoutMs: number, what: string): Promise<void> {
  mkdirSync(dirname(logPath), { recursive: true });
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd ?? REPO_ROOT,
      env: childEnv(spec.env),
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`${what} timed out after ${timeoutMs} ms\n${tail(logPath)}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      rej(new Error(`${what}: cannot run ${spec.command}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) res();
      else rej(new Error(`${what} failed (exit ${code ?? signal})\n${tail(logPath)}`));
    });
  });
}

function childEnv(overrides: LaunchSpec['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Options meant for the parent (vitest, loaders, inspectors) must not leak into services.
  delete env['NODE_OPTIONS'];
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Moves the previous log aside so the new one only holds this run. */
export function startNewLog(name: ServiceName): string {
  const path = logFile(name);
  mkdirSync(RUN_DIR, { recursive: true });
  if (existsSync(path)) renameSync(path, `${path}.prev`);
  writeFileSync(path, `# ${new Date().toISOString()} starting ${name}\n`);
  return path;
}

/**
 * Starts the command in its own session / process group, detached from ours, with stdout and
 * stderr appended to the service log, and records its PID.
 */
export function spawnDetached(name: ServiceName, spec: LaunchSpec, logPath: string, owner: PidOwner): ChildProcess {
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    writeFileSync(fd, `# ${spec.command} ${spec.args.join(' ')}\n`);
    child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd ?? REPO_ROOT,
      env: childEnv(spec.env),
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  child.unref();
  if (child.pid !== undefined) writePidFile(name, child.pid, owner);
  return child;
}

/**
 * Who a service belongs to. `test-run`: started by a vitest run, stopped by the last run to finish.
 * `user`: started with `services:start`; test runs never stop it.
 */
export type PidOwner = 'test-run' | 'user';

export interface PidRecord {
  readonly pid: number;
  readonly owner: PidOwner;
}

/** PID file: the PID on the first line, the owner on the second. */
export function writePidFile(name: ServiceName, pid: number, owner: PidOwner): void {
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(pidFile(name), `${pid}\n${owner}\n`);
}

export function readPidFile(name: ServiceName): PidRecord | undefined {
  const path = pidFile(name);
  let lines: string[];
  try {
    lines = readFileSync(path, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]?.trim());
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  return { pid, owner: lines[1]?.trim() === 'test-run' ? 'test-run' : 'user' };
}

export function readPid(name: ServiceName): number | undefined {
  return readPidFile(name)?.pid;
}

/**
 * Removes the PID file, but only while it still names `pid`: another run may already have
 * started a new instance and written its own.
 */
export function removePidFile(name: ServiceName, pid: number): void {
  if (readPid(name) === pid) rmSync(pidFile(name), { force: true });
}

// ---------------------------------------------------------------------------------------------
// Run lock and leases: several test runs (and people) share one machine and one set of services.

const LOCK_DIR = join(RUN_DIR, 'lock');
const LEASE_DIR = join(RUN_DIR, 'leases');

/**
 * Runs `fn` while holding .infra/run/lock (a directory: mkdir is atomic). A lock whose owner
 * process is gone is broken. Fails after `timeoutMs` rather than waiting forever.
 */
export async function withRunLock<T>(fn: () => Promise<T>, timeoutMs = 5 * 60_000): Promise<T> {
  mkdirSync(RUN_DIR, { recursive: true });
  const ownerFile = join(LOCK_DIR, 'owner');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(ownerFile, `${process.pid}\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: number | undefined;
    try {
      owner = Number(readFileSync(ownerFile, 'utf8').trim());
    } catch {
      owner = undefined; // being created right now, or left half-made by a killed process
    }
    const age = (() => {
      try {
        return Date.now() - statSync(LOCK_DIR).mtimeMs;
      } catch {
        return 0;
      }
    })();
    const stale = owner !== undefined && Number.isInteger(owner) ? !isAlive(owner) : age > 5_000;
    if (stale) {
      rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${LOCK_DIR} is held by pid ${owner ?? '?'} for more than ${Math.round(timeoutMs / 1000)} s`);
    }
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

export function addLease(pid: number): void {
  mkdirSync(LEASE_DIR, { recursive: true });
  writeFileSync(join(LEASE_DIR, String(pid)), `${new Date().toISOString()}\n`);
}

export function removeLease(pid: number): void {
  rmSync(join(LEASE_DIR, String(pid)), { force: true });
}

/** PIDs of the test runs currently using the services; leases of dead processes are dropped. */
export function liveLeases(): number[] {
  if (!existsSync(LEASE_DIR)) return [];
  const live: number[] = [];
  for (const entry of readdirSync(LEASE_DIR)) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 1 && isAlive(pid)) live.push(pid);
    else rmSync(join(LEASE_DIR, entry), { force: true });
  }
  return live;
}

function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** True when `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procState(pid) !== 'Z';
}

/** True when some process of group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!existsSync('/proc')) return true;
  // Only zombies left (e.g. the leader waiting to be reaped by its parent)?
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // process vanished while we looked
    }
  }
  return false;
}

/** True when `pid` runs a command line containing `marker` (always true where /proc is missing). */
export function commandLineMatches(pid: number, marker: string): boolean {
  if (!existsSync('/proc')) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(marker);
  } catch {
    return false;
  }
}

/** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once the group is gone. */
export async function killGroup(pgid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, sig);
    } catch {
      try {
        process.kill(pgid, sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return 'terminated';
    await sleep(100);
  }
  signal('SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (groupAlive(pgid)) {
    if (Date.now() > killDeadline) throw new Error(`process group ${pgid} survived SIGKILL for 10 s`);
    await sleep(100);
  }
  return 'killed';
}

// ---------------------------------------------------------------------------------------------
// Maven

/** Maven runs one at a time: concurrent resolvers on a cold ~/.m2 can trip over each other. */
let mavenQueue: Promise<unknown> = Promise.resolve();

function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = mavenQueue.then(fn, fn);
  mavenQueue = run.catch(() => undefined);
  return run;
}

export function pomPath(artifactSet: string): string {
  return join(SERVICES_DIR, 'maven', artifactSet, 'pom.xml');
}

export function libDir(artifactSet: string): string {
  return join(INFRA_DIR, artifactSet, 'lib');
}

/** `<name>value</name>` from the pom's <properties>, for labels. */
export function pomProperty(artifactSet: string, property: string): string {
  const pom = readFileSync(pomPath(artifactSet), 'utf8');
  const escaped = property.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<${escaped}>([^<]+)</${escaped}>`).exec(pom);
  return match?.[1]?.trim() ?? '?';
}

const MARKER = '.fetch-complete.json';

interface FetchMarker {
  readonly pomSha256: string;
  readonly files: number;
  readonly fetchedAt: string;
}

function pomHash(artifactSet: string): string {
  return createHash('sha256').update(readFileSync(pomPath(artifactSet))).digest('hex');
}

/** True when .infra/<set>/lib was completely fetched from the current pom. */
export function isFetched(artifactSet: string): boolean {
  const markerPath = join(libDir(artifactSet), MARKER);
  if (!existsSync(markerPath)) return false;
  try {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Partial<FetchMarker>;
    const files = readdirSync(libDir(artifactSet)).filter((f) => f !== MARKER).length;
    return marker.pomSha256 === pomHash(artifactSet) && marker.files === files && files > 0;
  } catch {
    return false;
  }
}

/**
 * Copies the runtime closure of test/services/maven/<set>/pom.xml into .infra/<set>/lib with
 * maven-dependency-plugin, unless the completion marker says that was already done for this pom.
 * Resolves to true when Maven ran.
 */
export function fetchMavenArtifacts(artifactSet: string, log: (line: string) => void): Promise<boolean> {
  if (isFetched(artifactSet)) return Promise.resolve(false);
  return serialized(async () => {
    if (isFetched(artifactSet)) return false;
    const lib = libDir(artifactSet);
    rmSync(lib, { recursive: true, force: true });
    mkdirSync(lib, { recursive: true });
    mkdirSync(RUN_DIR, { recursive: true });
    const fetchLog = join(RUN_DIR, `fetch-${artifactSet}.log`);
    writeFileSync(fetchLog, `# ${new Date().toISOString()} fetching ${artifactSet}\n`);
    log(`fetching ${artifactSet} jars with Maven into ${lib} (log: ${fetchLog})`);
    await runToLog(
      {
        command: process.env['MVN'] ?? 'mvn',
        args: [
          '-B', '-q', '-Dstyle.color=never',
          '-f', pomPath(artifactSet),
          'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${lib}`,
        ],
      },
      fetchLog,
      MAVEN_TIMEOUT_MS,
      `Maven fetch of ${artifactSet}`,
    );
    const files = readdirSync(lib).length;
    if (files === 0) throw new Error(`Maven fetch of ${artifactSet} copied nothing\n${tail(fetchLog)}`);
    const marker: FetchMarker = { pomSha256: pomHash(artifactSet), files, fetchedAt: new Date().toISOString() };
    writeFileSync(join(lib, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    return true;
  });
}

/**
 * A detached child started by one test file (the RIE, the OpenTelemetry Collector): waits until it listens on
 * 127.0.0.1:`port` and returns its stop(); a test worker that ends without calling stop() still kills it. When it
 * exits or does not listen within `timeoutMs`, it is stopped and this throws with the end of its log.
 */
export async function superviseListener(child: ChildProcess, port: number, options: { readonly what: string; readonly logPath: string; readonly timeoutMs: number; readonly graceMs: number }): Promise<() => Promise<void>> {
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${options.what}\n${tail(options.logPath)}`);
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  const killOnExit = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await killGroup(pid, options.graceMs);
  };
  const deadline = Date.now() + options.timeoutMs;
  while (!(await isPortOpen('127.0.0.1', port))) {
    if (exited !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${options.what} did not start (${exited ?? `no listener after ${options.timeoutMs} ms`})\n${tail(options.logPath)}`);
    }
    await sleep(50);
  }
  return stop;
}
