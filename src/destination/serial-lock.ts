/**
 * Runs async sections one at a time per key, in call order. Used so that deliveries to the same file never
 * interleave their lines, also across destinations of different pipelines that name the same path.
 */

/** A FIFO mutex per key; a key's entry disappears when its queue is empty. */
export class SerialLock {
  readonly #tails = new Map<string, Promise<void>>();

  /** Waits for every earlier section of `key`, then runs `section`; a failing section does not block later ones. */
  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => done);
    this.#tails.set(key, tail);
    try {
      await previous;
      return await section();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Resolves when every section queued so far for `key` has finished. */
  async idle(key: string): Promise<void> {
    await this.#tails.get(key);
  }
}
