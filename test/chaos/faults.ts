/**
 * Carrying out one planned process-level fault (fault-plan.ts) against the running campaign.
 */
import { rmSync, writeFileSync } from 'node:fs';
import type { Campaign } from './campaign-state.ts';
import type { FaultKind } from './fault-plan.ts';
import { heldShards } from './log-events.ts';
import { waitUntil } from './progress.ts';
import { restartService } from './services.ts';

const RESTART_AFTER_KILL_MS = 500;
/** SIGTERM must end the process within shutdownTimeoutSeconds (10) plus this. */
const SIGTERM_GRACE_MS = 15_000;
const TAKEOVER_LIMIT_MS = 90_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items[Math.floor(random() * items.length)];
}

async function killAndRestart(c: Campaign, label: string): Promise<void> {
  await c.fleet.kill9(label);
  await sleep(RESTART_AFTER_KILL_MS);
  c.fleet.start(label);
}

async function kill(c: Campaign): Promise<void> {
  const label = pick(c.fleet.labels(), c.random) ?? 'A';
  c.counters.kills += 1;
  await killAndRestart(c, label);
}

/** Waits until a poison record failed alone `maxRetries` times (its retry count is stored), then kills its owner. */
async function killInRetry(c: Campaign, poison: string | undefined): Promise<void> {
  const singleFailures = (): number => c.faults.read().filter((f) => f.k === 'poison' && f.n === 1 && f.ids[0] === poison).length;
  const seen = await waitUntil(c, `poison ${poison ?? '?'} to be retried ${c.driver.maxRetries} times`, () => singleFailures() >= c.driver.maxRetries);
  if (!seen) return;
  // The retry count is written right after that invocation returns; the next retry is seconds away (back-off).
  await sleep(300);
  const owner = c.faults.read().findLast((f) => f.k === 'poison' && f.ids[0] === poison)?.i;
  const label = owner !== undefined && c.fleet.running(owner) !== null ? owner : (pick(c.fleet.labels(), c.random) ?? 'A');
  c.counters.kills += 1;
  c.counters.killsInRetry += 1;
  await killAndRestart(c, label);
}

/** LATEST: the first batch is held in the handler; kill -9 before anything was checkpointed. */
async function latestGap(c: Campaign): Promise<void> {
  const held = await waitUntil(c, 'the first batch to reach the handler', () => c.faults.read().some((f) => f.k === 'held'));
  const label = c.faults.read().find((f) => f.k === 'held')?.i ?? 'A';
  c.counters.kills += 1;
  c.counters.latestGaps += 1;
  await c.fleet.kill9(label);
  rmSync(c.holdFile, { force: true });
  if (!held) c.notes.push('latest-gap: the first batch never reached the handler');
  await sleep(RESTART_AFTER_KILL_MS);
  c.fleet.start(label);
}

async function sigterm(c: Campaign): Promise<void> {
  const label = pick(c.fleet.labels(), c.random) ?? 'A';
  c.counters.sigterms += 1;
  // Mid-run: an instance restarted a moment ago may still be loading its modules, when Node's default SIGTERM
  // action (before any handler exists) ends it; wait for its first log line.
  await waitUntil(c, `instance ${label} to start`, () => c.fleet.logs(label).length > 0 || c.fleet.running(label) === null, { remediate: false });
  const result = await c.fleet.terminate(label, SIGTERM_GRACE_MS);
  if (result !== null) c.sigterms.push({ code: result.exit.code, tookMs: result.tookMs, timedOut: result.timedOut });
  c.fleet.start(label);
}

async function brokerRestart(c: Campaign): Promise<void> {
  c.counters.brokerRestarts += 1;
  // The first one is long and a crash (SIGKILL: the broker recovers its logs and its group coordinator loads
  // again on start), the others short and clean.
  const long = c.counters.brokerRestarts === 1 ? c.driver.longOutageMs : null;
  const downMs = long ?? 1_000 + Math.round(c.random() * 2_000);
  c.say(`${c.services[c.driver.broker].name} ${long === null ? 'stopped' : 'killed'}, down for ${(downMs / 1000).toFixed(1)} s`);
  await restartService(c.services[c.driver.broker], downMs, long !== null);
}

