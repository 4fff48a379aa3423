/**
 * Tumbling windows for stream sources (TumblingWindowInSeconds, ≤ 900): records are grouped into fixed windows by
 * their arrival time; the function's `state` is carried from one invocation of a window to the next; when the window
 * ends, a final invocation with `isFinalInvokeForWindow: true` gets the state, and the state is dropped. State over
 * 1 MB ends the window early (`isWindowTerminatedEarly: true`). A failing final invocation pauses the shard until
 * it succeeds. Child shards of a reshard start fresh windows.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 *
 * The window in progress (its bounds and the state) is stored with the shard's checkpoint, as AWS keeps it with the
 * mapping: after a restart the records after the checkpoint are read again into the restored window.
 */
import { safeInvoke } from '../../runner/safe-invoke.js';
import type { SourceRecord } from '../../connector/types.js';
import { DEFAULT_BACKOFF, backoffDelayMs } from '../../policy/backoff.js';
import type { FunctionRunner } from '../../runner/types.js';
import { sleep } from '../../connector/kit/sleep.js';

/** AWS: "state … is limited to 1 MB per shard". */
export const MAX_WINDOW_STATE_BYTES = 1024 * 1024;

export interface Window {
  readonly startMs: number;
  readonly endMs: number;
  state: unknown;
}

export interface WindowEventContext {
  readonly shardId: string;
  readonly eventSourceARN: string;
}

/** Splits a shard-ordered batch into runs of records of the same window (a late record joins the current run). */
export function splitByWindow(records: readonly SourceRecord[], windowMs: number, currentStartMs: number | null): { startMs: number; records: SourceRecord[] }[] {
  const runs: { startMs: number; records: SourceRecord[] }[] = [];
  let start = currentStartMs ?? -Infinity;
  for (const record of records) {
    start = Math.max(start, Math.floor(record.arrivedAtMs / windowMs) * windowMs);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.startMs === start) last.records.push(record);
    else runs.push({ startMs: start, records: [record] });
  }
  return runs;
}

/** The window fields Lambda adds to the event, in AWS's order after `Records`. */
export function windowEvent(base: unknown, window: Window, context: WindowEventContext, final: boolean, terminatedEarly: boolean): Record<string, unknown> {
  const records = (base as { Records?: unknown }).Records ?? [];
  return {
    Records: records,
    window: { start: new Date(window.startMs).toISOString().replace('.000Z', 'Z'), end: new Date(window.endMs).toISOString().replace('.000Z', 'Z') },
    state: window.state,
    shardId: context.shardId,
    eventSourceARN: context.eventSourceARN,
    isFinalInvokeForWindow: final,
    isWindowTerminatedEarly: terminatedEarly,
  };
}

export function stateFrom(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null && 'state' in payload ? (payload as { state: unknown }).state : {};
}

export function stateTooLarge(state: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(state ?? {})) > MAX_WINDOW_STATE_BYTES;
}

/**
 * The final invocation of a window; retried with back-off until it succeeds (AWS pauses the shard) or `signal`
 * aborts. Returns false when interrupted.
 */
export async function finalInvoke(
  runner: FunctionRunner,
  event: Record<string, unknown>,
  timeoutMs: number,
  now: () => number,
  random: () => number,
  signal: AbortSignal,
): Promise<boolean> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    const result = await safeInvoke(runner, event, { deadlineMs: now() + timeoutMs, signal });
    if (result.status === 'ok') return true;
    await sleep(backoffDelayMs(attempt, DEFAULT_BACKOFF, random), signal);
  }
  return false;
}
