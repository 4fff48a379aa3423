/**
 * What the instances' JSON logs (pino) tell the campaign: lease moves, pipeline states and errors, records
 * dropped without a destination, Kafka consumer crashes. Pure functions over parsed lines.
 */

export interface LogLine {
  readonly time: number;
  readonly msg: string;
  readonly level: number;
  readonly [field: string]: unknown;
}

/** pino's numeric levels, for the label the service's logger writes (`formatters.level` in src/observability/logger.ts). */
const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * One parsed log line. The service writes `time` as an ISO string and `level` as its label (pino's `isoTime` and a
 * level formatter); numbers (pino's defaults) are taken as they are. A line read as time 0 would time every takeover
 * at 0.0 s and leave a stall's report without the log lines around it.
 */
export function parseLogLine(value: unknown): LogLine {
  const line = value as { readonly time?: unknown; readonly msg?: unknown; readonly level?: unknown };
  const time = typeof line.time === 'number' ? line.time : typeof line.time === 'string' ? Date.parse(line.time) : Number.NaN;
  const level = typeof line.level === 'number' ? line.level : typeof line.level === 'string' ? (LEVELS[line.level.toLowerCase()] ?? 0) : 0;
  return { ...(value as object), time: Number.isFinite(time) ? time : 0, msg: typeof line.msg === 'string' ? line.msg : '', level };
}


/** The shards one process holds after its log so far (took − lost − released). */
export function heldShards(lines: readonly LogLine[]): Set<string> {
  const held = new Set<string>();
  for (const line of lines) {
    const shard = typeof line['shard'] === 'string' ? line['shard'] : null;
    if (shard === null) continue;
    if (line.msg === 'took lease') held.add(shard);
    else if (line.msg === 'lost lease' || line.msg === 'released lease') held.delete(shard);
  }
  return held;
}

/** Steals, plus leases a live process lost (a renewal that failed or was refused): each may redeliver a batch. */
export function leaseMoves(lines: readonly LogLine[]): number {
  return lines.filter((l) => (l.msg === 'took lease' && typeof l['stolenFrom'] === 'string') || l.msg === 'lost lease').length;
}

/** Records the pipeline dropped because it has no on-failure destination. */
export function droppedRecords(lines: readonly LogLine[]): number {
  return lines.filter((l) => l.msg.startsWith('records dropped')).reduce((sum, l) => sum + (typeof l['count'] === 'number' ? l['count'] : 0), 0);
}

export interface Notable {
  readonly time: number;
  readonly text: string;
}

/** Pipeline state changes to Failed, pipeline errors and fatal consumer crashes: the findings a stall report shows. */
export function notableEvents(lines: readonly LogLine[]): Notable[] {
  const out: Notable[] = [];
  for (const l of lines) {
    if (l.msg.startsWith('pipeline ') && l['state'] === 'Failed') out.push({ time: l.time, text: `pipeline Failed: ${String(l['reason'])}` });
    else if (l.msg === 'pipeline error') out.push({ time: l.time, text: `pipeline error ${String(l['code'])}: ${String(l['err'])}` });
    else if (l.msg === 'Kafka consumer crashed') out.push({ time: l.time, text: `Kafka consumer crashed (restarting: ${String(l['restarting'])}): ${String(l['err'])}` });
    else if (l.msg.startsWith('giving up')) out.push({ time: l.time, text: `${l.msg}: ${String(l['reason'])}` });
  }
  return out;
}
