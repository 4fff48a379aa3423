/**
 * One `tributary run -c FILE` process: the real built CLI, as an operator runs it. Its JSON log lines go to its
 * own file; the campaign kills it (-9), asks it to stop (SIGTERM) and notices when it ends on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly atMs: number;
}

export interface InstanceOptions {
  readonly cli: string;
  readonly config: string;
  readonly env: Readonly<Record<string, string>>;
  readonly log: string;
  readonly cwd: string;
}

export class TributaryProcess {
  readonly log: string;
  readonly startedAtMs: number;
  readonly #child: ChildProcess;
  readonly exited: Promise<Exit>;
  #exit: Exit | null = null;
  #expected = false;

  constructor(options: InstanceOptions) {
    const fd = openSync(options.log, 'a');
    try {
      writeSync(fd, `# ${new Date().toISOString()} node ${options.cli} run -c ${options.config}\n`);
      const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
      delete env['NODE_OPTIONS'];
      this.#child = spawn(process.execPath, [options.cli, 'run', '-c', options.config], { cwd: options.cwd, env, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    this.log = options.log;
    this.startedAtMs = Date.now();
    // Never outlive the campaign (Ctrl-C, a crash of the runner).
    const killOnExit = (): void => void this.#child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.exited = new Promise<Exit>((resolve) => {
      this.#child.once('exit', (code, signal) => {
        process.off('exit', killOnExit);
        this.#exit = { code, signal, atMs: Date.now() };
        resolve(this.#exit);
      });
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get running(): boolean {
    return this.#exit === null;
  }

  /** True when the campaign asked it to end (kill or SIGTERM); an exit otherwise is unexpected. */
  get expectedExit(): boolean {
    return this.#expected;
  }

  async kill9(): Promise<Exit> {
    this.#expected = true;
    if (this.#exit === null) this.#child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM, then the exit (or SIGKILL after `timeoutMs`, reported as a null code). */
  async terminate(timeoutMs: number): Promise<{ readonly exit: Exit; readonly tookMs: number; readonly timedOut: boolean }> {
    this.#expected = true;
    const sentAt = Date.now();
    if (this.#exit === null) this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) this.#child.kill('SIGKILL');
    const exit = await this.exited;
    return { exit, tookMs: exit.atMs - sentAt, timedOut };
  }
}
