/**
 * The shapes shared by the bench runner (parent process) and the contenders (one child process each).
 *
 * A workload prepares data once (a topic, a stream), then declares cases (one table row each). A case names its
 * contenders; each contender is a module in bench/contenders/ run in its own child process, so the CPU time and
 * peak RSS it reports are its own (process.cpuUsage / process.resourceUsage of that child).
 */

/** JSON-serialisable parameters handed to a contender in its child process. */
export type Params = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** Who a contender stands for in the table. */
export type Role = 'tributary' | 'raw' | 'peer';

/**
 * What a contender measured. `metrics` are named numbers (see METRICS in ./metrics.ts); `check` is a correctness
 * problem seen after the measurement (e.g. offsets not committed): it is printed in the table, never hidden.
 */
export interface Measurement {
  readonly metrics: Readonly<Record<string, number>>;
  readonly check: string | null;
  /** The measured window on the monotonic clock (µs, process.hrtime), so `--profile` can leave start-up out. */
  readonly window?: { readonly startUs: number; readonly endUs: number };
}

/** A contender of one case: which module runs it and with what. */
export interface ContenderSpec {
  /** Short id, unique in the case (also `--contender` of `--profile`). */
  readonly id: string;
  readonly role: Role;
  /** What the table calls it: `kafkajs eachBatch`, `sqs-consumer`… */
  readonly label: string;
  /** File name in bench/contenders/ without `.ts`; it exports `run(params): Promise<Measurement>`. */
  readonly module: string;
  /** Parameters of every round; `roundParams` of the case can add per-round ones (a fresh group id…). */
  readonly params: Params;
}

/** The metric the ratio column compares, and which way is better. */
export interface RatioSpec {
  readonly metric: string;
  readonly better: 'higher' | 'lower';
}

/** One table row: contenders measured in interleaved rounds. */
export interface CaseSpec {
  /** `kafka-drain`, `kafka-rss/batch-100`… unique over the run. */
  readonly id: string;
  /** The row's first cell. */
  readonly title: string;
  readonly contenders: readonly ContenderSpec[];
  /** Metrics shown in each cell, in order. */
  readonly show: readonly string[];
  readonly ratio: RatioSpec;
  /** At most this many rounds, whatever `--rounds` says (long, quiet measurements such as idle lanes). */
  readonly maxRounds?: number;
  /** Per round and contender, in the parent: fill a queue, pick a fresh consumer group… */
  roundParams?(contender: ContenderSpec, round: number): Promise<Params>;
  /** After each child run, in the parent (delete the queue it drained…). */
  afterRun?(contender: ContenderSpec, params: Params): Promise<void>;
}

/** Options every workload sees. */
export interface BenchOptions {
  /** Small sizes and one round: proves the harness works, measures nothing worth quoting. */
  readonly quick: boolean;
  readonly rounds: number;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** One file of bench/workloads/. */
export interface Workload {
  readonly id: string;
  /** Shared services it needs (started through the test harness when they do not answer). */
  readonly services: readonly ('kafka' | 'sqs' | 'kinesis')[];
  /** Creates what its cases read (once per run; may reuse what an earlier run left) and returns the cases. */
  prepare(options: BenchOptions): Promise<readonly CaseSpec[]>;
  /** Removes what prepare made that is not worth keeping between runs. */
  cleanup?(): Promise<void>;
  /**
   * Set on a slot that waits for a feature (a documented hook, see bench/README.md): the table prints this reason
   * instead of a number, and prepare() is not called.
   */
  readonly pending?: string;
  /** The row title of a pending slot. */
  readonly title?: string;
}

/** Parent → child message. */
export interface ChildRequest {
  readonly module: string;
  readonly params: Params;
}

/** Child → parent message. */
export type ChildReply = { readonly ok: true; readonly measurement: Measurement } | { readonly ok: false; readonly error: string };
