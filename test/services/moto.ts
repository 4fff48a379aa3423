// moto in server mode (PyPI `moto[server]`): real S3, SNS, SQS and Secrets Manager wire protocols on one port, for
// the S3 / SNS on-failure destinations and the Secrets Manager credentials. Installed once with pip into a venv under
// .infra/moto/<version>/ (python3 with the venv module; PyPI); started per test file on the first free port of
// 22300–22349 on 127.0.0.1 (TRIBUTARY_TEST_MOTO_PORT pins one) as `moto_server -H 127.0.0.1 -p <port>`, ready once
// an S3 ListBuckets answers, stopped by the test file. In memory: nothing survives a stop.
//
// moto accepts any credentials and keeps one account, 123456789012, unless told otherwise.

import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR, errorMessage, isAlive, runToLog, sleep } from './common.ts';
import { freePortInRange, startLocalProcess, type LocalProcess } from './local-process.ts';

/** Pinned for reproducible runs; `TRIBUTARY_TEST_MOTO_VERSION` overrides it. */
export const MOTO_DEFAULT_VERSION = '5.2.5';
/** moto's default account id (every ARN it hands out carries it). */
export const MOTO_ACCOUNT_ID = '123456789012';
export const MOTO_REGION = 'us-east-1';
/** Any pair works; these are what the tests sign with. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

const PORT_RANGE = { from: 22300, to: 22349 } as const;
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const LOCK_STALE_MS = INSTALL_TIMEOUT_MS + 60_000;

function python(): string {
  return process.env['PYTHON'] ?? 'python3';
}

export interface MotoInstall {
  readonly venv: string;
  readonly version: string;
  /** 0 when the cached install was used. */
  readonly installMs: number;
}

/**
 * Installs `moto[server]==<version>` into .infra/moto/<version>/venv unless its marker is there. A venv cannot be
 * moved (its scripts embed their path), so concurrent runs serialise on a lock folder instead of a rename; a lock
 * whose owner died (or that is older than the install timeout) is broken. Never skips: no python3, no venv module or
 * no PyPI fails loudly.
 */
export async function ensureMoto(log: (line: string) => void = () => undefined): Promise<MotoInstall> {
  const version = process.env['TRIBUTARY_TEST_MOTO_VERSION'] ?? MOTO_DEFAULT_VERSION;
  const dir = join(INFRA_DIR, 'moto', version);
  const venv = join(dir, 'venv');
  const marker = join(dir, 'install.json');
  const lock = `${dir}.lock`;
  mkdirSync(join(INFRA_DIR, 'moto'), { recursive: true });
  for (;;) {
    if (existsSync(marker)) return { venv, version, installMs: 0 };
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'owner'), String(process.pid));
      break;
    } catch {
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
      else await sleep(1_000);
    }
  }
  try {
    if (existsSync(marker)) return { venv, version, installMs: 0 };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const installLog = join(INFRA_DIR, 'moto', `install-${version}.log`);
    log(`installing moto[server]==${version} from PyPI into ${venv} (log: ${installLog})`);
    const started = performance.now();
    try {
      await runToLog({ command: python(), args: ['-m', 'venv', venv] }, installLog, 120_000, 'python3 -m venv');
      await runToLog(
        {
          command: join(venv, 'bin', 'pip'),
          args: ['install', '--quiet', '--disable-pip-version-check', '--no-input', `moto[server]==${version}`],
          env: { PIP_NO_WARN_SCRIPT_LOCATION: '1' },
        },
        installLog,
        INSTALL_TIMEOUT_MS,
        `pip install moto[server]==${version}`,
      );
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Installing moto failed (needs python3 with venv and pip, or PYTHON=…, and PyPI). Nothing was skipped.\n${errorMessage(error)}`, { cause: error });
    }
    const installMs = Math.round(performance.now() - started);
    writeFileSync(marker, `${JSON.stringify({ package: 'moto[server]', version, installMs, installedAt: new Date().toISOString() }, null, 2)}\n`);
    return { venv, version, installMs };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockIsStale(lock: string): boolean {
  try {
    const owner = Number(readOwner(lock));
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) return true;
    return Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

function readOwner(lock: string): string {
  try {
    return readFileSync(join(lock, 'owner'), 'utf8').trim();
  } catch {
    return '';
  }
}

export interface RunningMoto {
  /** `http://127.0.0.1:<port>`: the endpoint of every service moto serves. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: typeof MOTO_CREDENTIALS;
  readonly install: MotoInstall;
  readonly process: LocalProcess;
  stop(): Promise<void>;
}

/** Installs (once) and starts a moto server; resolves when S3 answers on it. */
export async function startMoto(log: (line: string) => void = () => undefined): Promise<RunningMoto> {
  const install = await ensureMoto(log);
  const pinned = Number(process.env['TRIBUTARY_TEST_MOTO_PORT']);
  const port = Number.isInteger(pinned) && pinned > 0 ? pinned : await freePortInRange(PORT_RANGE.from, PORT_RANGE.to);
  const endpoint = `http://127.0.0.1:${port}`;
  const running = await startLocalProcess({
    label: `moto ${install.version}`,
    spec: { command: join(install.venv, 'bin', 'moto_server'), args: ['-H', '127.0.0.1', '-p', String(port)], env: { PYTHONUNBUFFERED: '1' } },
    logPath: join(INFRA_DIR, 'moto', 'logs', `moto-${port}.log`),
    // GET / is S3's ListBuckets: a real protocol answer, not just an open port.
    probe: async () => {
      const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (!response.ok || !body.includes('ListAllMyBucketsResult')) throw new Error(`GET / answered ${response.status}`);
    },
    readyTimeoutMs: 60_000,
  });
  return { endpoint, region: MOTO_REGION, accountId: MOTO_ACCOUNT_ID, credentials: MOTO_CREDENTIALS, install, process: running, stop: () => running.stop() };
}
