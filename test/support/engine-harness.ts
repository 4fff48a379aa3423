/**
 * Runs a source object through the REAL lane engine (assigners, lane loop, executors, progress writers) with an
 * in-process function, for tests that exercise a connector's contract against its real broker with knobs the config
 * file does not have (session timeouts, idle poll intervals, injected clocks). Nothing here re-implements the engine:
 * it only builds the run context a pipeline run would build.
 */
import { pino, type Logger } from 'pino';
import { createCheckpointStore } from '../../src/checkpoint/index.js';
import type { CheckpointStore } from '../../src/checkpoint/types.js';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { Source } from '../../src/connector/types.js';
import { resolveConfigObject } from '../../src/config/index.js';
import type { PipelineConfig } from '../../src/config/types.js';
import { TypedEmitter } from '../../src/observability/events.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import type { Assigner } from '../../src/pipeline/assign/assigner.js';
import { ElasticLanes } from '../../src/pipeline/assign/elastic-lanes.js';
import { GroupPartitions } from '../../src/pipeline/assign/group-partitions.js';
import { LeasedShards } from '../../src/pipeline/assign/leased-shards.js';
import type { DiscardTarget } from '../../src/pipeline/execute/discard.js';
import { MATCH_ALL } from '../../src/pipeline/record-matcher.js';
import type { RunContext } from '../../src/pipeline/run-context.js';
import { Health } from '../../src/pipeline/supervise/health.js';
import { InProcessRunner } from '../../src/runner/in-process-runner.js';
import type { LambdaHandler } from '../../src/runner/types.js';
import type { BackoffOptions } from '../../src/policy/backoff.js';

export interface HarnessOptions {
  /** The pipeline as in a config file (source included, for validation); `function` is replaced by `handler`. */
  readonly pipeline: Record<string, unknown>;
  readonly source: Source;
  readonly connector: ConnectorDefinition;
  readonly handler: (event: unknown, context: unknown) => unknown;
  /** The function's timeout (default 60 s). */
  readonly functionTimeoutSeconds?: number;
  /** Resolved settings the config file cannot express (sub-second batching windows). */
  readonly overrides?: Partial<PipelineConfig>;
  readonly logger?: Logger;
  readonly destination?: DiscardTarget | null;
  /** Stream sources: the checkpoint store (default: a file store in `checkpointDir`). */
  readonly store?: CheckpointStore;
  readonly checkpointDir?: string;
  readonly leaseDurationMs?: number;
  readonly workerId?: string;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Back-off between in-place retries (default the engine's). */
  readonly backoff?: BackoffOptions;
  /** Metrics to report to (default: a fresh registry). */
  readonly metrics?: Metrics;
  /** The region the in-process function's context reports (default us-east-1). */
  readonly region?: string;
}

export interface RunningHarness {
  readonly config: PipelineConfig;
  readonly metrics: Metrics;
  readonly health: Health;
  readonly assigner: Assigner;
  /** Graceful stop within `timeoutMs`, then a hard one; closes the source. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function runThroughEngine(options: HarnessOptions): Promise<RunningHarness> {
  const resolved = resolveConfigObject(
    { server: { enabled: false }, pipelines: [{ ...options.pipeline, function: { type: 'in-process', handler: () => null, timeout: options.functionTimeoutSeconds ?? 60 } }] },
    { env: {}, baseDir: process.cwd() },
  ).pipelines[0] as PipelineConfig;
  const config: PipelineConfig = { ...resolved, ...options.overrides };
  const logger = options.logger ?? pino({ level: process.env['TRIBUTARY_TEST_LOG'] ?? 'silent' });
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  const stop = new AbortController();
  const invoke = new AbortController();
  const now = options.now ?? Date.now;
  const health = new Health(now);
  const runner = new InProcessRunner({ functionName: config.function.functionName, memorySizeMb: 128, region: options.region ?? 'us-east-1', now, load: async () => options.handler as LambdaHandler });
  const destination = options.destination ?? null;
  const run: RunContext = {
    config,
    connector: options.connector,
    logger,
    metrics,
    events: new TypedEmitter(() => undefined),
    matcher: MATCH_ALL,
    runner,
    now,
    random: options.random ?? Math.random,
    stopSignal: stop.signal,
    invokeSignal: invoke.signal,
    health,
    report: () => undefined,
    recordError: (error) => logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'recorded error'),
    destination,
    failureRecords:
      config.onFailure === null
        ? null
        : options.connector.failureRecords({ config: config.source, destination: config.onFailure, sourceArn: () => options.source.sourceArn, toEvent: (r) => options.source.toEvent(r) }),
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${config.function.functionName}`,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  };
  let assigner: Assigner;
  switch (options.source.kind) {
    case 'queue':
      assigner = new ElasticLanes(run, options.source);
      break;
    case 'group':
      assigner = new GroupPartitions(run, options.source);
      break;
    case 'stream':
      assigner = new LeasedShards(run, options.source, {
        store: options.store ?? (await createCheckpointStore({ type: 'file', path: options.checkpointDir ?? '.tributary-test' })),
        workerId: options.workerId ?? `harness-${process.pid}`,
        leaseDurationMs: options.leaseDurationMs ?? 10_000,
        shardSyncIntervalMs: 10_000,
      });
      break;
  }
  await assigner.start();
  let stopped: Promise<void> | null = null;
  return {
    config,
    metrics,
    health,
    assigner,
    stop: (timeoutMs = 10_000) => {
      stopped ??= (async () => {
        stop.abort();
        const timer = setTimeout(() => invoke.abort(), timeoutMs);
        await assigner.drained();
        clearTimeout(timer);
        invoke.abort();
        await runner.close();
        await options.source.close();
      })();
      return stopped;
    },
  };
}
