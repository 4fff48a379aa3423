// Starts, checks and stops the real services the integration tests run against.
//
//   ensureStarted(names)   reuse what already answers, fetch + start the rest in parallel, wait for a
//                          real protocol round trip; returns what it started.
//   stopStarted(names)     SIGTERM (then SIGKILL) the recorded process group, wait, remove the PID file.
//   status()               PID file, liveness and protocol check of every service.
//   acquire() / release()  what a test run uses (vitest global setup): ensureStarted under a lock
//                          with a lease; the last run to release stops what test runs started.
//
// State lives in .infra/run/: <name>.pid, <name>.log (previous run: <name>.log.prev), generated
// configs, Kafka's data directory, fetch-<set>.log of the Maven runs, lock/, leases/, guard.log.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_READY_TIMEOUT_MS, RUN_DIR, SERVICES_DIR, SERVICE_NAMES, addLease, commandLineMatches, errorMessage, isAlive,
  isLoopback, isPortOpen, killGroup, liveLeases, logFile, readPidFile, removeLease, removePidFile, sleep,
  spawnDetached, startNewLog, tail, withRunLock, withTimeout, writePidFile,
} from './common.ts';
import type { LaunchSpec, PidOwner, ServiceDefinition, ServiceName } from './common.ts';
import { createDynamoDbLocalService } from './dynamodb-local.ts';
import { createElasticMqService } from './elasticmq.ts';
import { readEndpoints } from './endpoints.ts';
import type { TestEndpoints } from './endpoints.ts';
import { createKafkaService } from './kafka.ts';
import { createKinesisLocalService } from './kinesis-local.ts';

export type { PidOwner, ServiceName } from './common.ts';
export { SERVICE_NAMES } from './common.ts';

const PROBE_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 250;
/** How long a service gets to exit on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 15_000;

export interface ServiceTiming {
  readonly name: ServiceName;
  readonly label: string;
  /** `started`: this call launched it; `reused`: it already answered (or was being started by another run). */
  readonly outcome: 'started' | 'reused';
  /** Maven download, 0 when the cache was complete. */
  readonly fetchMs: number;
  /** From preparing the launch (Kafka: storage format) to the first successful protocol round trip. */
  readonly startMs: number;
  readonly totalMs: number;
}

export interface EnsureResult {
  /** Services this call started. */
  readonly started: ServiceName[];
  readonly reused: ServiceName[];
  readonly endpoints: TestEndpoints;
  readonly timings: ServiceTiming[];
  readonly totalMs: number;
}

export interface HarnessOptions {
  /** Per-service budget from launch to ready (default 90 s, env TRIBUTARY_TEST_SERVICES_TIMEOUT_MS). */
  readonly readyTimeoutMs?: number;
  /** Progress messages (default: stderr). */
  readonly log?: (line: string) => void;
  readonly endpoints?: TestEndpoints;
  /** How long a stopping service gets between SIGTERM and SIGKILL (default 15 s). */
  readonly stopGraceMs?: number;
  /**
   * Recorded in the PID files of the services this call starts (default `user`). A `user` call that
   * reuses a service a test run started takes it over, so the end of that run no longer stops it.
   */
  readonly owner?: PidOwner;
}

export class ServiceStartError extends Error {
  readonly service: ServiceName;
  constructor(service: ServiceName, message: string) {
    super(message);
    this.name = 'ServiceStartError';
    this.service = service;
  }
}

const defaultLog = (line: string): void => {
  process.stderr.write(`[services] ${line}\n`);
};

function readyTimeout(options: HarnessOptions): number {
  if (options.readyTimeoutMs !== undefined) return options.readyTimeoutMs;
  const fromEnv = Number(process.env['TRIBUTARY_TEST_SERVICES_TIMEOUT_MS']);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_READY_TIMEOUT_MS;
}

export function serviceDefinitions(endpoints: TestEndpoints = readEndpoints()): Record<ServiceName, ServiceDefinition> {
  return {
    kafka: createKafkaService(endpoints),
    sqs: createElasticMqService(endpoints),
    dynamodb: createDynamoDbLocalService(endpoints),
    kinesis: createKinesisLocalService(endpoints),
  };
}

