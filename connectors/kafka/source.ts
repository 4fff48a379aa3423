/**
 * Amazon MSK and self-managed Apache Kafka as a consumer-group source, behaving as Lambda's Kafka event source
 * mapping. https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html, https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html
 *
 * - The group coordinator assigns partitions; kafkajs fetches (`autoCommit: false`). Each assigned partition of a
 *   generation becomes a feed (./partition-feed.ts): kafkajs's fetch loop fills its bounded buffer, the core's lane
 *   engine drains it, batches, invokes and commits the settled prefix — "offsets are committed after successful
 *   processing of each batch" (reference §3.9). Processing runs outside kafkajs's fetch loop, so one partition
 *   retrying a poison batch never stalls the others, and kafkajs keeps heartbeating while a handler runs longer than
 *   the session timeout.
 * - Fencing: every JoinGroup answer (a new generation) revokes all feeds at once — eager rebalancing — before kafkajs
 *   installs the new assignment; a revoked feed commits nothing more (the broker would refuse the old generation
 *   anyway, and the new one must not commit a partition this member may no longer own). A commit the broker refuses
 *   for a lost generation does the same, and holds every partition until kafkajs has rejoined.
 * - Retry state: the core's retry marks travel in the commit metadata (./commit-metadata.ts), so MaximumRetryAttempts
 *   survives restarts and rebalances.
 * - StartingPosition applies to new groups only (./start-position.ts).
 * - `run` rejects when kafkajs gives up for good (a crash it does not restart from): the core's supervisor restarts
 *   the source with back-off and reports the pipeline Failed while it cannot consume.
 */
import type { GroupHost, GroupSource, KafkaSourceConfig, SourceCapabilities, SourceContext, SourceRecord } from '../../src/connector/index.js';
import { backoffDelayMs, kafkaInvocationLimit, sleep, whenAborted } from '../../src/connector/index.js';
import { TributaryError, errorMessage } from '../../src/errors.js';
import type { CommittedOffset, KafkaApi } from './client.js';
import { CommitBatcher, type OffsetToCommit } from './commit-batcher.js';
import { isGenerationLost, toKafkaError } from './errors.js';
import { partitionKey, toKafkaEvent, toSourceRecord, type KafkaEventContext, type KafkaRecordData } from './event.js';
import type { FetchedBatch, GroupConsumer, GroupListener } from './group-consumer.js';
import { PartitionFeed } from './partition-feed.js';
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
  /** Bytes buffered per partition before it is paused (default 4 MiB). */
  readonly partitionBufferBytes?: number;
  /** Turns a fetched record into the core's record (default `toSourceRecord`); the schema registry decodes here. */
  readonly toRecord?: (record: KafkaRecordData, signal: AbortSignal) => SourceRecord | Promise<SourceRecord>;
  /** Runs at the end of `open()` (the schema registry checks that it answers). */
  readonly opened?: (signal: AbortSignal) => Promise<void>;
}

/** BatchSize of a Kafka mapping: 1–10,000 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html). */
const MAX_BATCH_SIZE = 10_000;
const COMMIT_ATTEMPTS = 3;
const DEFAULT_PARTITION_BUFFER_BYTES = 4 * 1024 * 1024;
/** One fetch: bytes per partition and in all (Kafka's max.partition.fetch.bytes and fetch.max.bytes defaults). */
const FETCH_PARTITION_BYTES = 1024 * 1024;
const FETCH_MAX_BYTES = 10 * 1024 * 1024;
/**
 * How often the source checks that its topics exist and the cluster answers. kafkajs retries a deleted topic or an
 * unreachable cluster for about a session timeout before it says anything; this makes the pipeline's health say so
 * within seconds (the supervisor then fails it after its budget, and it recovers when the check passes again).
 */
const TOPIC_CHECK_INTERVAL_MS = 5_000;

