/**
 * One dedicated service process of the chaos campaign (a broker we may stop, kill and restart — never the shared
 * ones). A plain child of the campaign process with its output appended to its own log; `start()` resolves once
 * a real protocol round trip (the harness's probe) succeeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { REPO_ROOT, errorMessage, sleep, tail, withTimeout, type LaunchSpec } from '../services/common.ts';

const POLL_INTERVAL_MS = 250;
const PROBE_TIMEOUT_MS = 5_000;

export interface ServiceProcessOptions {
  readonly name: string;
  readonly log: string;
  /** Called before every start (config files, a first-time format…); returns the command. */
  readonly prepare: () => Promise<LaunchSpec>;
  /** A real protocol round trip (the harness's `probe()`). */
  readonly probe: () => Promise<void>;
  readonly readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace of stop(). */
  readonly stopGraceMs?: number;
}

export class ServiceProcess {
  readonly name: string;
  readonly log: string;
  readonly #options: ServiceProcessOptions;
  #child: ChildProcess | null = null;
  #exited: Promise<void> = Promise.resolve();
  #exitReason: string | null = null;
  readonly #killOnExit = (): void => {
    this.#child?.kill('SIGKILL');
  };

  constructor(options: ServiceProcessOptions) {
    this.name = options.name;
    this.log = options.log;
    this.#options = options;
  }

  get running(): boolean {
    return this.#child !== null && this.#exitReason === null;
  }

  async start(): Promise<void> {
    if (this.#child !== null) throw new Error(`${this.name} is already running`);
    const spec = await this.#options.prepare();
    const fd = openSync(this.log, 'a');
    let child: ChildProcess;
    try {
      writeSync(fd, `# ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
      const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
      delete env['NODE_OPTIONS'];
      child = spawn(spec.command, [...spec.args], { cwd: spec.cwd ?? REPO_ROOT, env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.#child = child;
    this.#exitReason = null;
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitReason = signal !== null ? `killed by ${signal}` : `exit code ${code ?? '?'}`;
        resolve();
      });
      child.once('error', (error) => {
        this.#exitReason = `cannot run ${spec.command}: ${error.message}`;
        resolve();
      });
    });
    process.once('exit', this.#killOnExit);
    try {
      await this.#waitReady();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    if (this.#exitReason === null) {
      child.kill('SIGTERM');
      const graceMs = this.#options.stopGraceMs ?? 10_000;
      const timedOut = await Promise.race([this.#exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) child.kill('SIGKILL');
      await this.#exited;
    }
    this.#child = null;
    process.off('exit', this.#killOnExit);
  }

  /** SIGKILL: what a crashed host or an OOM-killed broker looks like. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    if (this.#exitReason === null) child.kill('SIGKILL');
    await this.#exited;
    this.#child = null;
    process.off('exit', this.#killOnExit);
  }

  async #waitReady(): Promise<void> {
    const timeoutMs = this.#options.readyTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    let lastError = 'no attempt yet';
    for (;;) {
      if (this.#exitReason !== null) {
        throw new Error(`${this.name} exited before it was ready (${this.#exitReason}); last probe error: ${lastError}\n${tail(this.log)}`);
      }
      try {
        await withTimeout(this.#options.probe(), PROBE_TIMEOUT_MS, `${this.name} probe`);
        return;
      } catch (error) {
        lastError = errorMessage(error);
      }
      if (Date.now() >= deadline) throw new Error(`${this.name} did not answer within ${timeoutMs} ms; last probe error: ${lastError}\n${tail(this.log)}`);
      await sleep(POLL_INTERVAL_MS);
    }
  }
}