async function answers(def: ServiceDefinition): Promise<boolean> {
  try {
    await withTimeout(def.probe(), PROBE_TIMEOUT_MS, `${def.name} probe`);
    return true;
  } catch {
    return false;
  }
}

/** The PID recorded for `def` if that process is alive and is really ours; drops stale PID files. */
function livePid(def: ServiceDefinition): { pid: number; owner: PidOwner } | undefined {
  const record = readPidFile(def.name);
  if (record === undefined) return undefined;
  if (isAlive(record.pid) && commandLineMatches(record.pid, def.cmdlineMarker)) return record;
  removePidFile(def.name, record.pid);
  return undefined;
}

/**
 * Polls the protocol check until it succeeds. Fails fast when `gone()` reports the process ended,
 * and after `timeoutMs`; both errors carry the tail of the service log.
 */
async function waitReady(def: ServiceDefinition, gone: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt yet';
  for (;;) {
    const exit = gone();
    if (exit !== undefined) {
      throw new ServiceStartError(
        def.name,
        `${def.label} exited before it was ready (${exit}); last probe error: ${lastError}\n${tail(logFile(def.name))}`,
      );
    }
    try {
      await withTimeout(def.probe(), PROBE_TIMEOUT_MS, `${def.name} probe`);
      return;
    } catch (err) {
      lastError = errorMessage(err);
    }
    if (Date.now() >= deadline) {
      throw new ServiceStartError(
        def.name,
        `${def.label} did not answer on ${def.endpoint} within ${Math.round(timeoutMs / 1000)} s; ` +
          `last probe error: ${lastError}\n${tail(logFile(def.name))}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

async function startOne(def: ServiceDefinition, options: HarnessOptions): Promise<ServiceTiming> {
  const log = options.log ?? defaultLog;
  const owner = options.owner ?? 'user';
  const t0 = performance.now();
  const timing = (outcome: ServiceTiming['outcome'], fetchMs: number, startMs: number): ServiceTiming => ({
    name: def.name, label: def.label, outcome, fetchMs, startMs, totalMs: performance.now() - t0,
  });
  const adopt = (record: { pid: number; owner: PidOwner } | undefined): void => {
    if (record !== undefined && owner === 'user' && record.owner === 'test-run') {
      writePidFile(def.name, record.pid, 'user');
      log(`${def.name}: taken over from the test run that started it (no test run will stop it now)`);
    }
  };

  // 1. Already answering (started by `npm run services:start`, another run, or by hand): reuse.
  if (await answers(def)) {
    log(`${def.name}: reusing ${def.label} already answering on ${def.endpoint}`);
    adopt(livePid(def));
    return timing('reused', 0, 0);
  }

  // 2. Our process is alive but not answering yet (another run is starting it): wait for it.
  const existing = livePid(def);
  if (existing !== undefined) {
    log(`${def.name}: pid ${existing.pid} is starting, waiting for it`);
    const w0 = performance.now();
    await waitReady(def, () => (isAlive(existing.pid) ? undefined : `pid ${existing.pid} is gone`), readyTimeout(options));
    adopt(existing);
    return timing('reused', 0, performance.now() - w0);
  }

  if (!isLoopback(def.host)) {
    throw new ServiceStartError(def.name, `${def.name} does not answer on ${def.endpoint}, and the harness only starts services on 127.0.0.1`);
  }
  for (const port of def.ports) {
    if (await isPortOpen(def.host, port)) {
      throw new ServiceStartError(
        def.name,
        `${def.name}: port ${port} on ${def.host} is taken by a process that does not answer as ${def.label}; ` +
          'stop it or choose other ports (see test/services/README.md)',
      );
    }
  }

  // 3. Fetch (Maven, skipped when the cache is complete), prepare, launch detached, wait.
  const f0 = performance.now();
  await def.fetch(log);
  const fetchMs = performance.now() - f0;

  const s0 = performance.now();
  mkdirSync(RUN_DIR, { recursive: true });
  const logPath = startNewLog(def.name);
  let spec: LaunchSpec;
  try {
    spec = await def.prepare(logPath);
  } catch (err) {
    def.cleanup?.();
    throw new ServiceStartError(def.name, `${def.label}: ${errorMessage(err)}`);
  }
  const child = spawnDetached(def.name, spec, logPath, owner);
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
  });
  child.once('error', (err) => {
    exit = `cannot run ${spec.command}: ${err.message}`;
  });
  log(`${def.name}: started ${def.label} as pid ${child.pid ?? '?'} (log: ${logPath})`);
  try {
    await waitReady(def, () => exit, readyTimeout(options));
  } catch (err) {
    if (child.pid !== undefined) {
      if (exit === undefined) await killGroup(child.pid, 2_000).catch(() => undefined);
      removePidFile(def.name, child.pid);
    }
    def.cleanup?.();
    throw err;
  }
  const startMs = performance.now() - s0;
  log(`${def.name}: ready on ${def.endpoint} in ${(startMs / 1000).toFixed(1)} s` +
    (fetchMs >= 1000 ? ` (+ ${(fetchMs / 1000).toFixed(1)} s Maven fetch)` : ''));
  return timing('started', fetchMs, startMs);
}

function uniqueNames(names: readonly ServiceName[]): ServiceName[] {
  return SERVICE_NAMES.filter((n) => names.includes(n));
}

/**
 * Makes sure every named service answers on its endpoint, starting (in parallel) the ones that do
 * not. On failure, stops what this call started and throws one error listing every failure.
 */
export async function ensureStarted(
  names: readonly ServiceName[] = SERVICE_NAMES,
  options: HarnessOptions = {},
): Promise<EnsureResult> {
  const t0 = performance.now();
  const endpoints = options.endpoints ?? readEndpoints();
  const defs = serviceDefinitions(endpoints);
  const wanted = uniqueNames(names);
  const results = await Promise.allSettled(wanted.map((n) => startOne(defs[n], { ...options, endpoints })));

  const timings: ServiceTiming[] = [];
  const failures: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') timings.push(r.value);
    else failures.push(`--- ${wanted[i] ?? '?'} ---\n${errorMessage(r.reason)}`);
  });
  const started = timings.filter((t) => t.outcome === 'started').map((t) => t.name);
  if (failures.length > 0) {
    await stopStarted(started, { ...options, endpoints });
    throw new Error(`could not start ${failures.length} service(s):\n${failures.join('\n')}`);
  }
  return {
    started,
    reused: timings.filter((t) => t.outcome === 'reused').map((t) => t.name),
    endpoints,
    timings,
    totalMs: performance.now() - t0,
  };
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running' | 'stale-pid-file';

/** Stops one service by its recorded PID (whole process group) and removes the PID file. */
export async function stopService(name: ServiceName, options: HarnessOptions = {}): Promise<StopOutcome> {
  const def = serviceDefinitions(options.endpoints ?? readEndpoints())[name];
  const record = readPidFile(name);
  if (record === undefined) return 'not-running';
  const { pid } = record;
  if (!isAlive(pid) || !commandLineMatches(pid, def.cmdlineMarker)) {
    removePidFile(name, pid);
    return 'stale-pid-file';
  }
  const how = await killGroup(pid, Math.min(options.stopGraceMs ?? STOP_GRACE_MS, def.stopGraceMs ?? STOP_GRACE_MS));
  // Only our own file: another run may have started a new instance meanwhile.
  removePidFile(name, pid);
  if (readPid(name) === undefined) def.cleanup?.();
  return how === 'terminated' ? 'stopped' : 'killed';
}

function readPid(name: ServiceName): number | undefined {
  return readPidFile(name)?.pid;
}

/** Stops the given services, in parallel. */
export async function stopStarted(names: readonly ServiceName[], options: HarnessOptions = {}): Promise<Record<string, StopOutcome>> {
  const log = options.log ?? defaultLog;
  const wanted = uniqueNames(names);
  const outcomes = await Promise.all(wanted.map(async (n) => [n, await stopService(n, options)] as const));
  for (const [n, outcome] of outcomes) {
    if (outcome !== 'not-running') log(`${n}: ${outcome}`);
  }
  return Object.fromEntries(outcomes);
}

// ---------------------------------------------------------------------------------------------
// Test runs: several can share the machine (and the services) at the same time.

/**
 * For a test run: under the run lock, records a lease for `leasePid` and ensures the services,
 * marking those it starts as `test-run`. Pair with release(leasePid).
 */
export async function acquire(
  names: readonly ServiceName[] = SERVICE_NAMES,
  leasePid: number = process.pid,
  options: HarnessOptions = {},
): Promise<EnsureResult> {
  return withRunLock(async () => {
    addLease(leasePid);
    try {
      return await ensureStarted(names, { ...options, owner: 'test-run' });
    } catch (err) {
      removeLease(leasePid);
      throw err;
    }
  });
}

export interface ReleaseResult {
  /** Services stopped because no other test run holds a lease. */
  readonly stopped: Record<string, StopOutcome>;
  /** Other test runs still using the services (then nothing is stopped). */
  readonly heldBy: number[];
}

/**
 * Ends the lease of `leasePid`. When no other live test run holds one, stops every service that a
 * test run started (PID file owner `test-run`); services started with `services:start` stay up.
 * With `keep`, takes those services over for the user instead of stopping them.
 */
export async function release(leasePid: number = process.pid, options: HarnessOptions & { keep?: boolean } = {}): Promise<ReleaseResult> {
  return withRunLock(async () => {
    removeLease(leasePid);
    const heldBy = liveLeases();
    if (heldBy.length > 0) return { stopped: {}, heldBy };
    const ours = SERVICE_NAMES.filter((n) => readPidFile(n)?.owner === 'test-run');
    if (options.keep === true) {
      for (const n of ours) {
        const record = readPidFile(n);
        if (record !== undefined) writePidFile(n, record.pid, 'user');
      }
      return { stopped: {}, heldBy };
    }
    return { stopped: await stopStarted(ours, { ...options, log: options.log ?? (() => undefined) }), heldBy };
  });
}

export interface ServiceStatus {
  readonly name: ServiceName;
  readonly label: string;
  readonly endpoint: string;
  /** PID from the PID file when that process is alive. */
  readonly pid: number | undefined;
  readonly owner: PidOwner | undefined;
  /** The protocol check succeeded. */
  readonly answering: boolean;
  readonly log: string;
}

export async function status(options: HarnessOptions = {}): Promise<ServiceStatus[]> {
  const defs = serviceDefinitions(options.endpoints ?? readEndpoints());
  return Promise.all(SERVICE_NAMES.map(async (n) => {
    const def = defs[n];
    const record = readPidFile(n);
    const alive = record !== undefined && isAlive(record.pid) && commandLineMatches(record.pid, def.cmdlineMarker);
    return {
      name: n,
      label: def.label,
      endpoint: def.endpoint,
      pid: alive ? record.pid : undefined,
      owner: alive ? record.owner : undefined,
      answering: await answers(def),
      log: logFile(n),
    };
  }));
}

/** PIDs of test runs holding a lease right now. */
export function activeTestRuns(): number[] {
  return liveLeases();
}

/**
 * Starts a detached watcher (`cli.ts guard`) that calls release(ownerPid) once process `ownerPid`
 * is gone. It covers the cases where the owner cannot clean up itself: vitest exits on Ctrl-C
 * without calling the globalSetup teardown, and nothing runs after SIGKILL. The owner dismisses
 * the guard (dismissGuard) before releasing. Returns the guard's PID.
 */
export function spawnGuard(ownerPid: number): number | undefined {
  mkdirSync(RUN_DIR, { recursive: true });
  const fd = openSync(join(RUN_DIR, 'guard.log'), 'a');
  try {
    const child = spawn(process.execPath, [join(SERVICES_DIR, 'cli.ts'), 'guard', String(ownerPid)], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function dismissGuard(guardPid: number | undefined): void {
  if (guardPid === undefined) return;
  try {
    process.kill(guardPid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Body of `cli.ts guard`: wait for the owner to disappear, then release its lease. */
export async function guard(ownerPid: number, options: HarnessOptions = {}): Promise<void> {
  const log = options.log ?? defaultLog;
  log(`guard ${process.pid}: watching test run ${ownerPid}`);
  while (isAlive(ownerPid)) await sleep(500);
  log(`guard ${process.pid}: test run ${ownerPid} ended without releasing the services; releasing`);
  const result = await release(ownerPid, { ...options, stopGraceMs: options.stopGraceMs ?? 5_000, log });
  if (result.heldBy.length > 0) log(`guard ${process.pid}: still used by test run(s) ${result.heldBy.join(', ')}`);
}