export class KafkaSource implements GroupSource {
  readonly kind = 'group' as const;
  readonly maxConcurrentInvocations: number | null;
  readonly consumerGroup: string;
  readonly capabilities: SourceCapabilities = { ordering: 'per-shard', maxBatchSize: MAX_BATCH_SIZE, pageSize: MAX_BATCH_SIZE };
  readonly sourceArn: string;
  readonly #config: KafkaSourceConfig;
  readonly #api: KafkaApi;
  readonly #context: SourceContext;
  readonly #options: KafkaRunOptions;
  readonly #eventContext: KafkaEventContext;
  readonly #feeds = new Map<string, PartitionFeed>();
  /** Feeds of an earlier generation still finishing, by partition: the partition resumes when they end. */
  readonly #resumeOnExit = new Set<string>();
  /** close(): revoke everything and leave. */
  readonly #hardStop = new AbortController();
  #stopping: AbortSignal = AbortSignal.abort();
  #host: GroupHost | null = null;
  #consumer: GroupConsumer | null = null;
  #generation = 0;
  /** A commit was refused for a lost generation and kafkajs has not rejoined yet. */
  #awaitingJoin = false;
  /** Partitions paused until the next join (see #hold). */
  readonly #held = new Map<string, readonly [topic: string, partition: number]>();
  #retentionMs: number | null = null;
  /** Commit through the consumer that fetched the latest batch. */
  #commitVia: FetchedBatch['commit'] | null = null;
  readonly #batcher = new CommitBatcher({
    send: (offsets) => this.#send(offsets),
    isGenerationLost,
    onFailed: (offsets, error) =>
      this.#context.logger.warn({ partitions: offsets.map((o) => `${o.topic}-${o.partition}:${o.offset}`), err: errorMessage(error) }, 'offset commit failed'),
    attempts: COMMIT_ATTEMPTS,
    sleep: (ms) => sleep(ms),
  });
  /** The consumer joined the group and has not crashed since. */
  #joined = false;
  /** The last topic check found a topic missing or the cluster unreachable. */
  #unwell = false;
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
    this.maxConcurrentInvocations = kafkaInvocationLimit(config.provisionedPollerConfig);
    this.consumerGroup = config.consumerGroupId;
  }

  /** The MSK cluster's region (its ARN's); null for self-managed Kafka. */
  get region(): string | null {
    const region = this.#config.clusterArn?.split(':')[3];
    return region === undefined || region === '' ? null : region;
  }

  /** The shortest `retention.ms` of the topics, after open(). */
  get retentionMs(): number | null {
    return this.#retentionMs;
  }

  /** Checks that the brokers answer and every topic exists; reads the topics' retention. */
  async open(signal: AbortSignal): Promise<void> {
    const existing = new Set(await this.#api.listTopics(signal));
    const missing = this.#config.topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) throw new TributaryError('SOURCE_NOT_FOUND', `Kafka topic(s) not found: ${missing.join(', ')}`);
    this.#retentionMs = await this.#api.retentionMs(this.#config.topics, signal).catch((error: unknown) => {
      this.#context.logger.warn({ err: errorMessage(error) }, 'could not read the topics’ retention.ms (DescribeConfigs); infinite retries then never expire a record');
      return null;
    });
    await this.#options.opened?.(signal);
  }

  async run(host: GroupHost, signal: AbortSignal): Promise<void> {
    if (this.#running) throw new TributaryError('INTERNAL', 'KafkaSource.run() is already running');
    if (this.#closed) throw new TributaryError('STOPPED', 'the Kafka source is closed', { retryable: true });
    this.#running = true;
    this.#host = host;
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
    const watch = setInterval(() => void this.#checkTopics(active), TOPIC_CHECK_INTERVAL_MS);
    try {
      if (!(await this.#start(active, (error) => fatal(error)))) return;
      const error = await Promise.race([whenAborted(active).then(() => null), crashed]);
      if (error !== null) throw error;
    } finally {
      clearInterval(watch);
      // Graceful: no new batch starts; the core's lanes finish and commit while the member still heartbeats. A crash
      // ends the generation: lanes stop at once.
      stopping.abort();
      active.removeEventListener('abort', onAbort);
      if (!signal.aborted) this.#endGeneration('consumer stopped');
      await this.#allFinished();
      await this.#consumer?.disconnect();
      this.#consumer = null;
      this.#commitVia = null;
      this.#running = false;
    }
  }

  toEvent(records: readonly SourceRecord[]): unknown {
    return toKafkaEvent(records, this.#eventContext);
  }

  /** Hard stop: lanes are revoked (nothing more is committed), the member leaves the group. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#hardStop.abort();
    this.#endGeneration('closed');
    await this.#consumer?.disconnect();
    await this.#api.close();
  }

  /** Resolves when the core's lane of every feed has ended. */
  async #allFinished(): Promise<void> {
    while ([...this.#feeds.values()].some((feed) => !feed.finished)) await sleep(20);
  }

  /** Pins the starting position and joins, retrying while the cluster is unreachable; false when stopped first. */
  async #start(signal: AbortSignal, onFatal: (error: TributaryError) => void): Promise<boolean> {
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
          maxBytesPerPartition: FETCH_PARTITION_BYTES,
          maxBytes: FETCH_MAX_BYTES,
        });
        this.#consumer = consumer;
        await consumer.start(this.#config.topics, fromBeginning(this.#options.startingPosition), this.#listener(onFatal), signal);
        return true;
      } catch (error) {
        const failure = toKafkaError('start', error, signal);
        await this.#consumer?.disconnect();
        this.#consumer = null;
        if (signal.aborted) return false;
        if (!failure.retryable) throw failure;
        this.#host?.health({ kind: 'degraded', error: failure });
        const delayMs = backoffDelayMs(attempt, { baseMs: 1_000, maxMs: 30_000 }, Math.random);
        logger.warn({ attempt, delayMs, err: failure.message }, 'Kafka consumer could not start; retrying');
        await sleep(delayMs, signal);
      }
    }
    return false;
  }

  #listener(onFatal: (error: TributaryError) => void): GroupListener {
    const logger = this.#context.logger;
    return {
      onBatch: (batch) => this.#onBatch(batch),
      onGenerationEnd: (reason) => this.#endGeneration(reason),
      onJoin: (assignment) => {
        this.#endGeneration('joined');
        // The new generation reads every assigned partition from its committed offset: nothing is held any more.
        this.#awaitingJoin = false;
        for (const [topic, partition] of this.#held.values()) this.#consumer?.resume(topic, partition);
        this.#held.clear();
        this.#joined = true;
        if (!this.#unwell) this.#host?.health({ kind: 'healthy' });
        logger.info({ groupId: this.#config.consumerGroupId, assignment: Object.fromEntries(assignment) }, 'joined the consumer group');
      },
      onCrash: (error, restarting) => {
        logger.error({ err: error.message, restarting }, 'Kafka consumer crashed');
        this.#joined = false;
        this.#host?.health({ kind: 'degraded', error });
        if (!restarting) onFatal(error);
      },
    };
  }

  /** Reports a deleted topic or an unreachable cluster as soon as it is seen (see TOPIC_CHECK_INTERVAL_MS). */
  async #checkTopics(signal: AbortSignal): Promise<void> {
    let problem: Error | null = null;
    try {
      const existing = new Set(await this.#api.listTopics(AbortSignal.any([signal, AbortSignal.timeout(TOPIC_CHECK_INTERVAL_MS)])));
      const missing = this.#config.topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) problem = new TributaryError('SOURCE_NOT_FOUND', `Kafka topic(s) not found: ${missing.join(', ')}`);
    } catch (error) {
      if (signal.aborted) return;
      problem = toKafkaError('ListTopics', error);
    }
    if (problem !== null) {
      if (!this.#unwell) this.#context.logger.warn({ err: problem.message }, 'the Kafka source cannot consume');
      this.#unwell = true;
      this.#host?.health({ kind: 'degraded', error: problem });
    } else if (this.#unwell) {
      this.#unwell = false;
      if (this.#joined) this.#host?.health({ kind: 'healthy' });
    }
  }

  /** Revokes every feed: none may commit again (see the file comment). */
  #endGeneration(reason: string): void {
    this.#generation += 1;
    if (this.#feeds.size > 0) this.#context.logger.debug({ reason, partitions: this.#feeds.size }, 'group generation ended: partitions revoked');
    for (const feed of this.#feeds.values()) feed.revoke();
  }

  /** Holds a partition (paused, fetch position untouched) until the group is joined again. */
  #hold(topic: string, partition: number): void {
    this.#consumer?.pause(topic, partition);
    this.#held.set(partitionKey(topic, partition), [topic, partition]);
  }

  #onBatch(batch: FetchedBatch): void {
    const { topic, partition } = batch;
    const consumer = this.#consumer;
    const host = this.#host;
    if (consumer === null || host === null) return;
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
    let feed = this.#feeds.get(name);
    if (feed !== undefined && (feed.revoked || feed.generation !== this.#generation)) {
      if (!feed.finished) {
        // The previous generation's lane is still finishing its batch: one lane per partition at a time.
        consumer.pause(topic, partition);
        this.#resumeOnExit.add(name);
        return;
      }
      feed = undefined;
    }
    if (feed === undefined) {
      feed = this.#newFeed(topic, partition, name);
      this.#feeds.set(name, feed);
      host.assigned(feed.assigned);
    }
    this.#commitVia = batch.commit;
    const resolved = feed.offer(batch.records, batch.highWatermark);
    if (resolved !== null) batch.resolve(resolved);
  }

  #newFeed(topic: string, partition: number, name: string): PartitionFeed {
    const batchSize = Math.max(1, Math.min(MAX_BATCH_SIZE, this.#options.batchSize));
    const feed: PartitionFeed = new PartitionFeed(topic, partition, name, this.#generation, {
      toRecord: this.#options.toRecord ?? toSourceRecord,
      budget: { records: Math.max(2 * batchSize, 500), bytes: this.#options.partitionBufferBytes ?? DEFAULT_PARTITION_BUFFER_BYTES },
      pause: () => this.#consumer?.pause(topic, partition),
      resume: () => this.#consumer?.resume(topic, partition),
      seek: (offset) => this.#consumer?.seek(topic, partition, offset),
      commit: (offset, metadata) =>
        this.#batcher.commit({ topic, partition, offset, metadata }, () => feed.generation === this.#generation && !feed.revoked && this.#commitVia !== null),
      committed: (signal) => this.#committed(topic, partition, signal),
      finished: (done) => this.#finished(done),
    });
    return feed;
  }

  #finished(feed: PartitionFeed): void {
    const name = feed.id;
    if (this.#feeds.get(name) === feed) this.#feeds.delete(name);
    const resume = this.#resumeOnExit.delete(name);
    const from = feed.resumeFrom;
    if (!feed.revoked && !this.#stopping.aborted && from !== null) {
      // A lane that gave up within its generation (repeated crashes): read the partition again from the commit.
      this.#consumer?.seek(feed.topic, feed.partition, from);
    }
    // A revoked feed may have left its partition paused. After a rejoin the next generation reads it from the
    // committed offset; before one, it stays held (its fetch position is the feed's read-ahead, not the commit).
    if (this.#awaitingJoin) this.#hold(feed.topic, feed.partition);
    else if (feed.paused || resume) this.#consumer?.resume(feed.topic, feed.partition);
  }

  /**
   * One OffsetCommit through the consumer that fetched the latest batch (every batch of one consumer commits through
   * the same group), sent right after the batcher checked each entry's generation (see commit-batcher.ts).
   */
  async #send(offsets: readonly OffsetToCommit[]): Promise<void> {
    const commit = this.#commitVia;
    const generation = this.#generation;
    if (commit === null) throw new TributaryError('LEASE_LOST', 'no consumer to commit through', { retryable: true });
    try {
      await commit(offsets);
    } catch (error) {
      // The whole generation is over, not just these partitions: stop every feed until kafkajs has rejoined (unless
      // a newer generation has started meanwhile).
      if (isGenerationLost(error) && generation === this.#generation) {
        this.#awaitingJoin = true;
        this.#endGeneration('commit refused');
      }
      throw error;
    }
  }

  async #committed(topic: string, partition: number, signal: AbortSignal): Promise<CommittedOffset | null> {
    const committed = await this.#api.committedOffsets(this.#config.consumerGroupId, topic, signal);
    return committed.find((p) => p.partition === partition) ?? null;
  }
}
