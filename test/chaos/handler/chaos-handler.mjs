// The chaos campaign's Lambda handler: an ordinary `module` handler (ES module) that Tributary runs unchanged.
//
// Ground truth: every record it handled is appended to the ledger (JSON lines, one write per invocation on a
// file opened with O_APPEND, so lines from several sandboxes and processes never interleave) BEFORE it returns
// success. A record is never written when the invocation fails, so a failure can never look like a delivery.
//
// Faults, decided per invocation before anything is written, and logged to the fault ledger:
// - random faults (a throw, sleeping past the function timeout, process.exit, running out of heap), drawn from a
//   hash of the seed and the batch, at most CHAOS_FAULT_CAP per record (counted in files under CHAOS_COUNTS), so a
//   record can never legitimately exhaust its retries through them;
// - poison records (CHAOS_POISON): fail every time, reported in batchItemFailures, so they end in the DLQ / the
//   on-failure destination (or are dropped when there is none);
// - transient records (CHAOS_TRANSIENT): fail their first CHAOS_TRANSIENT_FAILS invocations, then succeed;
// - neighbours of a poison record (CHAOS_NEIGHBOURS): fail whenever they share an invocation, and their first
//   invocation alone in each process, then succeed — so each needs exactly one retry of its own (with bisect);
//   a neighbour discarded anyway got retries that were not its own;
// - a hold file (CHAOS_HOLD): while it exists, an invocation announces itself and waits (a crash "mid-batch").
import { appendFileSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const env = process.env;
const number = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : Number(env[name]));
const list = (name) => new Set((env[name] ?? '').split(',').filter((s) => s !== ''));

const SEED = String(env.CHAOS_SEED ?? '1');
const INSTANCE = env.CHAOS_INSTANCE ?? '?';
const POISON = list('CHAOS_POISON');
const TRANSIENT = list('CHAOS_TRANSIENT');
const NEIGHBOURS = list('CHAOS_NEIGHBOURS');
const TRANSIENT_FAILS = number('CHAOS_TRANSIENT_FAILS', 2);
/** `throw`: a transient record fails its whole invocation (streams: exercises bisect); `partial`: only itself. */
const TRANSIENT_MODE = env.CHAOS_TRANSIENT_MODE ?? 'partial';
const P = { throw: number('CHAOS_P_THROW', 0), timeout: number('CHAOS_P_TIMEOUT', 0), exit: number('CHAOS_P_EXIT', 0), oom: number('CHAOS_P_OOM', 0) };
const FAULT_CAP = number('CHAOS_FAULT_CAP', 1);
const TIMEOUT_SLEEP_MS = number('CHAOS_TIMEOUT_SLEEP_MS', 4000);
const WORK_MS = number('CHAOS_WORK_MS', 0);
const WORK_PER_RECORD_MS = number('CHAOS_WORK_PER_RECORD_MS', 0);
const HOLD = env.CHAOS_HOLD ?? '';
const HOLD_MAX_MS = number('CHAOS_HOLD_MAX_MS', 2000);
const COUNTS = env.CHAOS_COUNTS ?? '';
if (COUNTS !== '') mkdirSync(COUNTS, { recursive: true });

const ledger = openSync(env.CHAOS_LEDGER, 'a');
const faults = openSync(env.CHAOS_FAULTS, 'a');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** FNV-1a of the text, as a fraction in [0, 1). */
function unit(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4294967296;
}

function count(kind, id) {
  if (COUNTS === '') return 0;
  try {
    return statSync(join(COUNTS, `${kind}-${id}`)).size;
  } catch {
    return 0;
  }
}

function bump(kind, id) {
  if (COUNTS !== '') appendFileSync(join(COUNTS, `${kind}-${id}`), 'x');
}

/** `n`: records in the invocation (a poison failing alone is a retry the pipeline counts). */
function logFault(kind, ids, n) {
  writeSync(faults, `${JSON.stringify({ k: kind, ids, n, i: INSTANCE, pid: process.pid, t: Date.now() })}\n`);
}

/** id, ordering unit and position, and the batchItemFailures identifier, for every source's event. */
function parse(event) {
  if (Array.isArray(event.Records)) {
    return event.Records.map((r) => {
      if (r.eventSource === 'aws:sqs') {
        const body = JSON.parse(r.body);
        const group = r.attributes?.MessageGroupId ?? null;
        return { id: body.id, u: group, p: String(body.seq), item: r.messageId, group };
      }
      if (r.eventSource === 'aws:kinesis') {
        const body = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString());
        return { id: body.id, u: r.kinesis.partitionKey, p: r.kinesis.sequenceNumber, item: r.kinesis.sequenceNumber, group: null };
      }
      const image = r.dynamodb.NewImage;
      return { id: image.id.S, u: r.dynamodb.Keys.pk.S, p: r.dynamodb.SequenceNumber, item: r.dynamodb.SequenceNumber, group: null };
    });
  }
  return Object.values(event.records ?? {})
    .flat()
    .map((r) => {
      const body = JSON.parse(Buffer.from(r.value, 'base64').toString());
      const tp = `${r.topic}-${r.partition}`;
      return { id: body.id, u: tp, p: String(r.offset), item: { partition: tp, offset: r.offset }, group: null };
    });
}

