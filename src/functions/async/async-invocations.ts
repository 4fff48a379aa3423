/**
 * Asynchronous invocation of the declared functions (Invoke with `InvocationType: Event`, issue 14), built the way
 * AWS builds it — an internal queue per function and pollers that invoke from it
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html):
 *
 * - `enqueue` stores the event in the function's queue (the embedded one: SQLite in the state directory) and resolves
 *   only once the write is durable, so Invoke's 202 means the event survives a kill -9;
 * - `pipelineFor` gives each function an internal pipeline of the lane engine that reads that queue with the
 *   asynchronous executor (pipeline/execute/async-executor.ts): Lambda's retries, maximum age, destinations and
 *   dead-letter queue, under the function's reserved concurrency;
 * - `depths` tells `/status` how many events wait and how old the oldest is.
 */
import { join } from 'node:path';
import type { EventInvokeConfigStore } from '../../api/ports.js';
import type { AsyncQueueSourceConfig, DeclaredFunctionConfig, PipelineConfig, SourceConfig } from '../../config/types.js';
import { pipelineUuid } from '../../config/pipeline-uuid.js';
import type { ConnectorDefinition } from '../../connector/definition.js';
import type { QueueProducer } from '../../connector/types.js';
import { TributaryError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { encodeAsyncEvent } from '../../pipeline/execute/async-event.js';
import { asyncQueueExecutor, type AsyncEventRules, type DeadLetterTarget } from '../../pipeline/execute/async-executor.js';
import type { QueueExecutor } from '../../pipeline/execute/queue-executor.js';
import type { FunctionRunner } from '../../runner/types.js';
import type { FunctionRegistry } from '../function-registry.js';
import { effectiveEventInvokeConfig } from './async-policy.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { RecordTargets } from './record-targets.js';
import { sqsAsyncProducer, sqsAsyncSource } from './sqs-async-queue.js';

/** The embedded queue's database in the state directory. */
export const ASYNC_QUEUE_FILE = 'async-invocations.sqlite';
/** Most pollers of one function's queue; each invokes up to 10 events at once. */
const MAX_POLLERS = 10;

export interface AsyncInvocationsOptions {
  readonly functions: Readonly<Record<string, DeclaredFunctionConfig>>;
  readonly registry: FunctionRegistry;
  /** Where the embedded queue lives. */
  readonly stateDirectory: string;
  /** PutFunctionEventInvokeConfig's settings. */
  readonly configs: EventInvokeConfigStore;
  /** `…:function:<name>:$LATEST`, as records name the function. */
  readonly functionArn: (name: string) => string;
  /** The connector of the embedded queue (its producer). */
  readonly loadConnector: (config: AsyncQueueSourceConfig) => Promise<ConnectorDefinition>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** Multiplies every wait and maximum age (1 in production; tests of a running service shorten minutes). */
  readonly timeScale: number;
  /** Told after each stored event (the service starts the function's pipeline on its first). */
  readonly onEnqueued?: (functionName: string) => void;
}

/** One function's queue, as `/status` shows it. */
export interface AsyncQueueDepth {
  readonly functionName: string;
  readonly messages: number;
  /** Seconds since the oldest waiting event was stored; null when empty. */
  readonly oldestEventAgeSeconds: number | null;
}

/** What the service runs for one function: its pipeline and the executor that pipeline's lanes use. */
export interface AsyncPipeline {
  readonly config: PipelineConfig;
  readonly queueExecutor: QueueExecutor;
  /** The function's shared runner, ungated: the executor takes the concurrency slot itself (so it can time out). */
  readonly runnerFor: (region: string) => FunctionRunner;
}

export class AsyncInvocations {
  readonly #o: AsyncInvocationsOptions;
  readonly #producers = new Map<string, Promise<QueueProducer>>();
  readonly #targets: RecordTargets;
  readonly #deadLetters = new Map<string, DeadLetterTarget & { close(): void }>();
  #closed = false;

  constructor(options: AsyncInvocationsOptions) {
    this.#o = options;
    this.#targets = new RecordTargets((name, requestId, payload, signal) => this.enqueue(name, requestId, payload, signal), options.logger);
  }

  /** The functions with a queue (every declared one). */
  get functionNames(): readonly string[] {
    return Object.keys(this.#o.functions);
  }

  /** The functions whose queue is an SQS queue other replicas may feed (their pipelines run from the start). */
  get sharedQueueFunctions(): readonly string[] {
    return this.functionNames.filter((name) => this.#o.functions[name]?.asyncInvoke?.queue.type === 'sqs');
  }

  /**
   * Stores one event for `functionName`; resolves once it is durable.
   * @throws TributaryError STOPPED after `close()`, CONFIG_INVALID for a function that is not declared.
   */
  async enqueue(functionName: string, requestId: string, payload: string, signal: AbortSignal): Promise<void> {
    const producer = await this.#producer(functionName);
    const body = encodeAsyncEvent({ requestId, functionName, enqueuedAtMs: this.#o.now(), attempts: 0, dueAtMs: null, payload });
    await producer.send([{ body, delayMs: 0 }], signal);
    this.#o.metrics.asyncEventsEnqueued.inc({ function: functionName });
    this.#o.onEnqueued?.(functionName);
  }

  /** The internal pipeline of `functionName`. */
  pipelineFor(functionName: string): AsyncPipeline {
    const fn = this.#declared(functionName);
    const entry = this.#o.registry.declared(functionName);
    if (entry === null) throw new TributaryError('CONFIG_INVALID', `function ${functionName} is not declared`);
    const source = this.#source(functionName);
    const name = `${functionName}.async-invoke`;
    const config: PipelineConfig = {
      name,
      uuid: pipelineUuid(name),
      enabled: true,
      source,
      function: fn,
      functionRef: functionName,
      batchSize: 10,
      maximumBatchingWindowMs: 0,
      startingPosition: null,
      startingPositionTimestampMs: null,
      parallelizationFactor: 1,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeMs: -1,
      reportBatchItemFailures: false,
      filterPatterns: [],
      onFailureDestination: null,
      onFailure: null,
      tumblingWindowMs: 0,
      onFailureDeliveryExhausted: 'hold',
    };
    const queueExecutor = asyncQueueExecutor({
      functionName,
      functionArn: this.#o.functionArn(functionName),
      acquire: (signal) => entry.gate.acquire(signal),
      blocked: () => entry.gate.reserved === 0,
      rules: (signal) => this.#rules(functionName, signal),
      requeue: async (message, signal) => (await this.#producer(functionName)).send([message], signal),
      metrics: this.#o.metrics,
    });
    const runnerFor = (region: string): FunctionRunner => {
      const shared = entry.runner(region);
      // The run's close() ends only its use: the registry closes the shared runner when the service stops.
      const prepare = shared.prepare?.bind(shared);
      return {
        functionName: shared.functionName,
        invoke: (event, options) => shared.invoke(event, options),
        ...(prepare === undefined ? {} : { prepare }),
        close: async () => undefined,
      };
    };
    return { config, queueExecutor, runnerFor };
  }

  /** The queue depth of each of `functionNames` (default all); a queue that cannot say is left out. */
  async depths(signal: AbortSignal, functionNames: readonly string[] = this.functionNames): Promise<readonly AsyncQueueDepth[]> {
    const now = this.#o.now();
    const depths: AsyncQueueDepth[] = [];
    for (const functionName of functionNames) {
      try {
        const depth = await (await this.#producer(functionName)).depth(signal);
        const oldest = depth.oldestSentAtMs === null ? null : Math.max(0, now - depth.oldestSentAtMs) / 1000;
        this.#o.metrics.asyncQueueDepth.set({ function: functionName }, depth.messages);
        this.#o.metrics.asyncOldestEventAge.set({ function: functionName }, oldest ?? 0);
        depths.push({ functionName, messages: depth.messages, oldestEventAgeSeconds: oldest });
      } catch {
        // A stopped service or an unreadable queue: nothing to report for it.
      }
    }
    return depths;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const producers = [...this.#producers.values()];
    this.#producers.clear();
    await Promise.all(producers.map(async (producer) => (await producer.catch(() => null))?.close()));
    await this.#targets.close();
    for (const dlq of this.#deadLetters.values()) dlq.close();
  }

  async #rules(functionName: string, _signal: AbortSignal): Promise<AsyncEventRules> {
    const fn = this.#declared(functionName);
    const stored = await this.#o.configs.get(functionName, '$LATEST');
    const effective = effectiveEventInvokeConfig(stored, fn.asyncInvoke?.eventInvokeConfig ?? null, this.#o.timeScale);
    const dlqTarget = fn.asyncInvoke?.deadLetterTarget ?? null;
    return {
      policy: effective.policy,
      onSuccess: effective.onSuccess === null ? null : this.#targets.get(effective.onSuccess),
      onFailure: effective.onFailure === null ? null : this.#targets.get(effective.onFailure),
      deadLetter: dlqTarget === null ? null : this.#deadLetter(dlqTarget),
    };
  }

  #deadLetter(target: string): DeadLetterTarget {
    let dlq = this.#deadLetters.get(target);
    if (dlq === undefined) {
      dlq = deadLetterQueue(target);
      this.#deadLetters.set(target, dlq);
    }
    return dlq;
  }

  #declared(functionName: string): DeclaredFunctionConfig {
    const fn = this.#o.functions[functionName];
    if (fn === undefined) throw new TributaryError('CONFIG_INVALID', `function ${functionName} is not declared`);
    return fn;
  }

  #source(functionName: string): SourceConfig {
    const fn = this.#declared(functionName);
    const reserved = fn.reservedConcurrency;
    const maxPollers = reserved === null ? MAX_POLLERS : Math.max(1, Math.min(MAX_POLLERS, Math.ceil(reserved / 10)));
    const queue = fn.asyncInvoke?.queue ?? { type: 'embedded' };
    if (queue.type === 'sqs') return sqsAsyncSource(queue, maxPollers);
    return { type: 'async-queue', path: join(this.#o.stateDirectory, ASYNC_QUEUE_FILE), queue: functionName, maxPollers };
  }

  #producer(functionName: string): Promise<QueueProducer> {
    if (this.#closed) return Promise.reject(new TributaryError('STOPPED', 'the asynchronous queue is closed: the service is stopping'));
    let producer = this.#producers.get(functionName);
    if (producer === undefined) {
      const source = this.#source(functionName);
      producer =
        source.type === 'sqs'
          ? Promise.resolve(sqsAsyncProducer(source))
          : source.type === 'async-queue'
            ? this.#o.loadConnector(source).then((connector) => {
                if (connector.openProducer === undefined) throw new TributaryError('INTERNAL', 'the async-queue connector has no producer');
                return connector.openProducer(source, { now: this.#o.now });
              })
            : Promise.reject(new TributaryError('INTERNAL', `no asynchronous queue of type ${source.type}`));
      producer.catch(() => this.#producers.delete(functionName));
      this.#producers.set(functionName, producer);
    }
    return producer;
  }
}
