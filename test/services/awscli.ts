// The AWS CLI for the API tests: `awscli` from PyPI (version 1, which bundles botocore and so Lambda's own service
// model), installed once with `pip install --target` into .infra/awscli/<version>/ and run as `python3 -m awscli`.
// A `--target` folder holds only importable packages, so it can be built in a temporary folder and renamed into
// place atomically (a venv could not: its scripts embed their absolute path); concurrent runs never see half an
// install. Not part of the shared harness (harness.ts): only the API tests use it.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { INFRA_DIR, errorMessage, runToLog } from './common.ts';

/** Pinned for reproducible runs; `TRIBUTARY_TEST_AWSCLI_VERSION` overrides it. */
export const AWSCLI_DEFAULT_VERSION = '1.46.3';
const AWSCLI_DIR = join(INFRA_DIR, 'awscli');
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const execFileAsync = promisify(execFile);

function python(): string {
  return process.env['PYTHON'] ?? 'python3';
}

export interface AwsCliInstall {
  /** The folder on PYTHONPATH. */
  readonly target: string;
  readonly version: string;
  /** 0 when the cached install was used. */
  readonly installMs: number;
}

/** Installs `awscli==<version>` unless it is there; never skips: a missing Python or PyPI fails loudly. */
export async function ensureAwsCli(log: (line: string) => void = () => undefined): Promise<AwsCliInstall> {
  const version = process.env['TRIBUTARY_TEST_AWSCLI_VERSION'] ?? AWSCLI_DEFAULT_VERSION;
  const target = join(AWSCLI_DIR, version);
  if (existsSync(join(target, 'install.json'))) return { target, version, installMs: 0 };
  mkdirSync(AWSCLI_DIR, { recursive: true });
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const installLog = join(AWSCLI_DIR, `install-${version}.log`);
  log(`installing awscli==${version} from PyPI (log: ${installLog})`);
  const started = performance.now();
  try {
    await runToLog(
      {
        command: python(),
        args: ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '--target', staging, `awscli==${version}`],
        env: { PIP_NO_WARN_SCRIPT_LOCATION: '1' },
      },
      installLog,
      INSTALL_TIMEOUT_MS,
      `pip install awscli==${version}`,
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Installing the AWS CLI failed (needs python3 with pip, or PYTHON=…, and PyPI). Nothing was skipped.\n${errorMessage(error)}`, { cause: error });
  }
  const installMs = Math.round(performance.now() - started);
  writeFileSync(join(staging, 'install.json'), `${JSON.stringify({ package: 'awscli', version, installMs, installedAt: new Date().toISOString() }, null, 2)}\n`);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another run won the race: use its install.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'install.json'))) throw new Error(`Installing the AWS CLI failed: ${errorMessage(error)}`, { cause: error });
  }
  return { target, version, installMs };
}

export interface AwsCliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON when it is JSON, else null. */
  readonly json: unknown;
}

export interface AwsCliRunOptions {
  readonly endpointUrl: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Run in this folder (for `fileb://` / `file://` arguments). */
  readonly cwd?: string;
}

/**
 * Runs `aws <args…> --endpoint-url … --region … --output json` with only the given credentials: no profile, no
 * config file, no instance metadata, so nothing on the machine can change what is sent.
 */
export async function runAwsCli(install: AwsCliInstall, args: readonly string[], options: AwsCliRunOptions): Promise<AwsCliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(AWSCLI_DIR, 'home'),
    PYTHONPATH: install.target,
    AWS_ACCESS_KEY_ID: options.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.secretAccessKey,
    AWS_CONFIG_FILE: join(AWSCLI_DIR, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(AWSCLI_DIR, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
  const fullArgs = ['-m', 'awscli', ...args, '--endpoint-url', options.endpointUrl, '--region', options.region, '--output', 'json'];
  try {
    const { stdout, stderr } = await execFileAsync(python(), fullArgs, { env, cwd: options.cwd ?? AWSCLI_DIR, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { exitCode: 0, stdout, stderr, json: parseJson(stdout) };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: unknown; stderr?: unknown };
    if (typeof failed.code !== 'number') throw error;
    const stdout = typeof failed.stdout === 'string' ? failed.stdout : '';
    return { exitCode: failed.code, stdout, stderr: typeof failed.stderr === 'string' ? failed.stderr : '', json: parseJson(stdout) };
  }
}

function parseJson(text: string): unknown {
  try {
    return text.trim() === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}