/** The random fault for this invocation, or null. Deterministic in the seed, the batch and its fault history. */
function randomFault(records) {
  const first = records[0];
  const last = records[records.length - 1];
  const draw = unit(`${SEED}:${first.id}:${last.id}:${records.length}:${count('r', first.id)}`);
  let edge = 0;
  for (const kind of ['throw', 'timeout', 'exit', 'oom']) {
    edge += P[kind];
    if (draw < edge) return records.every((r) => count('r', r.id) < FAULT_CAP) ? kind : null;
  }
  return null;
}

async function inject(kind, records) {
  for (const r of records) bump('r', r.id);
  logFault(kind, records.map((r) => r.id), records.length);
  switch (kind) {
    case 'throw':
      throw new Error('chaos: random throw');
    case 'timeout':
      await sleep(TIMEOUT_SLEEP_MS);
      throw new Error('chaos: slept past the function timeout, yet was not stopped');
    case 'exit':
      process.exit(3);
      break;
    case 'oom': {
      const hog = [];
      globalThis.chaosHog = hog;
      for (;;) hog.push(new Array(1 << 20).fill(Math.random()));
    }
  }
}

/** The records that must fail now: poison, transients with failures left, neighbours not yet retried alone. */
function failingRecords(records) {
  const failing = new Set();
  for (const r of records) {
    if (POISON.has(r.id)) failing.add(r.id);
    else if (TRANSIENT.has(r.id) && count('t', r.id) < TRANSIENT_FAILS) failing.add(r.id);
    else if (NEIGHBOURS.has(r.id) && (records.length > 1 || count('s', `${r.id}-${process.pid}`) < 1)) failing.add(r.id);
  }
  return failing;
}

/**
 * Which records to report failed, following each source's rule for what comes back: streams and Kafka retry from
 * the lowest failed record (so nothing after it is processed), FIFO returns the failed message and the rest of its
 * group, a standard queue returns only the named messages.
 */
function cut(records, failing) {
  const fifo = records.some((r) => r.group !== null);
  if (env.CHAOS_SOURCE === 'sqs' && !fifo) return new Set(records.filter((r) => failing.has(r.id)).map((r) => r.id));
  const failed = new Set();
  const stoppedGroups = new Set();
  let stopped = false;
  for (const r of records) {
    const group = fifo ? r.group : '';
    if (failing.has(r.id)) {
      stoppedGroups.add(group);
      stopped = true;
    }
    if (fifo ? stoppedGroups.has(group) : stopped) failed.add(r.id);
  }
  return failed;
}

export const handler = async (event) => {
  const records = parse(event);
  if (records.length === 0) return { batchItemFailures: [] };
  if (HOLD !== '' && existsSync(HOLD)) {
    logFault('held', records.map((r) => r.id), records.length);
    const until = Date.now() + HOLD_MAX_MS;
    while (existsSync(HOLD) && Date.now() < until) await sleep(50);
  }
  const fault = randomFault(records);
  if (fault !== null) await inject(fault, records);
  const failing = failingRecords(records);
  for (const id of failing) {
    if (POISON.has(id)) logFault('poison', [id], records.length);
    else {
      if (NEIGHBOURS.has(id) && records.length === 1) bump('s', `${id}-${process.pid}`);
      if (TRANSIENT.has(id)) bump('t', id);
      logFault('transient', [id], records.length);
    }
  }
  if (failing.size > 0 && TRANSIENT_MODE === 'throw' && [...failing].some((id) => !POISON.has(id))) {
    throw new Error('chaos: transient record');
  }
  const failed = cut(records, failing);
  // A FIFO group's messages behind a failed one come back with it: their receive count grows with its retries.
  const behind = [...failed].filter((id) => !failing.has(id));
  if (behind.length > 0 && env.CHAOS_SOURCE === 'sqs') logFault('behind', behind, records.length);
  const handled = records.filter((r) => !failed.has(r.id));
  const work = WORK_MS + WORK_PER_RECORD_MS * records.length;
  if (work > 0) await sleep(work);
  if (handled.length > 0) {
    const t = Date.now();
    writeSync(ledger, handled.map((r) => `${JSON.stringify({ id: r.id, u: r.u, p: r.p, i: INSTANCE, pid: process.pid, t })}\n`).join(''));
  }
  return { batchItemFailures: records.filter((r) => failed.has(r.id)).map((r) => ({ itemIdentifier: r.item })) };
};
