/**
 * Events per second over the last minute, from counter totals sampled every few seconds into a ring buffer. The
 * counters themselves stay the single source of truth (metric-readings.ts); this only remembers a few past totals.
 */
import { RingBuffer } from '../observability/recent-events.js';
import { zeroTotals, type CounterName, type CounterTotals } from './metric-readings.js';

/** Rates of one pipeline. */
export interface Throughput {
  /** Seconds actually covered (shorter than the window just after start); 0 when there is no earlier sample yet. */
  readonly windowSeconds: number;
  /** Events per second of each counter over `windowSeconds`. */
  readonly perSecond: CounterTotals;
  /** Polled events per second in each sampling interval of the window, oldest first (for a sparkline). */
  readonly polledSeries: readonly number[];
}

interface Sample {
  readonly atMs: number;
  readonly totals: ReadonlyMap<string, CounterTotals>;
}

export interface ThroughputSamplerOptions {
  /** Reads the current totals per pipeline. */
  readonly read: () => Promise<ReadonlyMap<string, CounterTotals>>;
  /** Default 2 s. */
  readonly intervalMs?: number;
  /** Default 60 s. */
  readonly windowMs?: number;
  readonly now?: () => number;
  /** Told when a sample could not be read (the sampler keeps going). */
  readonly onError?: (error: unknown) => void;
}

export class ThroughputSampler {
  readonly #read: () => Promise<ReadonlyMap<string, CounterTotals>>;
  readonly #intervalMs: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #samples: RingBuffer<Sample>;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(options: ThroughputSamplerOptions) {
    this.#read = options.read;
    this.#intervalMs = options.intervalMs ?? 2_000;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
    // One more slot than the window needs, so the oldest kept sample is at least a full window old.
    this.#samples = new RingBuffer<Sample>(Math.ceil(this.#windowMs / this.#intervalMs) + 2);
  }

  /** Takes a first sample now and then one every interval. The timer never keeps the process alive. */
  start(): void {
    if (this.#timer !== null) return;
    void this.sample();
    this.#timer = setInterval(() => void this.sample(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async sample(): Promise<void> {
    try {
      const totals = await this.#read();
      this.#samples.push({ atMs: this.#now(), totals });
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Rates of `pipeline` between the oldest sample inside the window and `current` (totals read now). */
  rates(pipeline: string, current: CounterTotals, nowMs = this.#now()): Throughput {
    const inWindow = this.#samples.toArray().filter((s) => s.atMs >= nowMs - this.#windowMs && s.atMs < nowMs);
    const from = inWindow[0];
    const perSecond = zeroTotals();
    if (from === undefined) return { windowSeconds: 0, perSecond, polledSeries: [] };
    const seconds = (nowMs - from.atMs) / 1000;
    const before = from.totals.get(pipeline) ?? zeroTotals();
    for (const name of Object.keys(perSecond) as CounterName[]) {
      perSecond[name] = round(Math.max(0, current[name] - before[name]) / seconds);
    }
    const points = [...inWindow.map((s) => ({ atMs: s.atMs, polled: s.totals.get(pipeline)?.polled ?? 0 })), { atMs: nowMs, polled: current.polled }];
    const polledSeries = points.slice(1).flatMap((point, i) => {
      const previous = points[i];
      if (previous === undefined || point.atMs <= previous.atMs) return [];
      return [round((Math.max(0, point.polled - previous.polled) * 1000) / (point.atMs - previous.atMs))];
    });
    return { windowSeconds: round(seconds), perSecond, polledSeries };
  }
}

const round = (value: number): number => Math.round(value * 100) / 100;
