/**
 * Measurement inside a contender's child process. The same probe is used by every contender of a case, so the
 * windows are the same for all: CPU from `start()` (just before the consumer starts) to the last expected record,
 * throughput from the first handled record to the last, peak RSS of the whole process.
 */
import { readFileSync } from 'node:fs';
import type { Measurement } from './types.ts';

/**
 * This process's peak resident set so far, in MB. On Linux from /proc/self/status `VmHWM` (the high-water mark of
 * this process's own memory): getrusage's maxRSS is no good in a forked child, it keeps the parent's peak across
 * fork and exec (measured: a child of a 444 MB parent reports 404 MB maxRSS and 45 MB VmHWM).
 * https://man7.org/linux/man-pages/man5/proc_pid_status.5.html
 */
export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm !== undefined) return Number(hwm) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** User + system CPU of this process (all threads) in µs since `since`. */
export function cpuSinceUs(since: NodeJS.CpuUsage): number {
  const delta = process.cpuUsage(since);
  return delta.user + delta.system;
}

/** The monotonic clock V8's CPU profiles use, in µs. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface DrainResult {
  readonly records: number;
  readonly throughput: number;
  readonly cpuPerRecord: number;
  readonly peakRss: number;
  readonly firstRecordMs: number;
}

/**
 * Counts handled records until `expected` arrived. Handlers call `seen(n)` after handling `n` records; `done`
 * resolves at the expected count; `wait(timeoutMs)` rejects with what was seen when the count never arrives.
 */
export class DrainProbe {
  readonly expected: number;
  #count = 0;
  #startedAt = 0;
  #cpuAtStart: NodeJS.CpuUsage = process.cpuUsage();
  #firstAt = 0;
  #lastAt = 0;
  #cpuUs = 0;
  #windowStartUs = 0;
  #windowEndUs = 0;
  #resolve: () => void = () => undefined;
  readonly #done: Promise<void>;

  constructor(expected: number) {
    this.expected = expected;
    this.#done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get count(): number {
    return this.#count;
  }

  /** Call right before starting the consumer. */
  start(): void {
    this.#startedAt = performance.now();
    this.#windowStartUs = monotonicUs();
    this.#cpuAtStart = process.cpuUsage();
  }

  /** `n` more records were handled. Counting past `expected` (redeliveries) is allowed and ignored. */
  seen(n: number): void {
    if (n <= 0) return;
    const now = performance.now();
    if (this.#count === 0) this.#firstAt = now;
    const before = this.#count;
    this.#count += n;
    if (before < this.expected && this.#count >= this.expected) {
      this.#lastAt = now;
      this.#cpuUs = cpuSinceUs(this.#cpuAtStart);
      this.#windowEndUs = monotonicUs();
      this.#resolve();
    }
  }

  async wait(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${this.#count} of ${this.expected} records arrived within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.#done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** From start() to the last expected record, on the profile's clock. */
  window(): { startUs: number; endUs: number } {
    return { startUs: this.#windowStartUs, endUs: this.#windowEndUs };
  }

  result(): DrainResult {
    // One batch only (tiny runs): the window has no length; count its duration from start instead.
    const window = this.#lastAt - this.#firstAt > 0 ? this.#lastAt - this.#firstAt : this.#lastAt - this.#startedAt;
    return {
      records: this.#count,
      throughput: this.expected / Math.max(window, 0.001) * 1000,
      cpuPerRecord: this.#cpuUs / this.expected,
      peakRss: peakRssMb(),
      firstRecordMs: this.#firstAt - this.#startedAt,
    };
  }
}

/** The measurement of a drain, as a contender returns it (with its own correctness check). */
export function drainMeasurement(probe: DrainProbe, check: string | null): Measurement {
  const { throughput, cpuPerRecord, peakRss, firstRecordMs } = probe.result();
  return { metrics: { throughput, cpuPerRecord, peakRss, firstRecordMs }, check, window: probe.window() };
}
