/**
 * Short human-readable lines of what the demo pipeline does, written through the CLI's stdout (never `console`):
 * orders produced, batches invoked or failed, bisect and retries as they happen, records sent to the on-failure
 * file, state changes and errors.
 */
import type { PipelineEventMap, PipelineEventName } from '../../observability/events.js';
import type { DemoOrder } from './orders.js';
import { isInvalidOrder } from './orders.js';

interface EventSource {
  on<K extends PipelineEventName>(name: K, listener: (event: PipelineEventMap[K]) => void): () => void;
}

/** `shardId-000000000001` → `shard-1`; anything else as it is. */
export const shortShard = (shard: string): string => shard.replace(/^shardId-0*(\d)/, 'shard-$1');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export class DemoPrinter {
  readonly #write: (text: string) => void;
  readonly #now: () => number;

  constructor(write: (text: string) => void, now: () => number = Date.now) {
    this.#write = write;
    this.#now = now;
  }

  /** One line: `HH:MM:SS  who  what`. */
  line(who: string, what: string): void {
    const time = new Date(this.#now()).toLocaleTimeString('en-GB', { hour12: false });
    this.#write(`${time}  ${who.padEnd(10)} ${what}\n`);
  }

  /** Plain text, as is. */
  text(text: string): void {
    this.#write(text);
  }

  produced(batch: readonly { readonly n: number; readonly order: DemoOrder }[]): void {
    const first = batch[0]?.order.orderId;
    const last = batch[batch.length - 1]?.order.orderId;
    if (first === undefined || last === undefined) return;
    const invalid = batch.filter(({ n }) => isInvalidOrder(n)).map(({ order }) => order.orderId);
    this.line('producer', `put ${plural(batch.length, 'order')} ${first}…${last}${invalid.length > 0 ? ` (invalid: ${invalid.join(', ')})` : ''}`);
  }

  /** Prints the pipeline's events; returns a function that stops. */
  follow(source: EventSource): () => void {
    const offs = [
      source.on('batch-invoked', (e) => {
        const failed = e.failedIds.length > 0 ? `, ${e.failedIds.length} reported failed` : '';
        this.line(shortShard(e.shard), `invoked batch of ${e.size}: ok${failed} (${Math.round(e.durationMs)} ms)`);
      }),
      source.on('batch-failed', (e) => {
        const next = e.size > 1 ? 'bisect: retry each half' : 'retry with back-off (at most 2 retries), then on-failure';
        this.line(shortShard(e.shard), `invoked batch of ${e.size}: FAILED ${e.errorType}: ${e.errorMessage} → ${next}`);
      }),
      source.on('records-discarded', (e) => {
        if (e.reason === 'on-failure') this.line(shortShard(e.shard), `${plural(e.count, 'record')} written to the on-failure file (retries exhausted)`);
        else if (e.reason === 'dropped') this.line(shortShard(e.shard), `${plural(e.count, 'record')} dropped`);
      }),
      source.on('state-changed', (e) => this.line('pipeline', `${e.pipeline} is ${e.state}${e.reason === null ? '' : ` (${e.reason})`}`)),
      source.on('error', (e) => this.line('pipeline', `error ${e.code}: ${e.message}`)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }
}
