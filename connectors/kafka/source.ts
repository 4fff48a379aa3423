/**
 * Amazon MSK and self-managed Apache Kafka as a consumer-group source, behaving as Lambda's Kafka event source
 * mapping. https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html, https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html
 *
 * - The group coordinator assigns partitions; kafkajs fetches (`autoCommit: false`). Each assigned partition gets a
 *   lane (./lane.ts) that batches, calls the core's handler in offset order, and commits only the settled prefix —
 *   "offsets are committed after successful processing of each batch" (reference §3.9). Lanes run outside kafkajs's
 *   fetch loop, so one partition retrying a poison batch never stalls the others, and kafkajs keeps heartbeating
 *   while a handler runs longer than the session timeout.
 * - Fencing: every JoinGroup answer (a new generation) revokes all lanes at once — eager rebalancing — before kafkajs
 *   installs the new assignment; a revoked lane aborts its batch and commits nothing more (the broker would refuse
 *   the old generation anyway, and the new one must not commit a partition this member may no longer own). A commit
 *   the broker refuses for a lost generation does the same, and holds every partition until kafkajs has rejoined.
 * - Retry state: `persistAttempt` commits the batch's first offset again with `{"tributaryAttempt": n}` as commit
 *   metadata; a lane reads it back before its first batch, so MaximumRetryAttempts survives restarts and rebalances.
 * - StartingPosition applies to new groups only (./start-position.ts).
 */
import type {
  GroupSource,
  KafkaSourceConfig,
  PartitionBatchHandler,
  SourceCapabilities,
  SourceContext,
  SourceRecord,
} from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import type { FetchedBatch, GroupConsumer, GroupListener, KafkaApi } from './client.js';
import { isGenerationLost, toKafkaError } from './errors.js';
import { eventOverheadBytes, partitionKey, toKafkaEvent, toSourceRecord, type KafkaEventContext } from './event.js';
import { PartitionLane, decodeAttempt, type CommitOutcome } from './lane.js';
import { fromBeginning, pinStartingPositions, type KafkaStartingPosition } from './start-position.js';

/** The pipeline-level settings a Kafka source needs besides its `source` config. */
export interface KafkaRunOptions {
  readonly startingPosition: KafkaStartingPosition;
  /** Epoch ms; required for AT_TIMESTAMP. */
  readonly startingPositionTimestampMs: number | null;
  /** Records per invocation at most (1–10,000). */
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds in ms (Lambda's Kafka default is 500 ms). */
  readonly maximumBatchingWindowMs: number;
  /** kafkajs session timeout (default 30,000 ms): a member silent this long is removed from the group. */
  readonly sessionTimeoutMs?: number;
  /** Heartbeat interval (default 3,000 ms; keep it well below the session timeout). */
  readonly heartbeatIntervalMs?: number;
}

/** Lambda's invoke payload limit (6 MB), the same cap the core's batcher applies. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** BatchSize of a Kafka mapping: 1–10,000 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html). */
const MAX_BATCH_SIZE = 10_000;
const COMMIT_ATTEMPTS = 3;

interface LaneEntry {
  readonly lane: PartitionLane;
  /** The group generation (as counted here) the lane belongs to. */
  readonly generation: number;
  /** Commit through the consumer that fetched the lane's latest batch. */
  commit: FetchedBatch['commit'];
  /** A batch of a newer generation arrived while this lane was winding down: resume the partition when it exits. */
  resumeOnExit: boolean;
}

/**
 * The partition's high watermark reported with a fetch (kafkajs `batch.highWatermark`), when the client passes it
 * on: read structurally so the source works with a `FetchedBatch` that does not carry it (offset lag is then not
 * reported).
 */
export class KafkaSource implements GroupSource {
  readonly kind = 'group' as const;
  readonly capabilities: SourceCapabilities = {
    ordering: 'per-shard',
    progress: 'native-commit',
    maxBatchSize: MAX_BATCH_SIZE,
    filterDataKey: 'value',
    lanes: { kind: 'shards', pageSize: MAX_BATCH_SIZE },
  };
  readonly sourceArn: string;
  readonly #config: KafkaSourceConfig;
  readonly #api: KafkaApi;
  readonly #context: SourceContext;
  readonly #options: KafkaRunOptions;
  readonly #eventContext: KafkaEventContext;
  readonly #lanes = new Map<string, LaneEntry>();
  /** close(): revoke everything and leave. */
  readonly #hardStop = new AbortController();
  #stopping: AbortSignal = AbortSignal.abort();
  #consumer: GroupConsumer | null = null;
  #generation = 0;
  /** A commit was refused for a lost generation and kafkajs has not rejoined yet. */
  #awaitingJoin = false;
  /** Partitions paused until the next join (see #hold). */
  readonly #held = new Map<string, readonly [topic: string, partition: number]>();
  #running = false;
  #closed = false;

  constructor(config: KafkaSourceConfig, api: KafkaApi, context: SourceContext, options: KafkaRunOptions) {
    this.#config = config;
    this.#api = api;
    this.#context = context;
    this.#options = options;
    const bootstrapServers = config.bootstrapServers.join(',');
    this.#eventContext = { bootstrapServers, clusterArn: config.clusterArn };
    this.sourceArn = config.clusterArn ?? `kafka://${bootstrapServers}`;
  }

