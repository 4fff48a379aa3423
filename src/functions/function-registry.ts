/**
 * The functions of a service (DESIGN §3.5): one runner per entry of the config's `functions:` map, shared by every
 * pipeline that names it and by Invoke — so a `module` function has ONE sandbox pool, warm for all its callers, as a
 * Lambda function has one set of execution environments — behind the function's reserved concurrency, which bounds
 * all of them together (concurrency-gate.ts). Inline pipeline functions keep a runner of their own per run.
 *
 * Shared runners are created on first use (the first pipeline run or Invoke), with the region of that first use
 * (a Lambda function lives in one region, and AWS maps only sources of its region), and closed when the service stops.
 * This is the `FunctionRegistry` port of the Lambda API (GetFunction, ListFunctions).
 */
import type { FunctionDescription, FunctionRegistry as FunctionRegistryPort } from '../api/ports.js';
import type { DeclaredFunctionConfig, FunctionConfig, PipelineConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RunnerUse } from '../pipeline/pipeline-run.js';
import { createRunner, type RunnerContext } from '../runner/create-runner.js';
import type { FunctionRunner } from '../runner/types.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { describeFunction } from './function-description.js';
import { GatedRunner } from './gated-runner.js';
import { InvocationLogs } from './invocation-logs.js';

export interface FunctionRegistryOptions {
  readonly functions: Readonly<Record<string, DeclaredFunctionConfig>>;
  /** Region of a shared runner first used by Invoke (a pipeline's first use brings its source's region). */
  readonly region: string;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly now: () => number;
  /** When the functions were loaded (GetFunction's LastModified). */
  readonly loadedAtMs: number;
  /** Builds runners (default: the runner `config.type` names); tests inject their own. */
  readonly createRunner?: (config: FunctionConfig, context: RunnerContext) => FunctionRunner;
}

/** One declared function as the invoker uses it. */
export interface DeclaredFunction {
  readonly name: string;
  readonly config: DeclaredFunctionConfig;
  readonly gate: ConcurrencyGate;
  /** Admission of queue pollers, the same size as `gate` (gated-runner.ts). */
  readonly admission: ConcurrencyGate;
  /** Captures the log lines of invocations (Invoke's log tail). */
  readonly logs: InvocationLogs;
  /** The shared runner, created on first use. */
  runner(region?: string): FunctionRunner;
}

class Entry implements DeclaredFunction {
  readonly name: string;
  readonly config: DeclaredFunctionConfig;
  readonly gate: ConcurrencyGate;
  readonly admission: ConcurrencyGate;
  readonly logs = new InvocationLogs();
  readonly #options: FunctionRegistryOptions;
  #runner: FunctionRunner | null = null;
  #closed = false;

  constructor(name: string, config: DeclaredFunctionConfig, options: FunctionRegistryOptions) {
    this.name = name;
    this.config = config;
    this.gate = new ConcurrencyGate(config.reservedConcurrency);
    this.admission = new ConcurrencyGate(config.reservedConcurrency);
    this.#options = options;
  }

  runner(region = this.#options.region): FunctionRunner {
    if (this.#closed) throw new TributaryError('STOPPED', `function ${this.name} is closed: the service is stopping`);
    this.#runner ??= (this.#options.createRunner ?? createRunner)(this.config, {
      region,
      now: this.#options.now,
      logger: this.logs.tap(this.#options.logger.child({ function: this.name })),
      metrics: this.#options.metrics,
      pipeline: this.name,
    });
    return this.#runner;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#runner?.close().catch(() => undefined);
  }
}

export class FunctionRegistry implements FunctionRegistryPort {
  readonly #entries: ReadonlyMap<string, Entry>;
  readonly #options: FunctionRegistryOptions;

  constructor(options: FunctionRegistryOptions) {
    this.#options = options;
    this.#entries = new Map(Object.entries(options.functions).map(([name, config]) => [name, new Entry(name, config, options)]));
  }

  list(): Promise<readonly FunctionDescription[]> {
    return Promise.resolve([...this.#entries.values()].map((entry) => describeFunction(entry.name, entry.config, this.#options.loadedAtMs)));
  }

  get(name: string): Promise<FunctionDescription | null> {
    const entry = this.#entries.get(name);
    return Promise.resolve(entry === undefined ? null : describeFunction(name, entry.config, this.#options.loadedAtMs));
  }

  /** The declared function `name`, or null. */
  declared(name: string): DeclaredFunction | null {
    return this.#entries.get(name) ?? null;
  }

  /**
   * The runner of one pipeline run (PipelineDeps.runnerFor): the shared runner of the declared function the pipeline
   * names, behind its reserved concurrency (its `close()` ends only this run's use); for an inline function, a runner
   * of the run's own, which the run closes.
   */
  runnerFor(config: PipelineConfig, use: RunnerUse): FunctionRunner {
    const entry = config.functionRef === null ? undefined : this.#entries.get(config.functionRef);
    if (entry === undefined) return (this.#options.createRunner ?? createRunner)(config.function, use);
    return new GatedRunner(entry.runner(use.region), entry.gate, { stopSignal: use.stopSignal, now: this.#options.now, admission: entry.admission });
  }

  /** Closes every shared runner (after the pipelines stopped). Idempotent. */
  async close(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => entry.close()));
  }
}
