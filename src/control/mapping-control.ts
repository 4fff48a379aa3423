/**
 * The `MappingControl` port of the Lambda API (src/api/ports.ts) over the running service: Create, Update and Delete
 * are stored first (conditionally, so two replicas never overwrite each other's change), then applied here at once
 * and on every other replica at its next sync (mapping-sync.ts); they answer with the transitional state, as AWS
 * does, and later reads show where the change got to. Reads list the store first, so a mapping another replica
 * created is visible at once; when the store cannot be read, reads answer from what this replica knows.
 *
 * AWS's rules across mappings (mapping-conflicts.ts) are checked against every mapping, the file's included. The
 * file's mappings answer 409 to Update and Delete unless `api.fileMappings: writable`.
 */
import { functionNotFound, invalidParameter, LambdaApiError, MAPPING_NOT_FOUND, resourceConflict, resourceInUse, resourceNotFound } from '../api/api-errors.js';
import type { MappingChange, MappingControl, MappingRecord, MappingState, NewMapping, PipelineInput } from '../api/ports.js';
import type { StoredMapping } from '../checkpoint/mapping-store.js';
import type { PipelineConfig, SourceType } from '../config/types.js';
import { isTributaryError } from '../errors.js';
import { findSourceDescriptor } from '../connector/source-descriptors.js';
import type { KnownMapping } from './known-mapping.js';
import { mappingConflict, type MappedSource } from './mapping-conflicts.js';
import { mappingPipelineConfig, storableFileInput, type MappingResolution } from './mapping-config.js';
import { mappingStateOf, updateState } from './mapping-state.js';
import type { MappingSync } from './mapping-sync.js';
import type { PipelineHost } from './pipeline-host.js';

export interface ServiceMappingControlOptions {
  readonly sync: MappingSync;
  readonly host: PipelineHost;
  readonly resolution: () => MappingResolution;
  readonly fileMappingsWritable: boolean;
  readonly now: () => number;
  /** ARN of a function, for the not-found message. */
  readonly functionArn: (name: string) => string;
}

const CHANGED_ELSEWHERE = 'The operation cannot be performed at this time. The event source mapping was changed by another request at the same time; read it again and retry.';

export class ServiceMappingControl implements MappingControl {
  readonly #options: ServiceMappingControlOptions;

  constructor(options: ServiceMappingControlOptions) {
    this.#options = options;
  }

  async list(): Promise<readonly MappingRecord[]> {
    await this.#options.sync.sync().catch(() => undefined);
    return this.#options.sync.mappings().map((known) => this.#record(known));
  }

  async get(uuid: string): Promise<MappingRecord | null> {
    await this.#options.sync.sync().catch(() => undefined);
    const known = this.#options.sync.known(uuid);
    return known === undefined ? null : this.#record(known);
  }

  create(mapping: NewMapping): Promise<MappingRecord> {
    return this.#options.sync.exclusive(async () => {
      this.#check(mapping.uuid, mapping.pipeline, mapping.functionName, null);
      const record: StoredMapping = {
        uuid: mapping.uuid,
        origin: 'api',
        functionName: mapping.functionName,
        qualifier: mapping.qualifier,
        pipeline: mapping.pipeline,
        awsOnly: mapping.awsOnly,
        status: 'active',
        lastModifiedMs: this.#options.now(),
        version: 1,
      };
      if (!(await this.#options.sync.write(record, null))) throw resourceConflict(`An event source mapping with UUID ${mapping.uuid} already exists.`);
      return this.#record(this.#existing(mapping.uuid), 'Creating');
    });
  }

  update(uuid: string, change: MappingChange): Promise<MappingRecord> {
    return this.#options.sync.exclusive(async () => {
      const known = this.#writable(uuid, 'update');
      const config = this.#check(uuid, change.pipeline, change.functionName, known);
      const next: StoredMapping = {
        uuid,
        origin: known.origin,
        functionName: change.functionName,
        qualifier: change.qualifier,
        pipeline: known.origin === 'file' ? storableFileInput(change.pipeline) : change.pipeline,
        awsOnly: change.awsOnly,
        status: 'active',
        lastModifiedMs: this.#options.now(),
        version: (known.stored?.version ?? 0) + 1,
      };
      if (!(await this.#options.sync.write(next, known.stored?.version ?? null))) throw resourceConflict(CHANGED_ELSEWHERE);
      return this.#record(this.#existing(uuid), updateState(change.enabledChanged, config.enabled));
    });
  }