/** The lease table is down while an instance (re)starts; it comes back a few seconds later. */
async function leaseDownAtStart(c: Campaign): Promise<void> {
  const label = pick(c.fleet.labels(), c.random) ?? 'A';
  c.counters.leaseDownAtStart += 1;
  c.counters.kills += 1;
  c.counters.brokerRestarts += 1;
  await c.services.dynamodb.stop();
  await c.fleet.kill9(label);
  c.fleet.start(label);
  await sleep(3_000);
  await c.services.dynamodb.start();
}

/** A second instance joins; then the first is killed and the survivor must hold every shard. */
async function takeover(c: Campaign): Promise<void> {
  c.counters.takeovers += 1;
  const labels = ['A', 'B'];
  for (const label of labels) if (c.fleet.running(label) === null) c.fleet.start(label);
  const held = (label: string): Set<string> => heldShards(c.fleet.logs(label));
  const shards = (): Set<string> => new Set(labels.flatMap((l) => [...held(l)]));
  const known = (): Set<string> => new Set(c.fleet.allLogs().flatMap((l) => (l.msg === 'took lease' ? [String(l['shard'])] : [])));
  // Balanced: every shard held, by both when there are several (a steal per lease cycle gets there).
  const balanced = (): boolean =>
    labels.every((l) => c.fleet.running(l) !== null) && shards().size > 0 && shards().size === known().size && (known().size === 1 || labels.every((l) => held(l).size > 0));
  const joined = await waitUntil(c, 'both instances to share the shards', balanced, { remediate: false });
  if (!joined) c.notes.push(`takeover: the two instances did not share every shard (${labels.map((l) => `${l}: ${held(l).size}`).join(', ')} of ${known().size})`);
  await sleep(3_000);
  // The victim holds shards the survivor does not (a log can still show a lease stolen a moment ago).
  const exclusive = (victim: string, other: string): Set<string> => new Set([...held(victim)].filter((s) => !held(other).has(s)));
  const victim = pick(labels.filter((l) => exclusive(l, l === 'A' ? 'B' : 'A').size > 0), c.random) ?? 'A';
  const survivor = victim === 'A' ? 'B' : 'A';
  const moving = exclusive(victim, survivor);
  c.counters.kills += 1;
  await c.fleet.kill9(victim);
  const killedAt = Date.now();
  let tookMs: number | null = null;
  while (moving.size > 0 && Date.now() - killedAt < TAKEOVER_LIMIT_MS) {
    if ([...moving].every((s) => held(survivor).has(s))) {
      const takes = c.fleet.logs(survivor).filter((l) => l.msg === 'took lease' && moving.has(String(l['shard'])) && l.time >= killedAt);
      tookMs = Math.max(0, ...takes.map((l) => l.time - killedAt));
      break;
    }
    await sleep(200);
  }
  if (moving.size === 0) c.notes.push('takeover: the killed instance held no shard of its own, nothing to time');
  else c.takeovers.push(tookMs);
  c.say(`takeover: ${victim} killed, ${survivor} took its ${moving.size} shards ${tookMs === null ? `NOT within ${TAKEOVER_LIMIT_MS / 1000} s` : `after ${(tookMs / 1000).toFixed(1)} s`}`);
  c.fleet.start(victim);
}

export async function runFault(c: Campaign, kind: FaultKind, poison: string | undefined): Promise<void> {
  switch (kind) {
    case 'kill':
      return kill(c);
    case 'kill-in-retry':
      return killInRetry(c, poison);
    case 'latest-gap':
      return latestGap(c);
    case 'sigterm':
      return sigterm(c);
    case 'broker-restart':
      return brokerRestart(c);
    case 'lease-down-at-start':
      return leaseDownAtStart(c);
    case 'takeover':
      return takeover(c);
  }
}

/** Makes the handler hold every invocation until {@link latestGap} removes the file. */
export function holdHandler(c: Campaign): void {
  writeFileSync(c.holdFile, 'hold\n');
}
