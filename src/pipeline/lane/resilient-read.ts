/**
 * Reads that never throw into the lane loop: a failed read is reported (metrics, logs, health), backed off with
 * jitter and answered as an empty read, so a broker that is briefly unreachable pauses the lane instead of killing
 * it. Throttling backs off the same way (AWS: throttles never use retries).
 */
import type { LaneRead, LaneReader } from '../../connector/types.js';
import { sleep } from '../../connector/kit/sleep.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../../policy/backoff.js';
import type { LaneTracer } from '../../observability/tracing/types.js';
import type { LaneReadFn } from './lane-loop.js';

export const EMPTY_READ: LaneRead = { records: [], end: false, caughtUp: false };

export interface ReadReporting {
  /** A read failed; `consecutive` counts failures since the last success. */
  readonly failed: (error: unknown, consecutive: number) => void;
  /** A read succeeded after failures. */
  readonly recovered: () => void;
  /** Every successful read (lag metrics). */
  readonly read?: (result: LaneRead) => void;
}

/** `tracer`: a `receive` span per read that returned records or failed (README "Tracing"); absent: tracing is off. */
export function resilientRead(reader: Pick<LaneReader, 'read'>, signal: AbortSignal, random: () => number, report: ReadReporting, tracer?: LaneTracer): LaneReadFn {
  let failures = 0;
  return async (maxRecords, waitMs) => {
    const span = tracer?.receive();
    try {
      const result = await reader.read({ maxRecords, waitMs, signal });
      span?.end({ kind: 'records', records: result.records });
      if (failures > 0) report.recovered();
      failures = 0;
      report.read?.(result);
      return result;
    } catch (error) {
      span?.end(signal.aborted ? { kind: 'records', records: [] } : { kind: 'failed', error });
      if (signal.aborted) return EMPTY_READ;
      failures += 1;
      report.failed(error, failures);
      await sleep(backoffDelayMs(failures, DEFAULT_BACKOFF, random), signal);
      return EMPTY_READ;
    }
  };
}
