/**
 * Lambda's per-invocation REPORT log line:
 * `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 57 MB`
 * followed by `\tInit Duration: 123.45 ms` on a cold start, and `\tStatus: timeout` / `\tStatus: error\tError Type: …`
 * when the environment failed. Billed duration is rounded up to the millisecond.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 */
import type { Logger } from '../../observability/logger.js';

export interface InvocationReport {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start (the invocation waited for an on-demand init). */
  readonly initDurationMs: number | null;
  /** `ok` also for a handler that threw: the environment itself worked. */
  readonly status: 'ok' | 'timeout' | 'error';
  /** The runtime error type when `status` is `error` (e.g. `Runtime.ExitError`). */
  readonly errorType: string | null;
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export function reportLine(report: InvocationReport): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${ms(report.durationMs)}`,
    `Billed Duration: ${billedDurationMs(report.durationMs)} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== null) fields.push(`Init Duration: ${ms(report.initDurationMs)}`);
  if (report.status !== 'ok') fields.push(`Status: ${report.status}`);
  if (report.status === 'error' && report.errorType !== null) fields.push(`Error Type: ${report.errorType}`);
  return fields.join('\t');
}

/** Logs the report at info level as a structured object (message `report`), the line included. */
export function logReport(logger: Logger, report: InvocationReport): void {
  const round = (value: number): number => Math.round(value * 100) / 100;
  logger.info(
    {
      requestId: report.requestId,
      durationMs: round(report.durationMs),
      billedDurationMs: billedDurationMs(report.durationMs),
      memorySizeMb: report.memorySizeMb,
      maxMemoryUsedMb: report.maxMemoryUsedMb,
      ...(report.initDurationMs === null ? {} : { initDurationMs: round(report.initDurationMs) }),
      ...(report.status === 'ok' ? {} : { status: report.status }),
      ...(report.errorType === null ? {} : { errorType: report.errorType }),
      line: reportLine(report),
    },
    'report',
  );
}
