/**
 * An in-memory MappingControl: Tributary's own control-plane stand-in for tests and for embedding the API before
 * the durable, shared implementation exists (issue 13: "stored with the checkpoints, seen by every replica"). It runs
 * nothing; it keeps records and plays Lambda's state transitions.
 *
 * Transitions are asynchronous as on AWS, made deterministic: a change answers with the transitional state
 * (`Creating`, `Updating`, `Enabling`, `Disabling`, `Deleting`) and the next read sees the settled one (`Enabled` /
 * `Disabled`, or the mapping gone after a delete).
 */
import { mappingAlreadyExistsMessage, MAPPING_NOT_FOUND, resourceConflict, resourceInUse, resourceNotFound } from '../api-errors.js';
import { asRecord } from '../json-object.js';
import type { MappingChange, MappingControl, MappingRecord, MappingState, NewMapping, PipelineInput } from '../ports.js';

interface Stored {
  readonly record: MappingRecord;
  /** What the next read settles to; null when settled. */
  readonly settle: 'enabled-state' | 'removed' | null;
}

/** Options of {@link MemoryMappingControl}. */
export interface MemoryMappingControlOptions {
  readonly now?: () => number;
  /** Mappings declared in a config file: listed, read-only (`writable: false`). */
  readonly declared?: readonly MappingRecord[];
}

export class MemoryMappingControl implements MappingControl {
  private readonly records = new Map<string, Stored>();
  private readonly now: () => number;

  constructor(options: MemoryMappingControlOptions = {}) {
    this.now = options.now ?? Date.now;
    for (const record of options.declared ?? []) this.records.set(record.uuid, { record, settle: null });
  }

  list(): Promise<readonly MappingRecord[]> {
    return Promise.resolve([...this.records.keys()].flatMap((uuid) => this.settled(uuid) ?? []));
  }

  get(uuid: string): Promise<MappingRecord | null> {
    return Promise.resolve(this.settled(uuid));
  }

  create(mapping: NewMapping): Promise<MappingRecord> {
    const clash = [...this.records.values()].find(
      ({ record }) => record.functionName === mapping.functionName && sameSource(record.pipeline, mapping.pipeline),
    );
    if (clash !== undefined) {
      const source = asRecord(mapping.pipeline['source']);
      const arn = String(source['queueArn'] ?? source['streamArn'] ?? source['clusterArn'] ?? '');
      return Promise.reject(resourceConflict(mappingAlreadyExistsMessage(source['type'] === 'sqs' ? 'sqs' : 'stream', arn, mapping.functionName, clash.record.uuid)));
    }
    const record: MappingRecord = {
      uuid: mapping.uuid,
      functionName: mapping.functionName,
      qualifier: mapping.qualifier,
      pipeline: mapping.pipeline,
      state: 'Creating',
      stateTransitionReason: 'User action',
      lastModifiedMs: this.now(),
      lastProcessingResult: 'No records processed',
      writable: true,
      awsOnly: mapping.awsOnly,
    };
    this.records.set(record.uuid, { record, settle: 'enabled-state' });
    return Promise.resolve(record);
  }

  update(uuid: string, change: MappingChange): Promise<MappingRecord> {
    const current = this.settled(uuid);
    if (current === null) return Promise.reject(resourceNotFound(MAPPING_NOT_FOUND));
    if (current.state === 'Deleting') return Promise.reject(resourceInUse(`Cannot update the event source mapping ${uuid} because it is being deleted.`));
    const enabled = change.pipeline['enabled'] !== false;
    const state: MappingState = change.enabledChanged ? (enabled ? 'Enabling' : 'Disabling') : 'Updating';
    const record: MappingRecord = { ...current, ...change, state, lastModifiedMs: this.now() };
    this.records.set(uuid, { record, settle: 'enabled-state' });
    return Promise.resolve(record);
  }

  delete(uuid: string): Promise<MappingRecord> {
    const current = this.settled(uuid);
    if (current === null) return Promise.reject(resourceNotFound(MAPPING_NOT_FOUND));
    const record: MappingRecord = { ...current, state: 'Deleting', lastModifiedMs: this.now() };
    this.records.set(uuid, { record, settle: 'removed' });
    return Promise.resolve(record);
  }

  /** The record after its pending transition, which this read completes. */
  private settled(uuid: string): MappingRecord | null {
    const stored = this.records.get(uuid);
    if (stored === undefined) return null;
    if (stored.settle === 'removed') {
      this.records.delete(uuid);
      return null;
    }
    if (stored.settle === 'enabled-state') {
      const state: MappingState = stored.record.pipeline['enabled'] === false ? 'Disabled' : 'Enabled';
      const record = { ...stored.record, state };
      this.records.set(uuid, { record, settle: null });
      return record;
    }
    return stored.record;
  }
}

/** Same queue / stream / cluster+topics. */
function sameSource(a: PipelineInput, b: PipelineInput): boolean {
  return JSON.stringify(sourceKey(a)) === JSON.stringify(sourceKey(b));
}

function sourceKey(pipeline: PipelineInput): unknown {
  const source = asRecord(pipeline['source']);
  return [source['type'], source['queueArn'] ?? source['queueUrl'], source['streamArn'], source['clusterArn'], source['bootstrapServers'], source['topics']];
}
