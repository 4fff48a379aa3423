/**
 * The `module` function runner: a Lambda handler file run in worker-thread sandboxes with Lambda's execution
 * environment lifecycle (DESIGN §3.3) — init once per sandbox (the cold start, timed), many warm invocations,
 * shutdown on `close()`; a timeout or a crash discards the sandbox and the next invocation cold-starts.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 *
 * Every invocation ends in an `InvokeResult` (never an exception) and, when a logger is given, a Lambda-style
 * REPORT log line.
 */
import { randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { eventJson, fitsByHint, oversizedJson } from './payload-limits.js';
import { callbackStyleWarning } from './prepare-warnings.js';
import { logStreamName, sandboxEnvironment, type AwsCredentialsMode, type InitializationType } from './sandbox/environment.js';
import type { InvokeEvent, LogMessage } from './sandbox/protocol.js';
import { SandboxPool } from './sandbox/pool.js';
import { logReport } from './sandbox/report.js';
import { Sandbox, workerEntryUrl, type SandboxInvokeOutcome } from './sandbox/sandbox.js';
import { aborted, invalidEvent } from './sandbox/sandbox-errors.js';
import { randomHex, traceHeader, type RandomHex } from './trace-id.js';
import type { FunctionRunner, InvokeOptions, InvokeResult, PrepareResult } from './types.js';

/** Lambda's limit on the init phase of an on-demand environment. */
export const INIT_TIMEOUT_MS = 10_000;

export interface ModuleRunnerOptions {
  readonly functionName: string;
  /** Absolute handler file without extension; Lambda's extensions (and `.ts`, `.mts`, `.cts`) are tried. */
  readonly handlerFile: string;
  readonly handlerExport: string;
  /** Lambda MemorySize: the sandbox's heap limit and `context.memoryLimitInMB`. */
  readonly memorySizeMb: number;
  readonly region: string;
  /** The function's environment variables, on top of Lambda's own (the service's environment is not passed). */
  readonly environment?: Readonly<Record<string, string>> | undefined;
  /** `inherit`: the sandbox gets the service's AWS credential chain; `none` (default): no credentials. */
  readonly awsCredentials?: AwsCredentialsMode | undefined;
  /** Randomness of trace ids and log stream names (tests). */
  readonly randomHex?: RandomHex | undefined;
  /** Sandboxes initialised when the runner starts (and kept at that number), so first invocations are warm. */
  readonly provisionedConcurrency?: number | undefined;
  /** Clock the `deadlineMs` of invocations is measured on (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /** Receives one `report` line per invocation (info) and sandbox incidents (warn/error). */
  readonly logger?: Logger | undefined;
  /** Observes `initDuration` on every cold start, labelled `pipeline`. */
  readonly metrics?: Pick<Metrics, 'initDuration'> | undefined;
  /** The `pipeline` label of metrics (default: the function name). */
  readonly pipeline?: string | undefined;
  /** Default 10 s, Lambda's init limit. */
  readonly initTimeoutMs?: number | undefined;
  /** The worker's first module; default: worker-entry next to sandbox.ts (see worker-entry.ts). */
  readonly workerEntry?: URL | undefined;
}

export class ModuleRunner implements FunctionRunner {
  readonly functionName: string;
  readonly #options: ModuleRunnerOptions;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #pool: SandboxPool;
  readonly #randomHex: RandomHex;
  #closed: Promise<void> | null = null;

  constructor(options: ModuleRunnerOptions) {
    this.functionName = options.functionName;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger();
    this.#randomHex = options.randomHex ?? randomHex;
    const entry = options.workerEntry ?? workerEntryUrl();
    this.#pool = new SandboxPool({
      provisionedConcurrency: options.provisionedConcurrency ?? 0,
      logger: this.#logger,
      spawn: (initializationType) => this.#spawn(entry, initializationType),
    });
    this.#pool.provision();
  }

  /** Resolves when the provisioned sandboxes have finished their init phase (at once without provisioning). */
  ready(): Promise<void> {
    return this.#pool.provisioned();
  }

  /** Live sandboxes (initialising, idle or busy) and idle ones; for status pages and tests. */
  sandboxes(): { readonly live: number; readonly idle: number } {
    return { live: this.#pool.size, idle: this.#pool.idle };
  }

  async invoke(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    // Lambda's timeout counts from when the handler starts: a cold start's init does not eat into it.
    const timeoutMs = Math.max(0, options.deadlineMs - this.#now());
    const requestId = options.requestId ?? randomUUID();
    if (this.#closed !== null || options.signal.aborted) return { status: 'error', kind: 'timeout', error: aborted(), durationMs: 0, coldStart: false };
    // The event is serialised once (protocol.ts): cloned when the caller's bound proves it fits, else measured as the
    // JSON text that then goes to the sandbox.
    let payload: InvokeEvent;
    if (fitsByHint(options.sizeHintBytes)) payload = { kind: 'clone', value: event };
    else {
      const json = eventJson(event);
      if (json === null) return { status: 'error', kind: 'crashed', error: invalidEvent('the event is not JSON-serialisable'), durationMs: 0, coldStart: false };
      // Lambda refuses a request over 6 MB before any environment sees it.
      const tooLarge = oversizedJson(json);
      if (tooLarge !== null) return { status: 'error', kind: 'payload-too-large', error: tooLarge, durationMs: 0, coldStart: false };
      payload = { kind: 'json', text: json };
    }
    const acquired = await this.#pool.acquire(options.signal);
    if (acquired.status === 'aborted') return { status: 'error', kind: 'timeout', error: aborted(), durationMs: 0, coldStart: false };
    if (acquired.status === 'init-failed') {
      const { kind, error, initDurationMs } = acquired.outcome;
      this.#observeInit(initDurationMs);
      this.#report(requestId, 0, initDurationMs, 0, kind === 'timeout' ? 'timeout' : 'error', error.errorType);
      return { status: 'error', kind, error, durationMs: 0, coldStart: true, initDurationMs, ...LOCAL_FUNCTION_ERROR };
    }
    const { sandbox, coldStart, initDurationMs } = acquired;
    if (initDurationMs !== null) this.#observeInit(initDurationMs);
    const traceId = options.trace?.xRay ?? traceHeader(this.#now(), this.#randomHex);
    const outcome = await sandbox.invoke(payload, requestId, timeoutMs, options.signal, traceId);
    this.#pool.release(sandbox);
    this.#report(requestId, outcome.durationMs, initDurationMs, sandbox.maxMemoryUsedMb, reportStatus(outcome), outcome.status === 'error' ? outcome.error.errorType : null);
    const init = initDurationMs === null ? {} : { initDurationMs };
    if (outcome.status === 'ok') return { status: 'ok', payload: outcome.payload, durationMs: outcome.durationMs, coldStart, ...init, ...LOCAL_RESPONSE };
    // An abort (shutdown) is not an answer of the function: nothing to report as Invoke's response.
    const meta = outcome.error.errorType === aborted().errorType ? {} : LOCAL_FUNCTION_ERROR;
    return { status: 'error', kind: outcome.kind, error: outcome.error, durationMs: outcome.durationMs, coldStart, ...init, ...meta };
  }

  /**
   * Runs the init phase once, in a sandbox that then stays warm for the first invocation: the handler file resolves,
   * its module loads (top-level code runs) and the export is a function — or Lambda's init error, with the first
   * lines of its stack. Warns about a callback-style handler (AWS's nodejs24.x refuses them).
   */
  async prepare(signal: AbortSignal): Promise<PrepareResult> {
    if (this.#closed !== null) return { status: 'error', error: aborted() };
    const acquired = await this.#pool.acquire(signal);
    if (acquired.status === 'aborted') return { status: 'error', error: aborted() };
    if (acquired.status === 'init-failed') {
      const { error, initDurationMs, stack } = acquired.outcome;
      this.#observeInit(initDurationMs);
      return { status: 'error', error, ...(stack === undefined ? {} : { stack }) };
    }
    const { sandbox, initDurationMs } = acquired;
    if (initDurationMs !== null) this.#observeInit(initDurationMs);
    const warning = callbackStyleWarning(this.#options.handlerExport, sandbox.handlerArity);
    this.#pool.release(sandbox);
    return { status: 'ok', ...(initDurationMs === null ? {} : { initDurationMs }), warnings: warning === null ? [] : [warning] };
  }

  /** Shutdown: terminates every sandbox; invocations still running end as aborted. Idempotent, awaitable. */
  close(): Promise<void> {
    this.#closed ??= this.#pool.close();
    return this.#closed;
  }

  #spawn(entry: URL, initializationType: InitializationType): Sandbox {
    const { functionName, handlerFile, handlerExport, memorySizeMb, region } = this.#options;
    const stream = logStreamName(this.#now(), this.#randomHex(16));
    const env = sandboxEnvironment({
      functionName,
      memorySizeMb,
      region,
      handlerFile,
      handlerExport,
      initializationType,
      logStreamName: stream,
      awsCredentials: this.#options.awsCredentials ?? 'none',
      environment: this.#options.environment ?? {},
    });
    return new Sandbox(entry, {
      workerData: { handlerFile, handlerExport, functionName, memorySizeMb, region: env['AWS_REGION'] ?? region, logStreamName: stream },
      env,
      initializationType,
      initTimeoutMs: this.#options.initTimeoutMs ?? INIT_TIMEOUT_MS,
      onIdleDeath: (sandbox, error) => this.#pool.forget(sandbox, error),
      onLog: (message) => this.#functionLog(message),
    });
  }

  /** A handler's console entry, at the matching level, with its request id (Lambda's text line as the message). */
  #functionLog(message: LogMessage): void {
    const level = PINO_LEVEL[message.level];
    this.#logger[level]({ requestId: message.requestId, source: 'function' }, message.line);
  }

  #observeInit(initDurationMs: number): void {
    this.#options.metrics?.initDuration.observe({ pipeline: this.#options.pipeline ?? this.functionName }, initDurationMs / 1000);
  }

  #report(requestId: string, durationMs: number, initDurationMs: number | null, maxMemoryUsedMb: number, status: 'ok' | 'timeout' | 'error', errorType: string | null): void {
    logReport(this.#logger, {
      requestId,
      durationMs,
      memorySizeMb: this.#options.memorySizeMb,
      maxMemoryUsedMb,
      initDurationMs,
      status,
      errorType: status === 'error' ? errorType : null,
    });
  }
}

/** What Lambda answers for a function it ran: 200 from `$LATEST`; errors are `Unhandled` (today's runtimes). */
const LOCAL_RESPONSE = { statusCode: 200, executedVersion: '$LATEST' } as const;
const LOCAL_FUNCTION_ERROR = { ...LOCAL_RESPONSE, functionError: 'Unhandled' } as const;

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error', FATAL: 'fatal' } as const;

/** The REPORT status: only failures of the environment itself (timeout, crash) are flagged, not handler errors. */
function reportStatus(outcome: SandboxInvokeOutcome): 'ok' | 'timeout' | 'error' {
  if (outcome.status === 'ok' || outcome.kind === 'threw' || outcome.kind === 'bad-response') return 'ok';
  return outcome.kind === 'timeout' ? 'timeout' : 'error';
}
