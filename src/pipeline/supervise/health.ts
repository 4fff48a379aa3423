/**
 * The health of one pipeline run, as its parts report it: a lane that cannot read, a group client that cannot
 * join, a lease table that cannot be reached, progress that cannot be stored. The supervisor (pipeline.ts) turns
 * a part that has been failing for longer than its budget into the `Failed` state (`/readyz` 503 naming it, `/status`
 * saying why) and back to `Enabled` when every part works again. Throttling is not a failure.
 */
import { errorMessage } from '../../errors.js';

export interface Failing {
  readonly component: string;
  readonly sinceMs: number;
  readonly message: string;
}

export class Health {
  readonly #failing = new Map<string, Failing>();
  readonly #now: () => number;
  readonly #onChange: () => void;

  constructor(now: () => number, onChange: () => void = () => undefined) {
    this.#now = now;
    this.#onChange = onChange;
  }

  /** `component` works (again). */
  ok(component: string): void {
    if (this.#failing.delete(component)) this.#onChange();
  }

  /** `component` failed; the first failure of a streak starts its clock. */
  failed(component: string, error: unknown): void {
    const previous = this.#failing.get(component);
    this.#failing.set(component, { component, sinceMs: previous?.sinceMs ?? this.#now(), message: errorMessage(error) });
    if (previous === undefined) this.#onChange();
  }

  /** Forget a part that no longer exists (a lane that ended). */
  forget(component: string): void {
    this.ok(component);
  }

  /** The part failing the longest, or null when everything works. */
  worst(): Failing | null {
    let worst: Failing | null = null;
    for (const failing of this.#failing.values()) if (worst === null || failing.sinceMs < worst.sinceMs) worst = failing;
    return worst;
  }
}
