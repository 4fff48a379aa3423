/**
 * One event source mapping: its configuration, its lifecycle (lifecycle.ts, Lambda's state names) and the supervisor
 * of its runs. A run (pipeline-run.ts) is one enabled period; disabling stops it and keeps every position (leases
 * released, offsets committed, nothing deleted that did not succeed), enabling starts a new one from there, and an
 * update swaps the configuration between two runs. The supervisor watches the run's health: a part failing past the
 * budget — or a handler that cannot initialise, or a permanent error — makes the pipeline `Failed` (`/readyz` 503,
 * `/status` saying why) while the run keeps retrying what may recover; once every part works it is `Enabled` again.
 * `stop()` (service shutdown) is awaitable and idempotent (DESIGN §7.6).
 */
import type { Logger } from 'pino';
import type { PipelineConfig } from '../config/types.js';
import { TributaryError, errorMessage } from '../errors.js';
import type { PipelineState } from '../observability/events.js';
import { seedPipelineMetrics, setPipelineState } from '../observability/seed-metrics.js';
import { transition, type LifecycleEvent } from './lifecycle.js';
import { PipelineRun, type PipelineDeps } from './pipeline-run.js';
import { Health, type Failing } from './supervise/health.js';

export type { PipelineDeps } from './pipeline-run.js';

export interface PipelineStatus {
  readonly name: string;
  readonly state: PipelineState;
  /** Why the pipeline is in its state (Lambda's StateTransitionReason). */
  readonly stateReason: string | null;
  readonly sourceType: string;
  readonly sourceArn: string | null;
  readonly lanes: number;
  readonly lastProcessingResult: string;
  readonly lastError: string | null;
  /** The part failing the longest right now, and since when (ISO-8601); null when everything works. */
  readonly failing: { readonly component: string; readonly since: string; readonly message: string } | null;
  /** Failed but retrying what may recover (false: only a configuration change helps). */
  readonly retrying: boolean;
}

export interface SupervisorOptions {
  /** How long a part may fail before the pipeline is `Failed` (default 60 s). */
  readonly failureBudgetMs?: number;
}

const DEFAULT_FAILURE_BUDGET_MS = 60_000;
/** How often the supervisor re-checks the health of a running pipeline. */
const CHECK_INTERVAL_MS = 1_000;
/** Characters of a function's error message kept in `lastError`. */
const MAX_ERROR_CHARS = 500;

export class Pipeline {
  readonly name: string;
  #config: PipelineConfig;
  readonly #deps: PipelineDeps;
  readonly #logger: Logger;
  readonly #budgetMs: number;
  #state: PipelineState = 'Creating';
  #reason: string | null = null;
  #run: PipelineRun | null = null;
  #health: Health;
  #timer: NodeJS.Timeout | null = null;
  /** The current run's lanes are running. */
  #runStarted = false;
  /** A failure that makes the pipeline Failed at once: the health part it belongs to, and whether retrying may help. */
  #failNow: { readonly message: string; readonly retrying: boolean } | null = null;
  #started: Promise<void> | null = null;
  #settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #stopped: Promise<void> | null = null;
  #transition: Promise<void> = Promise.resolve();
  #lastProcessingResult = 'No records processed';
  #lastError: string | null = null;
  /** Ends the current run's subscription to its failed invocations. */
  #unwatch: (() => void) | null = null;

  constructor(config: PipelineConfig, deps: PipelineDeps, options: SupervisorOptions = {}) {
    this.name = config.name;
    this.#config = config;
    this.#deps = deps;
    this.#logger = deps.logger.child({ pipeline: config.name });
    this.#budgetMs = options.failureBudgetMs ?? DEFAULT_FAILURE_BUDGET_MS;
    this.#health = this.#newHealth();
    // Series exist before the first event, so dashboards and alerts see the pipeline at once.
    seedPipelineMetrics(deps.metrics, { name: config.name });
    this.#exportState();
  }

  get config(): PipelineConfig {
    return this.#config;
  }

  get state(): PipelineState {
    return this.#state;
  }

