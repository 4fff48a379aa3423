/**
 * Typed events for library users (DESIGN §1 "Library"). Listeners must not throw; if one does, the error is
 * logged and ignored so a listener can never break delivery.
 */
import { EventEmitter } from 'node:events';

/** Lambda's event source mapping states, plus `Failed` (see src/pipeline/lifecycle.ts for the transitions). */
export const PIPELINE_STATES = ['Creating', 'Enabling', 'Enabled', 'Disabling', 'Disabled', 'Updating', 'Deleting', 'Failed'] as const;
export type PipelineState = (typeof PIPELINE_STATES)[number];

export interface PipelineEventMap {
  /** A batch was sent to the function and it answered (success or partial failure). */
  'batch-invoked': { pipeline: string; shard: string; batchId: string; size: number; durationMs: number; failedIds: readonly string[] };
  /** The function failed on the batch (error, timeout, invalid partial response). */
  'batch-failed': { pipeline: string; shard: string; batchId: string; size: number; kind: string; errorType: string; errorMessage: string };
  /** Records settled without reaching the function successfully (filtered out, dropped, sent to on-failure). */
  'records-discarded': { pipeline: string; shard: string; reason: 'filtered' | 'dropped' | 'on-failure'; count: number };
  /** A failure of Tributary itself (source unreachable, settle failed…). Delivery keeps trying. */
  error: { pipeline: string; code: string; message: string };
  'state-changed': { pipeline: string; state: PipelineState; reason: string | null };
}

export type PipelineEventName = keyof PipelineEventMap;

export class TypedEmitter {
  readonly #emitter = new EventEmitter();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends PipelineEventName>(name: K, listener: (event: PipelineEventMap[K]) => void): () => void {
    const wrapped = (event: PipelineEventMap[K]): void => {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    };
    this.#emitter.on(name, wrapped);
    return () => this.#emitter.off(name, wrapped);
  }

  emit<K extends PipelineEventName>(name: K, event: PipelineEventMap[K]): void {
    // Node's EventEmitter throws on an 'error' event nobody listens to; ours are reports, not exceptions.
    if (this.#emitter.listenerCount(name) === 0) return;
    this.#emitter.emit(name, event);
  }
}
