/**
 * What the control plane needs from the service that runs the pipelines (src/pipeline/service.ts implements it):
 * add, change, pause and remove pipelines while it runs, read their status, and the checkpoint store whose leases a
 * deleted mapping gives back.
 */
import type { CheckpointStore } from '../checkpoint/types.js';
import type { PipelineConfig } from '../config/types.js';
import type { PipelineState } from '../observability/events.js';
import type { PipelineStatus } from '../pipeline/pipeline.js';

export interface PipelineHost {
  /** This process's id in lease tables. */
  readonly workerId: string;
  /** The named pipeline's status, or null when this replica does not run it. */
  status(name: string): PipelineStatus | null;
  /** Adds and starts a pipeline (disabled ones stay Disabled). */
  add(config: PipelineConfig): void;
  /** Applies a new configuration live: in-flight batches finish, the new settings resume from the stored positions. */
  update(name: string, config: PipelineConfig): Promise<void>;
  /** Pauses (keeping every position) or resumes a pipeline. */
  setEnabled(name: string, enabled: boolean): Promise<void>;
  /** Drains in-flight batches, releases the pipeline's leases and forgets it. No-op when it is not running. */
  remove(name: string): Promise<void>;
  /** The service's checkpoint store (leases of stream pipelines). */
  checkpointStore(): Promise<CheckpointStore>;
  /** Told of every lifecycle change of every pipeline. */
  onStateChanged(listener: (pipeline: string, state: PipelineState) => void): () => void;
}
