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

export function parseLogLine(value: unknown): LogLine {
  const line = value as Partial<LogLine>;
  return { ...line, time: typeof line.time === 'number' ? line.time : 0, msg: typeof line.msg === 'string' ? line.msg : '', level: typeof line.level === 'number' ? line.level : 0 };
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
