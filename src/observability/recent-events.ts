/**
 * The last notable events of each pipeline, for `/status` and the status page (DESIGN §5): function failures,
 * records sent to the on-failure destination or dropped, Tributary's own errors and lifecycle changes. A fixed-size
 * ring buffer per pipeline, fed by the typed events (`service.on(...)`), so memory stays bounded however long the
 * process runs. Routine events (successful batches, filtered records) are not kept: the counters cover them.
 */
import type { PipelineEventMap, PipelineEventName, PipelineState } from './events.js';

/** What a recorded event is about. `partial-failure`: the function named records in `batchItemFailures`. */
export type RecentEventKind = 'batch-failed' | 'partial-failure' | 'on-failure' | 'dropped' | 'error' | 'state-changed';

/** One recorded event. Every field is plain JSON; text fields may come from handler errors and are untrusted. */
export type RecentEvent =
  | { readonly kind: 'batch-failed'; readonly atMs: number; readonly pipeline: string; readonly shard: string; readonly batchId: string; readonly size: number; readonly errorKind: string; readonly errorType: string; readonly errorMessage: string }
  | { readonly kind: 'partial-failure'; readonly atMs: number; readonly pipeline: string; readonly shard: string; readonly batchId: string; readonly size: number; readonly failed: number }
  | { readonly kind: 'on-failure' | 'dropped'; readonly atMs: number; readonly pipeline: string; readonly shard: string; readonly count: number }
  | { readonly kind: 'error'; readonly atMs: number; readonly pipeline: string; readonly code: string; readonly message: string }
  | { readonly kind: 'state-changed'; readonly atMs: number; readonly pipeline: string; readonly state: PipelineState; readonly reason: string | null };

/** Anything with the service's typed `on()` (TributaryService, or a test double). */
export interface EventSubscriber {
  on<K extends PipelineEventName>(name: K, listener: (event: PipelineEventMap[K]) => void): () => void;
}

export interface RecentEventsOptions {
  /** Events kept per pipeline (default 50). */
  readonly capacity?: number;
  /** Clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Longer text (handler error messages) is cut to this many characters (default 500). */
  readonly maxTextLength?: number;
}

/** A fixed-capacity ring buffer: `push` overwrites the oldest entry once full. */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i += 1) {
      const item = this.#items[(start + i) % this.capacity];
      if (item !== undefined) out.push(item);
    }
    return out;
  }
}

/** Recent notable events, a ring buffer per pipeline. */
export class RecentEvents {
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #maxText: number;
  readonly #byPipeline = new Map<string, RingBuffer<RecentEvent>>();

  constructor(options: RecentEventsOptions = {}) {
    this.#capacity = options.capacity ?? 50;
    this.#now = options.now ?? Date.now;
    this.#maxText = options.maxTextLength ?? 500;
  }

  /** Starts recording the events of `source`; returns a function that stops it. */
  subscribe(source: EventSubscriber): () => void {
    const offs = [
      source.on('batch-failed', (e) =>
        this.add({ kind: 'batch-failed', atMs: this.#now(), pipeline: e.pipeline, shard: e.shard, batchId: e.batchId, size: e.size, errorKind: e.kind, errorType: this.#cut(e.errorType), errorMessage: this.#cut(e.errorMessage) }),
      ),
      source.on('batch-invoked', (e) => {
        if (e.failedIds.length > 0) this.add({ kind: 'partial-failure', atMs: this.#now(), pipeline: e.pipeline, shard: e.shard, batchId: e.batchId, size: e.size, failed: e.failedIds.length });
      }),
      source.on('records-discarded', (e) => {
        if (e.reason !== 'filtered') this.add({ kind: e.reason, atMs: this.#now(), pipeline: e.pipeline, shard: e.shard, count: e.count });
      }),
      source.on('error', (e) => this.add({ kind: 'error', atMs: this.#now(), pipeline: e.pipeline, code: e.code, message: this.#cut(e.message) })),
      source.on('state-changed', (e) => this.add({ kind: 'state-changed', atMs: this.#now(), pipeline: e.pipeline, state: e.state, reason: e.reason === null ? null : this.#cut(e.reason) })),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  add(event: RecentEvent): void {
    let ring = this.#byPipeline.get(event.pipeline);
    if (ring === undefined) {
      ring = new RingBuffer<RecentEvent>(this.#capacity);
      this.#byPipeline.set(event.pipeline, ring);
    }
    ring.push(event);
  }

  /** The events of one pipeline, newest first. */
  list(pipeline: string): RecentEvent[] {
    return (this.#byPipeline.get(pipeline)?.toArray() ?? []).reverse();
  }

  #cut(text: string): string {
    return text.length <= this.#maxText ? text : `${text.slice(0, this.#maxText)}…`;
  }
}