  status(): PipelineStatus {
    const failing = this.#health.worst();
    return {
      name: this.name,
      state: this.#state,
      stateReason: this.#reason,
      sourceType: this.#config.source.type,
      sourceArn: this.#run?.sourceArn ?? null,
      lanes: this.#run?.lanes() ?? 0,
      lastProcessingResult: this.#lastProcessingResult,
      lastError: this.#lastError,
      failing: failing === null ? null : { component: failing.component, since: new Date(failing.sinceMs).toISOString(), message: failing.message },
      retrying: this.#state === 'Failed' ? (this.#failNow?.retrying ?? true) : this.#run !== null,
    };
  }

  /**
   * Starts the mapping (or leaves it Disabled with `enabled: false`). Resolves once it is Enabled or Disabled;
   * rejects once it is Failed (it keeps retrying in the background unless the failure is permanent).
   */
  start(): Promise<void> {
    this.#started ??= new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
      if (!this.#config.enabled) {
        this.#apply('start-disabled', 'enabled: false');
        return;
      }
      this.#apply('start', null);
      this.#launch();
    });
    return this.#started;
  }

  /** Disables: stops polling, keeps every position. */
  disable(timeoutMs: number, reason = 'disabled'): Promise<void> {
    return this.#serial(async () => {
      if (this.#state === 'Disabled') return;
      if (!this.#apply('disable', reason)) return;
      await this.#halt(timeoutMs);
      this.#apply('stopped', reason);
    });
  }

  /** Enables a disabled mapping: a new run resumes from the stored positions. */
  enable(): Promise<void> {
    return this.#serial(async () => {
      if (this.#state !== 'Disabled') return;
      this.#failNow = null;
      this.#apply('enable', 'enabled');
      this.#launch();
    });
  }

  /** Applies a new configuration: the running lanes drain, then a run with the new settings starts from where they stopped. */
  update(config: PipelineConfig, timeoutMs: number): Promise<void> {
    if (config.name !== this.name) return Promise.reject(new TributaryError('CONFIG_INVALID', `an update cannot rename pipeline ${this.name}`));
    return this.#serial(async () => {
      const wasRunning = this.#run !== null;
      if (!this.#apply('update', 'configuration changed')) throw new TributaryError('CONFIG_INVALID', `pipeline ${this.name} is ${this.#state}: it cannot be updated now`);
      if (wasRunning) await this.#halt(timeoutMs);
      this.#config = config;
      this.#failNow = null;
      if (config.enabled) {
        this.#apply('updated-enabled', 'configuration changed');
        this.#launch();
      } else this.#apply('updated-disabled', 'enabled: false');
    });
  }

  /**
   * Stops polling, lets in-flight batches finish within `timeoutMs`, then aborts what is left (those records return
   * to the source unsettled), settles, checkpoints, hands leases over and closes. Final and idempotent.
   */
  stop(timeoutMs = 30_000): Promise<void> {
    this.#stopped ??= this.#serial(async () => {
      if (this.#run !== null) this.#apply('disable', 'stop requested');
      await this.#halt(timeoutMs);
      if (this.#state === 'Disabling') this.#apply('stopped', 'stopped');
      this.#settle?.resolve();
    });
    return this.#stopped;
  }

  /** Deletes: like stop, and the state is Deleting until the owner forgets the pipeline. */
  delete(timeoutMs: number): Promise<void> {
    return this.#serial(async () => {
      this.#apply('delete', 'deleted');
      await this.#halt(timeoutMs);
      this.#settle?.resolve();
    });
  }

  /** Transitions one at a time, in call order. */
  #serial(action: () => Promise<void>): Promise<void> {
    const next = this.#transition.then(action);
    this.#transition = next.catch(() => undefined);
    return next;
  }

  #newHealth(): Health {
    return new Health(this.#deps.now, () => this.#evaluate());
  }

  #launch(): void {
    this.#health = this.#newHealth();
    this.#runStarted = false;
    const run = new PipelineRun(this.#config, this.#deps, {
      health: this.#health,
      started: () => {
        this.#runStarted = true;
        this.#evaluate();
      },
      problem: (error, how) => {
        this.#recordError(error, 'SOURCE_UNAVAILABLE');
        if (how.immediate || how.permanent) this.#failNow = { message: errorMessage(error), retrying: !how.permanent };
        this.#evaluate();
      },
      report: (result) => {
        this.#lastProcessingResult = result;
      },
      recordError: (error, code) => this.#recordError(error, code),
    });
    this.#run = run;
    this.#watchFailedCalls();
    void run.start();
    this.#timer = setInterval(() => this.#evaluate(), CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  async #halt(timeoutMs: number): Promise<void> {
    const run = this.#run;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (run === null) return;
    await run.stop(timeoutMs);
    this.#run = null;
    this.#unwatch?.();
    this.#unwatch = null;
  }

  /**
   * A failed invocation is the last error too, not only `lastProcessingResult`'s `PROBLEM: Function call failed`:
   * `/status` must not say `lastError: null` next to it (issue 18 item 9). The message is the function's own,
   * bounded (it is untrusted and may be large).
   */
  #watchFailedCalls(): void {
    this.#unwatch?.();
    this.#unwatch = this.#deps.events.on('batch-failed', (event) => {
      if (event.pipeline !== this.name) return;
      const message = event.errorMessage.length > MAX_ERROR_CHARS ? `${event.errorMessage.slice(0, MAX_ERROR_CHARS)}…` : event.errorMessage;
      this.#lastError = `Function call failed (${event.kind}) on ${event.shard}, batch of ${event.size}: ${event.errorType}: ${message}`;
    });
  }

  /** Derives Enabled / Failed from the run's health (see the file comment). */
  #evaluate(): void {
    if (this.#run === null || (this.#state !== 'Enabling' && this.#state !== 'Enabled' && this.#state !== 'Failed')) return;
    const worst: Failing | null = this.#health.worst();
    if (this.#failNow !== null && (worst !== null || !this.#failNow.retrying)) {
      this.#apply('fail', this.#failNow.message);
      return;
    }
    this.#failNow = null;
    if (worst !== null && this.#deps.now() - worst.sinceMs >= this.#budgetMs) {
      this.#apply('fail', `${worst.component}: ${worst.message}`);
      return;
    }
    // Before the run reports `started`, health may be clear but nothing polls yet.
    if (worst === null && this.#runStarted) this.#apply('running', null);
  }

  /** Applies a lifecycle event; false (and nothing changes) when the table refuses it. */
  #apply(event: LifecycleEvent, reason: string | null): boolean {
    const next = transition(this.#state, event);
    if (next.kind === 'refused') return false;
    if (next.state === this.#state && reason === this.#reason) return true;
    const previous = this.#state;
    this.#state = next.state;
    this.#reason = reason;
    this.#exportState();
    if (previous !== next.state) {
      const log = next.state === 'Failed' ? this.#logger.error.bind(this.#logger) : this.#logger.info.bind(this.#logger);
      log({ state: next.state, reason }, `pipeline ${next.state}${reason === null ? '' : `: ${reason}`}`);
      this.#deps.events.emit('state-changed', { pipeline: this.name, state: next.state, reason });
    }
    if (next.state === 'Enabled' || next.state === 'Disabled') this.#settle?.resolve();
    if (next.state === 'Failed') this.#settle?.reject(new TributaryError(this.#failNow?.retrying === false ? 'CONFIG_INVALID' : 'SOURCE_UNAVAILABLE', `pipeline ${this.name} failed: ${reason ?? 'unknown'}`));
    return true;
  }

  #exportState(): void {
    setPipelineState(this.#deps.metrics, this.name, this.#state);
  }

  #recordError(error: unknown, fallbackCode: string): void {
    const code = error instanceof TributaryError ? error.code : fallbackCode;
    const message = errorMessage(error);
    this.#lastError = `${code}: ${message}`;
    this.#logger.error({ code, err: message }, 'pipeline error');
    this.#deps.events.emit('error', { pipeline: this.name, code, message });
  }
}
