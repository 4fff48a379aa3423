/**
 * Keeps this replica running the mappings the store holds — the same set on every replica (issue 13: "every replica
 * runs the same set; a replica learns of a change within a few seconds"). Every `api.syncIntervalSeconds` (default
 * 2 s), and at once around every API call on this replica, it lists the store (one read: a Query of one DynamoDB
 * partition, or the file store's memory) and applies what changed (known-mapping.ts): a new mapping starts, a
 * changed one is updated, paused or resumed live, a deleted one drains and stops.
 *
 * Reads and writes of the store go through one queue, so a listing never interleaves with this replica's own write.
 *
 * Finishing a delete: once this replica stopped the mapping, the first replica that finds none of its leases held by
 * another live replica removes the lease rows (stream sources: their checkpoints) and the record. A replica that was
 * killed never releases its leases; after `releaseGraceMs` (two lease durations, the drain timeout and a sync
 * interval since the delete) they are removed anyway. SQS mappings have no checkpoints; Kafka keeps its offsets in
 * the consumer group, which AWS leaves on the cluster too (a new mapping with the same ConsumerGroupId resumes there).
 */
import { findSourceDescriptor } from '../connector/source-descriptors.js';
import type { CheckpointStore } from '../checkpoint/types.js';
import type { MappingStore, StoredMapping } from '../checkpoint/mapping-store.js';
import type { PipelineConfig, TributaryConfig } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { KnownMapping, type Wanted } from './known-mapping.js';
import { fileFunctionName, fileMappingInput, mappingPipelineConfig, type MappingResolution } from './mapping-config.js';
import type { PipelineHost } from './pipeline-host.js';

export interface MappingSyncOptions {
  readonly config: TributaryConfig;
  readonly store: MappingStore;
  readonly host: PipelineHost;
  readonly logger: Logger;
  readonly now: () => number;
  /** Folder relative destinations resolve against (the config file's). */
  readonly baseDir: string;
  /** How long after a delete the leases of a replica that never released them are removed anyway. */
  readonly releaseGraceMs: number;
}

/** What the service starts a file pipeline with: the stored change of it, or nothing (deleted through the API). */
export type FileOverride = { readonly kind: 'run'; readonly config: PipelineConfig } | { readonly kind: 'deleted' };

export class MappingSync {
  readonly #options: MappingSyncOptions;
  readonly #known = new Map<string, KnownMapping>();
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #closed = false;

  constructor(options: MappingSyncOptions) {
    this.#options = options;
    for (const pipeline of options.config.pipelines) {
      const input = options.config.pipelineInputs[pipeline.name] ?? { name: pipeline.name };
      const known = new KnownMapping({ uuid: pipeline.uuid, origin: 'file', name: pipeline.name, file: { config: pipeline, input }, input, functionName: fileFunctionName(pipeline), lastModifiedMs: options.now() });
      known.config = pipeline;
      known.markApplied({ kind: 'run', config: pipeline, key: 'file' });
      this.#known.set(known.uuid, known);
    }
    options.host.onStateChanged((name, state) => {
      if (state !== 'Enabled' && state !== 'Disabled') return;
      for (const known of this.#known.values()) if (known.name === name) known.settledOnce = true;
    });
  }

  /** Every mapping this replica knows (deleted file mappings and finished deletes excluded). */
  mappings(): readonly KnownMapping[] {
    return [...this.#known.values()].filter((known) => known.stored?.status !== 'deleted');
  }

  known(uuid: string): KnownMapping | undefined {
    const known = this.#known.get(uuid);
    return known?.stored?.status === 'deleted' ? undefined : known;
  }

  /**
   * Reads the store once before the file's pipelines start, so a file pipeline changed or deleted through the API
   * starts as stored (never first as the file says). A store that cannot be read is logged; the file's pipelines then
   * start as written and the periodic sync applies the stored changes once it can.
   */
  async load(signal: AbortSignal): Promise<ReadonlyMap<string, FileOverride>> {
    const overrides = new Map<string, FileOverride>();
    try {
      await this.#exclusive(async () => {
        for (const stored of await this.#options.store.list(signal)) {
          const known = this.#remember(stored);
          if (known?.origin !== 'file') continue;
          const wanted = this.#wanted(known);
          known.markApplied(wanted);
          // Never started here: a delete left unfinished (a crash) is finished by the first sync.
          if (wanted.kind === 'stop') known.removedHere = true;
          overrides.set(known.name, wanted.kind === 'run' ? { kind: 'run', config: wanted.config } : { kind: 'deleted' });
        }
      });
    } catch (error) {
      this.#options.logger.error({ err: errorMessage(error) }, 'cannot read the stored event source mappings yet; the file pipelines start as written and stored changes follow');
    }
    return overrides;
  }