  /** Checks that the brokers answer and every topic exists. */
  async open(signal: AbortSignal): Promise<void> {
    const existing = new Set(await this.#api.listTopics(signal));
    const missing = this.#config.topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) throw new TributaryError('SOURCE_NOT_FOUND', `Kafka topic(s) not found: ${missing.join(', ')}`);
  }

  async run(handler: PartitionBatchHandler, signal: AbortSignal): Promise<void> {
    if (this.#running) throw new TributaryError('INTERNAL', 'KafkaSource.run() is already running');
    if (this.#closed) throw new TributaryError('STOPPED', 'the Kafka source is closed', { retryable: true });
    this.#running = true;
    this.#awaitingJoin = false;
    this.#held.clear();
    const stopping = new AbortController();
    this.#stopping = stopping.signal;
    const active = AbortSignal.any([signal, this.#hardStop.signal]);
    const onAbort = (): void => stopping.abort();
    active.addEventListener('abort', onAbort, { once: true });
    if (active.aborted) stopping.abort();
    let fatal = (_error: TributaryError): void => undefined;
    const crashed = new Promise<TributaryError>((resolve) => {
      fatal = resolve;
    });
    try {
      if (!(await this.#start(handler, active, (error) => fatal(error)))) return;
      const stopped = new Promise<null>((resolve) => {
        if (active.aborted) resolve(null);
        else active.addEventListener('abort', () => resolve(null), { once: true });
      });
      const error = await Promise.race([stopped, crashed]);
      if (error !== null) throw error;
    } finally {
      // Graceful: no new batch starts; batches in flight finish and commit while the member still heartbeats.
      stopping.abort();
      active.removeEventListener('abort', onAbort);
      await Promise.all([...this.#lanes.values()].map((entry) => entry.lane.done()));
      await this.#consumer?.disconnect();
      this.#consumer = null;
      this.#running = false;
    }
  }

  toEvent(records: readonly SourceRecord[]): unknown {
    return toKafkaEvent(records, this.#eventContext);
  }

  /** Hard stop: batches in flight are aborted (nothing more is committed), the member leaves the group. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#hardStop.abort();
    for (const entry of this.#lanes.values()) entry.lane.revoke();
    await Promise.all([...this.#lanes.values()].map((entry) => entry.lane.done()));
    await this.#consumer?.disconnect();
    await this.#api.close();
  }

  /** Pins the starting position and joins, retrying while the cluster is unreachable; false when stopped first. */
  async #start(handler: PartitionBatchHandler, signal: AbortSignal, onFatal: (error: TributaryError) => void): Promise<boolean> {
    const logger = this.#context.logger;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await pinStartingPositions(this.#api, {
          groupId: this.#config.consumerGroupId,
          topics: this.#config.topics,
          position: this.#options.startingPosition,
          timestampMs: this.#options.startingPositionTimestampMs,
          logger,
          signal,
        });
        const consumer = this.#api.consumer({
          groupId: this.#config.consumerGroupId,
          sessionTimeoutMs: this.#options.sessionTimeoutMs ?? 30_000,
          heartbeatIntervalMs: this.#options.heartbeatIntervalMs ?? 3_000,
          // Only bounds how long an idle fetch waits, and how soon a resumed partition is fetched again; records are
          // returned as soon as there are any, and the window itself is applied by the lanes.
          maxWaitTimeMs: Math.min(500, Math.max(100, this.#options.maximumBatchingWindowMs)),
        });
        this.#consumer = consumer;
        await consumer.start(this.#config.topics, fromBeginning(this.#options.startingPosition), this.#listener(handler, onFatal), signal);
        return true;
      } catch (error) {
        const failure = toKafkaError('start', error, signal);
        await this.#consumer?.disconnect();
        this.#consumer = null;
        if (signal.aborted) return false;
        if (!failure.retryable) throw failure;
        const delayMs = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
        logger.warn({ attempt, delayMs, err: failure.message }, 'Kafka consumer could not start; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    }
    return false;
  }

  #listener(handler: PartitionBatchHandler, onFatal: (error: TributaryError) => void): GroupListener {
    const logger = this.#context.logger;
    return {
      onBatch: (batch) => this.#onBatch(batch, handler),
      onGenerationEnd: (reason) => this.#endGeneration(reason),
      onJoin: (assignment) => {
        this.#endGeneration('joined');
        // The new generation reads every assigned partition from its committed offset: nothing is held any more.
        this.#awaitingJoin = false;
        for (const [topic, partition] of this.#held.values()) this.#consumer?.resume(topic, partition);
        this.#held.clear();
        logger.info({ groupId: this.#config.consumerGroupId, assignment: Object.fromEntries(assignment) }, 'joined the consumer group');
      },
      onCrash: (error, restarting) => {
        logger.error({ err: error.message, restarting }, 'Kafka consumer crashed');
        if (!restarting) onFatal(error);
      },
    };
  }

  /** Revokes every lane: none may commit again (see the file comment). */
  #endGeneration(reason: string): void {
    this.#generation += 1;
    if (this.#lanes.size > 0) this.#context.logger.debug({ reason, lanes: this.#lanes.size }, 'group generation ended: partitions revoked');
    for (const entry of this.#lanes.values()) entry.lane.revoke();
  }

  /** Holds a partition (paused, fetch position untouched) until the group is joined again. */
  #hold(topic: string, partition: number): void {
    this.#consumer?.pause(topic, partition);
    this.#held.set(partitionKey(topic, partition), [topic, partition]);
  }

  #onBatch(batch: FetchedBatch, handler: PartitionBatchHandler): void {
    const { topic, partition } = batch;
    const consumer = this.#consumer;
    if (consumer === null) return;
    if (this.#stopping.aborted) {
      // Not resolved: whoever owns the partition next reads it again from the committed offset.
      consumer.pause(topic, partition);
      return;
    }
    if (batch.isStale()) return;
    if (this.#awaitingJoin) {
      // The broker refused a commit of this generation; kafkajs rejoins at its next heartbeat. Reading on from the
      // read-ahead position now would only produce invocations whose commits fail.
      this.#hold(topic, partition);
      return;
    }
    const name = partitionKey(topic, partition);
    let entry = this.#lanes.get(name);
    if (entry !== undefined && (entry.lane.revoked || entry.generation !== this.#generation)) {
      // The previous generation's lane is still finishing its batch: one lane per partition at a time.
      consumer.pause(topic, partition);
      entry.resumeOnExit = true;
      return;
    }
    if (entry === undefined) entry = this.#startLane(topic, partition, name, handler, batch.commit);
    entry.commit = batch.commit;
    const resolved = entry.lane.offer(batch.records, batch.highWatermark);
    if (resolved !== null) batch.resolve(resolved);
  }

  #startLane(topic: string, partition: number, name: string, handler: PartitionBatchHandler, commit: FetchedBatch['commit']): LaneEntry {
    const generation = this.#generation;
    const logger = this.#context.logger.child({ partition: name });
    const entry: LaneEntry = {
      lane: new PartitionLane(topic, partition, name, {
        handler,
        logger,
        now: this.#context.now,
        batchSize: Math.max(1, Math.min(MAX_BATCH_SIZE, this.#options.batchSize)),
        windowMs: Math.max(0, this.#options.maximumBatchingWindowMs),
        maxPayloadBytes: MAX_PAYLOAD_BYTES - eventOverheadBytes(this.#eventContext, name) - 1_024,
        toRecord: toSourceRecord,
        restoreRetries: (head, signal) => this.#restoreRetries(topic, partition, head, signal),
        commit: (offset, metadata) => this.#commit(entry, offset, metadata),
        pause: () => this.#consumer?.pause(topic, partition),
        resume: () => this.#consumer?.resume(topic, partition),
        seek: (offset) => this.#consumer?.seek(topic, partition, offset),
        stopping: this.#stopping,
      }),
      generation,
      commit,
      resumeOnExit: false,
    };
    this.#lanes.set(name, entry);
    entry.lane.start((lane) => {
      if (this.#lanes.get(name)?.lane === lane) this.#lanes.delete(name);
      if (!lane.revoked) return;
      // A revoked lane may have left its partition paused. After a rejoin the next generation reads it from the
      // committed offset; before one, it stays held (its fetch position is the lane's read-ahead, not the commit).
      if (this.#awaitingJoin) this.#hold(topic, partition);
      else if (lane.paused || entry.resumeOnExit) this.#consumer?.resume(topic, partition);
    });
    return entry;
  }

  /** Commits for a lane of the current generation only (checked right before the call, see the file comment). */
  async #commit(entry: LaneEntry, offset: string, metadata: string | null): Promise<CommitOutcome> {
    for (let attempt = 1; ; attempt++) {
      if (entry.generation !== this.#generation || entry.lane.revoked) return 'lost';
      try {
        await entry.commit(offset, metadata);
        return 'ok';
      } catch (error) {
        if (isGenerationLost(error)) {
          // The whole generation is over, not just this partition: stop every lane until kafkajs has rejoined.
          if (entry.generation === this.#generation) {
            this.#awaitingJoin = true;
            this.#endGeneration('commit refused');
          }
          return 'lost';
        }
        if (attempt >= COMMIT_ATTEMPTS) {
          this.#context.logger.warn({ partition: entry.lane.name, offset, err: error instanceof Error ? error.message : 'unknown' }, 'offset commit failed');
          return 'failed';
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  /** The retry count committed with the partition's offset, when the lane starts at (or past) that offset. */
  async #restoreRetries(topic: string, partition: number, head: string, signal: AbortSignal): Promise<number> {
    const committed = await this.#api.committedOffsets(this.#config.consumerGroupId, topic, signal);
    const entry = committed.find((p) => p.partition === partition);
    if (entry === undefined || entry.offset === null || BigInt(head) < BigInt(entry.offset)) return 0;
    return decodeAttempt(entry.metadata);
  }
}
