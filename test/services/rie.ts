// The AWS Lambda Runtime Interface Emulator (RIE) for the runner tests: built from its public Go module
// (no Docker, no GitHub download), cached in .infra/rie/<version>/, started per test file on free loopback
// ports with a bootstrap command (a custom runtime), stopped by the test file itself. Not part of the
// shared harness (harness.ts): nothing else uses it, and each file gets its own emulator.
//
// The RIE serves the Invoke API path of the `function` function only
// (POST /2015-03-31/functions/function/invocations) and runs one invocation at a time.
// Flags: --runtime-interface-emulator-address (Invoke API, default 0.0.0.0:8080),
// --runtime-api-address (Runtime API for the bootstrap, default 127.0.0.1:9001), --log-level;
// then `<bootstrap command> [args…] <handler>` (with more than one word, the last is the handler → _HANDLER).
// AWS_LAMBDA_FUNCTION_TIMEOUT (seconds, default 300) is its own invoke timeout.

import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { INFRA_DIR, errorMessage, runToLog, superviseListener, tail } from './common.ts';

export const RIE_MODULE = 'github.com/aws/aws-lambda-runtime-interface-emulator';
export const RIE_PACKAGE = `${RIE_MODULE}/cmd/aws-lambda-rie`;
/**
 * The module has no semver tags the Go proxy accepts (its releases are tagged `v1.x`), so `@latest` resolves to a
 * pseudo-version of the default branch. Pinned for reproducible runs; `TRIBUTARY_TEST_RIE_VERSION=latest` (or any
 * version) overrides it.
 */
export const RIE_DEFAULT_VERSION = 'v0.0.0-20261030222936-bef5c4ba774d';
export const RIE_INVOKE_PATH = '/2015-03-31/functions/function/invocations';

const RIE_DIR = join(INFRA_DIR, 'rie');
const execFileAsync = promisify(execFile);
const BUILD_TIMEOUT_MS = 10 * 60_000;
const READY_TIMEOUT_MS = 15_000;

export interface RieBuild {
  readonly binary: string;
  readonly version: string;
  /** 0 when the cached binary was used. */
  readonly buildMs: number;
}

function goCommand(): string {
  return process.env['GO'] ?? 'go';
}

function failure(what: string, detail: string): Error {
  return new Error(
    `${what}\nThe Lambda Runtime Interface Emulator is built from its Go module ${RIE_PACKAGE} ` +
      `(needs Go on PATH or GO=…, and the Go module proxy). Nothing was skipped: fix the toolchain and run again.\n${detail}`,
  );
}

/** `latest` (or another query) → the exact version the Go proxy resolves it to, the cache key. */
async function resolveVersion(query: string): Promise<string> {
  if (/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(query)) return query;
  mkdirSync(RIE_DIR, { recursive: true });
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(goCommand(), ['list', '-m', '-json', `${RIE_MODULE}@${query}`], { cwd: RIE_DIR, timeout: 60_000 }));
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw failure(`Cannot resolve ${RIE_MODULE}@${query}.`, `${errorMessage(error)}${typeof stderr === 'string' ? `\n${stderr}` : ''}`);
  }
  const version = (JSON.parse(stdout) as { Version?: unknown }).Version;
  if (typeof version !== 'string') throw failure(`go list gave no version for ${RIE_MODULE}@${query}.`, stdout);
  return version;
}

/**
 * Builds `aws-lambda-rie` with `go install <package>@<version>` into .infra/rie/<version>/ unless it is there.
 * Builds into a temporary folder renamed into place, so concurrent runs never see half a binary.
 */
