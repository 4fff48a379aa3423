/**
 * The instances of one source's campaign (A, and B for lease-sharing sources) under a supervisor that behaves
 * like Kubernetes' `restartPolicy: Always`: a process that ends without being asked is recorded as an
 * unexpected exit (with its exit code and last log lines) and started again a second later.
 */
import { join } from 'node:path';
import { JsonLinesTail } from './ledger.ts';
import { parseLogLine, type LogLine } from './log-events.ts';
import { TributaryProcess, type Exit } from './instance.ts';

export interface UnexpectedExit {
  readonly label: string;
  readonly pid: number;
  readonly exit: Exit;
  readonly uptimeMs: number;
  readonly lastLines: readonly string[];
}

export interface FleetOptions {
  readonly cli: string;
  readonly config: string;
  readonly dir: string;
  readonly env: (label: string) => Readonly<Record<string, string>>;
  readonly restartDelayMs: number;
}

interface Member {
  process: TributaryProcess;
  logs: JsonLinesTail<LogLine>;
  wanted: boolean;
}

export class Fleet {
  readonly #options: FleetOptions;
  readonly #members = new Map<string, Member>();
  /** Every process's log, including processes already gone. */
  readonly #allLogs: JsonLinesTail<LogLine>[] = [];
  readonly unexpectedExits: UnexpectedExit[] = [];
  #starts = 0;
  #closed = false;

  constructor(options: FleetOptions) {
    this.#options = options;
  }

  labels(): string[] {
    return [...this.#members].filter(([, m]) => m.wanted).map(([label]) => label);
  }

  running(label: string): TributaryProcess | null {
    const member = this.#members.get(label);
    return member !== undefined && member.process.running ? member.process : null;
  }

  /** Starts (or restarts) the instance under `label`. */
  start(label: string): TributaryProcess {
    const current = this.#members.get(label);
    if (current?.process.running === true) throw new Error(`instance ${label} is already running`);
    this.#starts += 1;
    const log = join(this.#options.dir, `${label}-${this.#starts}.log`);
    const child = new TributaryProcess({ cli: this.#options.cli, config: this.#options.config, env: this.#options.env(label), log, cwd: this.#options.dir });
    const logs = new JsonLinesTail(log, parseLogLine);
    this.#allLogs.push(logs);
    const member: Member = { process: child, logs, wanted: true };
    this.#members.set(label, member);
    void child.exited.then((exit) => this.#onExit(label, member, exit));
    return child;
  }

  /** kill -9; the instance stays down until started again. */
  async kill9(label: string): Promise<void> {
    const member = this.#members.get(label);
    if (member === undefined) return;
    member.wanted = false;
    await member.process.kill9();
  }

  /** SIGTERM and wait for the exit; the instance stays down until started again. */
  async terminate(label: string, timeoutMs: number): Promise<Awaited<ReturnType<TributaryProcess['terminate']>> | null> {
    const member = this.#members.get(label);
    if (member === undefined || !member.process.running) return null;
    member.wanted = false;
    return member.process.terminate(timeoutMs);
  }

  /** Log lines of the current process under `label`. */
  logs(label: string): readonly LogLine[] {
    return this.#members.get(label)?.logs.read() ?? [];
  }

  /** Log lines of every process the fleet ever started, in start order. */
  allLogs(): LogLine[] {
    return this.#allLogs.flatMap((tail) => tail.read());
  }

  /** Stops supervising and kills whatever still runs. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#members.values()].map((m) => m.process.kill9()));
  }

  #onExit(label: string, member: Member, exit: Exit): void {
    if (member.process.expectedExit || this.#closed || this.#members.get(label) !== member) return;
    const lines = member.logs.read().slice(-8).map((l) => `${l.msg} ${JSON.stringify({ ...l, msg: undefined, time: undefined, level: undefined, service: undefined })}`);
    this.unexpectedExits.push({ label, pid: member.process.pid, exit, uptimeMs: exit.atMs - member.process.startedAtMs, lastLines: lines });
    setTimeout(() => {
      if (!this.#closed && this.#members.get(label) === member && member.wanted) this.start(label);
    }, this.#options.restartDelayMs);
  }
}
