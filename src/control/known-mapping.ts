/**
 * One mapping as this replica knows it — what the store (or the file) wants, and what this replica applied — and the
 * ordered application of what it wants onto the service (PipelineHost). Changes of one mapping are applied one at a
 * time in the order they were seen; an apply never blocks the API (a drain can take the shutdown timeout).
 *
 * - wanted `run`: not running here → add it (started, or left Disabled); running → only `enabled` changed: pause or
 *   resume it (the position is kept); anything else: update it live (in-flight batches finish, the new settings
 *   resume from the stored positions — nothing is lost or skipped).
 * - wanted `stop` (deleted): remove it here (drain, hand leases back), then let the sync finish the delete.
 */
import type { PipelineInput } from '../api/ports.js';
import type { StoredMapping } from '../checkpoint/mapping-store.js';
import type { PipelineConfig } from '../config/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { FileMapping } from './mapping-config.js';
import type { PipelineHost } from './pipeline-host.js';

/** What the mapping should be on this replica. */
export type Wanted =
  | { readonly kind: 'run'; readonly config: PipelineConfig; readonly key: string }
  | { readonly kind: 'stop'; readonly key: string };

export class KnownMapping {
  readonly uuid: string;
  readonly origin: 'api' | 'file';
  /** The pipeline's name in the service: the UUID for API mappings, the file's name for file mappings. */
  readonly name: string;
  /** The file's pipeline (file mappings only). */
  readonly file: FileMapping | null;
  /** The latest stored record (null: a file mapping the API never changed). */
  stored: StoredMapping | null = null;
  /** The parameters the API shows and merges updates into. */
  input: PipelineInput;
  functionName: string;
  qualifier: string | null = null;
  awsOnly: Readonly<Record<string, unknown>> = {};
  lastModifiedMs: number;
  /** The resolved pipeline, or null when the stored parameters no longer resolve (`problem` says why). */
  config: PipelineConfig | null = null;
  problem: string | null = null;
  /** Reached Enabled or Disabled once (before that it is `Creating`). */
  settledOnce = false;
  /** Removed here after a delete; the sync retries finishing the delete until it succeeds. */
  removedHere = false;
  #appliedKey: string | null = null;
  #applied: PipelineConfig | null = null;
  #chain: Promise<void> = Promise.resolve();

  constructor(init: { uuid: string; origin: 'api' | 'file'; name: string; file: FileMapping | null; input: PipelineInput; functionName: string; lastModifiedMs: number }) {
    this.uuid = init.uuid;
    this.origin = init.origin;
    this.name = init.name;
    this.file = init.file;
    this.input = init.input;
    this.functionName = init.functionName;
    this.lastModifiedMs = init.lastModifiedMs;
  }

  /** The stored record says it is being (or was) deleted. */
  get deleting(): boolean {
    return this.stored !== null && this.stored.status !== 'active';
  }

  /** Marks `wanted` as already applied (the service started the pipeline with it). */
  markApplied(wanted: Wanted): void {
    this.#appliedKey = wanted.key;
    this.#applied = wanted.kind === 'run' ? wanted.config : null;
  }

  /**
   * Applies `wanted` after whatever is being applied now, unless it is what was applied last. `afterStop` runs once
   * a `stop` is done here (finishing the delete). Resolves when this change is applied (never rejects).
   */
  want(wanted: Wanted, host: PipelineHost, logger: Logger, afterStop: () => Promise<void>): Promise<void> {
    if (wanted.key === this.#appliedKey) return this.#chain;
    this.#appliedKey = wanted.key;
    this.#chain = this.#chain.then(async () => {
      try {
        await this.#apply(wanted, host, afterStop);
      } catch (error) {
        logger.error({ mapping: this.uuid, err: errorMessage(error) }, 'could not apply an event source mapping change');
      }
    });
    return this.#chain;
  }

  /** Resolves when everything wanted so far is applied. */
  idle(): Promise<void> {
    return this.#chain;
  }

  async #apply(wanted: Wanted, host: PipelineHost, afterStop: () => Promise<void>): Promise<void> {
    if (wanted.kind === 'stop') {
      await host.remove(this.name);
      this.#applied = null;
      this.removedHere = true;
      await afterStop();
      return;
    }
    const previous = this.#applied;
    this.#applied = wanted.config;
    if (host.status(this.name) === null) host.add(wanted.config);
    else if (previous !== null && onlyEnabledDiffers(previous, wanted.config)) await host.setEnabled(this.name, wanted.config.enabled);
    else await host.update(this.name, wanted.config);
  }
}

/** Same pipeline but for `enabled` (then a pause or resume is enough). */
function onlyEnabledDiffers(a: PipelineConfig, b: PipelineConfig): boolean {
  return a.enabled !== b.enabled && a.function === b.function && stableJson({ ...a, enabled: b.enabled, function: null }) === stableJson({ ...b, function: null });
}

/** JSON with object keys sorted, so two configs built in different orders compare equal. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