  delete(uuid: string): Promise<MappingRecord> {
    return this.#options.sync.exclusive(async () => {
      const known = this.#writable(uuid, 'delete');
      const base: StoredMapping = known.stored ?? {
        uuid,
        origin: 'file',
        functionName: known.functionName,
        qualifier: known.qualifier,
        pipeline: storableFileInput(known.input),
        awsOnly: known.awsOnly,
        status: 'active',
        lastModifiedMs: this.#options.now(),
        version: 0,
      };
      const next: StoredMapping = { ...base, status: 'deleting', lastModifiedMs: this.#options.now(), version: base.version + 1 };
      if (!(await this.#options.sync.write(next, known.stored?.version ?? null))) throw resourceConflict(CHANGED_ELSEWHERE);
      return this.#record(known, 'Deleting');
    });
  }

  /** The mapping, which Update / Delete may change. */
  #writable(uuid: string, operation: 'update' | 'delete'): KnownMapping {
    const known = this.#existing(uuid);
    if (known.deleting) throw resourceInUse(`Cannot ${operation} the event source mapping ${uuid} because it is being deleted.`);
    if (known.origin === 'file' && !this.#options.fileMappingsWritable) {
      throw resourceConflict(`The event source mapping ${uuid} is declared in Tributary's configuration file and cannot be changed through the API; change the file instead`);
    }
    return known;
  }

  #existing(uuid: string): KnownMapping {
    const known = this.#options.sync.known(uuid);
    if (known === undefined) throw resourceNotFound(MAPPING_NOT_FOUND);
    return known;
  }

  /**
   * The pipeline the parameters resolve to, after AWS's checks across mappings.
   * @throws LambdaApiError on a conflict, invalid parameters or an unknown function.
   */
  #check(uuid: string, pipeline: PipelineInput, functionName: string, known: KnownMapping | null): PipelineConfig {
    let config: PipelineConfig;
    try {
      config = mappingPipelineConfig(pipeline, functionName, uuid, this.#options.resolution(), known?.file ?? null);
    } catch (error) {
      if (error instanceof LambdaApiError) throw error;
      if (isTributaryError(error, 'CONFIG_INVALID')) throw functionNotFound(this.#options.functionArn(functionName));
      throw invalidParameter('The event source mapping parameters are not valid');
    }
    const others: MappedSource[] = this.#options.sync
      .mappings()
      .flatMap((other) => (other.deleting || other.config === null ? [] : [{ uuid: other.uuid, functionName: other.functionName, source: other.config.source }]));
    const conflict = mappingConflict({ uuid, functionName, source: config.source }, others);
    if (conflict !== null) throw conflict;
    return config;
  }

  #record(known: KnownMapping, state?: MappingState): MappingRecord {
    const view = mappingStateOf(this.#options.host.status(known.name), {
      sourceType: known.config?.source.type ?? sourceTypeOf(known.input),
      deleting: known.deleting,
      settledOnce: known.settledOnce,
    });
    return {
      uuid: known.uuid,
      functionName: known.functionName,
      qualifier: known.qualifier,
      pipeline: known.input,
      state: state ?? view.state,
      stateTransitionReason: view.stateTransitionReason,
      lastModifiedMs: known.lastModifiedMs,
      lastProcessingResult: known.problem === null ? view.lastProcessingResult : `PROBLEM: ${known.problem}`,
      writable: known.origin === 'api' || this.#options.fileMappingsWritable,
      awsOnly: known.awsOnly,
    };
  }
}

/** The input's source type when it names one (a mapping whose config did not resolve), else SQS's. */
function sourceTypeOf(input: PipelineInput): SourceType {
  return findSourceDescriptor((input['source'] as { type?: unknown } | undefined)?.type)?.type ?? 'sqs';
}