export async function ensureRieBinary(log: (line: string) => void = () => undefined): Promise<RieBuild> {
  const version = await resolveVersion(process.env['TRIBUTARY_TEST_RIE_VERSION'] ?? RIE_DEFAULT_VERSION);
  const dir = join(RIE_DIR, version);
  const binary = join(dir, 'aws-lambda-rie');
  if (existsSync(binary)) return { binary, version, buildMs: 0 };

  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const buildLog = join(RIE_DIR, `build-${version}.log`);
  writeFileSync(buildLog, `# go install ${RIE_PACKAGE}@${version}\n`);
  log(`building ${RIE_PACKAGE}@${version} with Go (log: ${buildLog})`);
  const started = performance.now();
  try {
    await runToLog(
      {
        command: goCommand(),
        args: ['install', `${RIE_PACKAGE}@${version}`],
        // Outside any module; -mod=mod lets `go install pkg@version` resolve the module's own requirements.
        cwd: staging,
        env: { GOBIN: staging, GOFLAGS: '-mod=mod -buildvcs=false', CGO_ENABLED: '0' },
      },
      buildLog,
      BUILD_TIMEOUT_MS,
      `go install ${RIE_PACKAGE}@${version}`,
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw failure(`Building the RIE failed.`, errorMessage(error));
  }
  const buildMs = Math.round(performance.now() - started);
  writeFileSync(join(staging, 'build.json'), `${JSON.stringify({ package: RIE_PACKAGE, version, buildMs, builtAt: new Date().toISOString() }, null, 2)}\n`);
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another run won the race: use its binary.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw failure('Installing the built RIE failed.', errorMessage(error));
  }
  return { binary, version, buildMs };
}

/** A loopback port nobody holds right now (the RIE binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface StartRieOptions {
  /** The bootstrap command and its arguments, e.g. `[process.execPath, 'bootstrap.mjs']`. */
  readonly command: readonly string[];
  /** `_HANDLER`, e.g. `handlers.dispatch` (passed as the last argument, as in Lambda images). */
  readonly handler: string;
  /** The task root: the bootstrap's working directory and LAMBDA_TASK_ROOT. */
  readonly taskRoot: string;
  /** AWS_LAMBDA_FUNCTION_TIMEOUT, the RIE's own invoke timeout (default 30 s). */
  readonly functionTimeoutSeconds?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

export interface RunningRie {
  /** `http://127.0.0.1:<port>`: the Lambda Invoke API (SDK endpoint) … */
  readonly endpoint: string;
  /** … and its one invoke URL (http runner). */
  readonly invokeUrl: string;
  readonly build: RieBuild;
  readonly logPath: string;
  /** The last lines of the RIE + bootstrap output. */
  logTail(): string;
  stop(): Promise<void>;
}

/** Builds (once) and starts an RIE; resolves when its Invoke API accepts connections. */
export async function startRie(options: StartRieOptions): Promise<RunningRie> {
  const build = await ensureRieBinary(options.log);
  const invokePort = await freePort();
  let runtimePort = await freePort();
  while (runtimePort === invokePort) runtimePort = await freePort();
  const logDir = join(RIE_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `rie-${invokePort}.log`);
  const args = [
    '--log-level', 'info',
    '--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`,
    '--runtime-api-address', `127.0.0.1:${runtimePort}`,
    ...options.command,
    options.handler,
  ];
  const fd = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    writeFileSync(fd, `# ${build.binary} ${args.join(' ')}\n`);
    child = spawn(build.binary, args, {
      cwd: options.taskRoot,
      // The RIE hands its whole environment to the function: give it only what a Lambda sandbox has.
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: options.taskRoot,
        AWS_REGION: 'us-east-1',
        AWS_LAMBDA_FUNCTION_NAME: 'function',
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(options.functionTimeoutSeconds ?? 30),
        ...options.env,
      },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  // A test worker that ends without stop() must not leave the emulator behind.
  const stop = await superviseListener(child, invokePort, { what: 'the RIE', logPath, timeoutMs: READY_TIMEOUT_MS, graceMs: 3_000 });
  const endpoint = `http://127.0.0.1:${invokePort}`;
  return { endpoint, invokeUrl: `${endpoint}${RIE_INVOKE_PATH}`, build, logPath, logTail: () => tail(logPath), stop };
}