  /** Starts the periodic sync (after the file's pipelines started). */
  start(intervalMs: number): void {
    void this.sync().catch(() => undefined);
    this.#timer = setInterval(() => void this.sync().catch(() => undefined), intervalMs);
    this.#timer.unref();
  }

  /** Lists the store and applies every change seen (without waiting for the changes to be applied). */
  async sync(signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<void> {
    await this.#exclusive(() => this.#syncNow(signal));
  }

  /** Runs `action` between two syncs, after a fresh one (an API call: read the store, decide, write). */
  exclusive<T>(action: () => Promise<T>, signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<T> {
    return this.#exclusive(async () => {
      await this.#syncNow(signal);
      return action();
    });
  }

  /**
   * Writes `next` if the stored version is still `expected` (call inside `exclusive`), then applies it here at once.
   * @returns false when another writer changed the mapping first.
   */
  async write(next: StoredMapping, expected: number | null, signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<boolean> {
    if (!(await this.#options.store.put(next, expected, signal))) return false;
    const known = this.#remember(next);
    if (known !== undefined) void this.#apply(known);
    return true;
  }

  /** Resolves when every change seen so far is applied here (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await Promise.all([...this.#known.values()].map((known) => known.idle()));
  }

  /** Stops the periodic sync and waits for what is being applied. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#queue.catch(() => undefined);
  }

  async #syncNow(signal: AbortSignal): Promise<void> {
    let stored: readonly StoredMapping[];
    try {
      stored = await this.#options.store.list(signal);
      if (this.#failures > 0) this.#options.logger.info('the stored event source mappings can be read again');
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      if (this.#failures === 1 || this.#failures % 30 === 0) this.#options.logger.error({ err: errorMessage(error), failures: this.#failures }, 'cannot read the stored event source mappings');
      throw error;
    }
    const seen = new Set<string>();
    for (const record of stored) {
      seen.add(record.uuid);
      const known = this.#remember(record);
      if (known !== undefined) void this.#apply(known);
    }
    for (const known of [...this.#known.values()]) {
      if (seen.has(known.uuid) || known.stored === null) continue;
      // The record is gone: another replica finished a delete (API mapping), or someone removed a file override.
      if (known.origin === 'api') {
        this.#known.delete(known.uuid);
        void known.want({ kind: 'stop', key: 'gone' }, this.#options.host, this.#options.logger, async () => undefined);
      } else {
        known.stored = null;
        this.#refresh(known);
        void this.#apply(known);
      }
    }
  }

  /** Takes in a stored record: the mapping it changes, now up to date (undefined for a file mapping no longer in the file). */
  #remember(record: StoredMapping): KnownMapping | undefined {
    let known = this.#known.get(record.uuid);
    if (known === undefined) {
      if (record.origin === 'file') {
        this.#options.logger.warn({ mapping: record.uuid }, 'a stored change of a file pipeline whose UUID the file no longer has; ignored');
        return undefined;
      }
      known = new KnownMapping({ uuid: record.uuid, origin: 'api', name: record.uuid, file: null, input: record.pipeline, functionName: record.functionName, lastModifiedMs: record.lastModifiedMs });
      this.#known.set(record.uuid, known);
    }
    if (known.stored !== null && known.stored.version >= record.version) return known;
    known.stored = record;
    this.#refresh(known);
    return known;
  }

  /** Recomputes what `known` shows and runs with from its stored record (or the file). */
  #refresh(known: KnownMapping): void {
    const stored = known.stored;
    const file = known.file;
    known.input = stored === null ? (file?.input ?? known.input) : file === null ? stored.pipeline : fileMappingInput(file, stored);
    known.functionName = stored?.functionName ?? (file === null ? known.functionName : fileFunctionName(file.config));
    known.qualifier = stored?.qualifier ?? null;
    known.awsOnly = stored?.awsOnly ?? {};
    known.lastModifiedMs = stored?.lastModifiedMs ?? known.lastModifiedMs;
    if (stored === null && file !== null) {
      known.config = file.config;
      known.problem = null;
      return;
    }
    try {
      known.config = mappingPipelineConfig(known.input, known.functionName, known.uuid, this.#resolution(), file);
      known.problem = null;
    } catch (error) {
      known.config = null;
      known.problem = errorMessage(error);
      this.#options.logger.error({ mapping: known.uuid, err: known.problem }, 'a stored event source mapping does not resolve; it does not run');
    }
  }

  #wanted(known: KnownMapping): Wanted {
    const key = known.stored === null ? 'file' : `${known.stored.version}:${known.stored.status}`;
    if (known.deleting || known.config === null) return { kind: 'stop', key };
    return { kind: 'run', config: known.config, key };
  }

  #apply(known: KnownMapping): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const wanted = this.#wanted(known);
    if (wanted.kind === 'stop' && known.removedHere && known.deleting) {
      // Stopped here already: only the delete may still have to be finished (another replica held leases).
      return this.#exclusiveLater(() => this.#finishDelete(known));
    }
    return known.want(wanted, this.#options.host, this.#options.logger, () => (known.deleting ? this.#exclusiveLater(() => this.#finishDelete(known)) : Promise.resolve()));
  }

  /** Gives the leases and checkpoints of a deleted mapping back, then removes (API) or tombstones (file) its record. */
  async #finishDelete(known: KnownMapping): Promise<void> {
    const stored = known.stored;
    if (stored === null || stored.status !== 'deleting') return;
    const source = known.config?.source.type ?? known.file?.config.source.type;
    if (findSourceDescriptor(source)?.traits.progress === 'checkpoint-store') {
      const checkpoints: CheckpointStore = await this.#options.host.checkpointStore();
      const signal = AbortSignal.timeout(30_000);
      const leases = await checkpoints.list(known.name, signal);
      const elsewhere = leases.filter((lease) => lease.owner !== null && lease.owner !== this.#options.host.workerId);
      if (elsewhere.length > 0 && this.#options.now() - stored.lastModifiedMs < this.#options.releaseGraceMs) return; // another replica is still draining
      if (leases.length > 0) await checkpoints.remove(known.name, leases.map((lease) => lease.shardId), signal);
    }
    const signal = AbortSignal.timeout(30_000);
    const done =
      known.origin === 'api'
        ? await this.#options.store.remove(stored.uuid, stored.version, signal)
        : await this.#options.store.put({ ...stored, status: 'deleted', version: stored.version + 1, lastModifiedMs: this.#options.now() }, stored.version, signal);
    if (done) this.#options.logger.info({ mapping: known.uuid }, 'event source mapping deleted: leases and checkpoints released');
    if (known.origin === 'api' && done) this.#known.delete(known.uuid);
    else if (done) this.#remember({ ...stored, status: 'deleted', version: stored.version + 1 });
  }

  #resolution(): MappingResolution {
    return { functions: this.#options.config.functions, baseDir: this.#options.baseDir, nowMs: this.#options.now() };
  }

  #exclusive<T>(action: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(action);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Queues `action` behind the store's queue without waiting for it (from inside an apply). */
  #exclusiveLater(action: () => Promise<void>): Promise<void> {
    return this.#exclusive(action).catch((error: unknown) => {
      this.#options.logger.warn({ err: errorMessage(error) }, 'could not finish deleting an event source mapping yet; retrying at the next sync');
    });
  }
}
