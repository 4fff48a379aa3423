/**
 * An SDK adapter loaded on first use (so pipelines that never deliver never load the SDK), once; a failed load is
 * tried again by the next delivery. Shared by the AWS destinations.
 */
import { asDestinationError } from './destination-errors.js';

export class LazyClient<T extends { close(): void }> {
  readonly #target: string;
  readonly #what: string;
  readonly #load: () => Promise<T>;
  #client: Promise<T> | null = null;

  /** `what` names the client in errors (`loading <what> failed`). */
  constructor(target: string, what: string, load: () => Promise<T>) {
    this.#target = target;
    this.#what = what;
    this.#load = load;
  }

  async get(): Promise<T> {
    this.#client ??= this.#load();
    try {
      return await this.#client;
    } catch (error) {
      this.#client = null;
      throw asDestinationError(this.#target, `loading ${this.#what}`, error);
    }
  }

  /** Releases the client if it was loaded. */
  async close(): Promise<void> {
    const client = await this.#client?.catch(() => null);
    client?.close();
    this.#client = null;
  }
}
