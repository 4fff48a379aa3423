/**
 * One source's campaign: set up the source, start the real CLI, produce the records chunk by chunk while the
 * planned faults hit (and the handler injects its own), wait until every record is accounted for, stop
 * gracefully, and check the ledger.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { duplicateBound, type Bound } from './bound.ts';
import { emptyCounts, type Campaign, type ProcessFaultCounts, type SigtermResult } from './campaign-state.ts';
import { checkLedger, type CheckResult } from './checks.ts';
import { FUNCTION_TIMEOUT_S, type SourceDriver } from './driver.ts';
import { planFaults, poisonSteps, spacingWaitMs } from './fault-plan.ts';
import { holdHandler, runFault } from './faults.ts';
import { Fleet, type UnexpectedExit } from './fleet.ts';
import { faultTail, ledgerTail, type HandlerFaultKind, type LedgerEntry } from './ledger.ts';
import { droppedRecords, leaseMoves } from './log-events.ts';
import type { Profile } from './profiles.ts';
import { handledIds, waitUntil, type Stall } from './progress.ts';
import { planRecords, type ChaosRecord, type RecordPlan } from './records.ts';
import type { ChaosServices } from './services.ts';

const HANDLER = fileURLToPath(new URL('./handler/chaos-handler.mjs', import.meta.url));

export interface CampaignOptions {
  readonly cli: string;
  readonly dir: string;
  readonly seed: number;
  readonly runId: string;
  readonly random: () => number;
  readonly log: (line: string) => void;
}

export interface SourceReport {
  readonly source: string;
  readonly seed: number;
  readonly produced: number;
  readonly records: readonly ChaosRecord[];
  readonly process: ProcessFaultCounts;
  readonly handler: Readonly<Record<Exclude<HandlerFaultKind, 'held' | 'behind'>, number>>;
  readonly check: CheckResult;
  readonly bound: Bound;
  readonly dropped: number;
  readonly unsettled: number;
  readonly unexpectedExits: readonly UnexpectedExit[];
  readonly sigterms: readonly SigtermResult[];
  readonly takeovers: readonly (number | null)[];
  readonly stalls: readonly Stall[];
  readonly notes: readonly string[];
  readonly ledger: readonly LedgerEntry[];
  readonly ledgerFile: string;
  readonly durationMs: number;
}

interface HandlerPlan {
  readonly dir: string;
  readonly seed: number;
  readonly hold: string;
  readonly plan: RecordPlan;
}

function handlerEnv(driver: SourceDriver, profile: Profile, c: HandlerPlan): Record<string, string> {
  // A queue has no retry count to inherit: there, a poison record's neighbours are plain transient records.
  const queue = driver.name === 'sqs' || driver.name === 'sqs-fifo';
  return {
    CHAOS_SOURCE: driver.name === 'sqs-fifo' ? 'sqs' : driver.name,
    CHAOS_SEED: String(c.seed),
    CHAOS_LEDGER: join(c.dir, 'ledger.jsonl'),
    CHAOS_FAULTS: join(c.dir, 'faults.jsonl'),
    CHAOS_COUNTS: join(c.dir, 'counts'),
    CHAOS_POISON: c.plan.poison.join(','),
    CHAOS_TRANSIENT: [...c.plan.transient, ...(queue ? c.plan.neighbours : [])].join(','),
    CHAOS_NEIGHBOURS: queue ? '' : c.plan.neighbours.join(','),
    CHAOS_TRANSIENT_FAILS: '2',
    CHAOS_P_THROW: String(profile.handler.throw),
    CHAOS_P_TIMEOUT: String(profile.handler.timeout),
    CHAOS_P_EXIT: String(profile.handler.exit),
    CHAOS_P_OOM: String(profile.handler.oom),
    CHAOS_FAULT_CAP: '1',
    CHAOS_TIMEOUT_SLEEP_MS: String(FUNCTION_TIMEOUT_S * 1000 + 1500),
    CHAOS_WORK_MS: '40',
    CHAOS_WORK_PER_RECORD_MS: '2',
    CHAOS_HOLD: c.hold,
    CHAOS_HOLD_MAX_MS: '20000',
    ...driver.handlerEnv,
  };
}

export async function runCampaign(driver: SourceDriver, profile: Profile, services: ChaosServices, options: CampaignOptions): Promise<SourceReport> {
  const startedAt = Date.now();
  const { dir, random } = options;
  mkdirSync(join(dir, 'handlers'), { recursive: true });
  copyFileSync(HANDLER, join(dir, 'handlers', 'chaos.mjs'));
  const kills = driver.name === 'kafka' ? profile.kafkaKills : profile.kills;
  const steps = planFaults({
    kills,
    sigterms: profile.sigterms,
    brokerRestarts: driver.restartsBroker ? profile.brokerRestarts : 0,
    killsInRetry: driver.name.startsWith('sqs') ? 0 : profile.killsInRetry,
    takeovers: driver.leases ? profile.takeovers : 0,
    leaseDownAtStart: driver.leases ? profile.leaseDownAtStart : 0,
    latestGap: driver.latest,
    maxDelayMs: profile.maxDelayMs,
    random,
  });
  const plan = planRecords({
    count: profile.records,
    keys: profile.keys,
    chunks: steps.length + 1,
    poisonChunks: poisonSteps(steps, random),
    neighbours: 1,
    transientFraction: profile.transientFraction,
    random,
  });
  const ctx = { runId: options.runId, dir };
  await driver.setup(ctx);
  const configFile = join(dir, 'pipelines.yaml');
  const hold = join(dir, 'hold');
  const env = handlerEnv(driver, profile, { dir, seed: options.seed, hold, plan });
  // The handler's settings travel in the function's own environment (sandboxes do not inherit the service's, as
  // on Lambda); only the instance label comes from each process, by interpolation.
  const environment = Object.entries({ ...env, CHAOS_INSTANCE: '${CHAOS_INSTANCE}' }).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  const fn = `{ type: module, handler: ./handlers/chaos.handler, timeout: ${FUNCTION_TIMEOUT_S}, memorySize: 128, environment: { ${environment.join(', ')} } }`;
  writeFileSync(configFile, driver.config(ctx, fn));
  const fleet = new Fleet({
    cli: options.cli,
    config: configFile,
    dir,
    env: (label) => ({ ...driver.processEnv, CHAOS_INSTANCE: label, LOG_LEVEL: 'info' }),
    restartDelayMs: 1_000,
  });
  const c: Campaign = {
    driver,
    profile,
    services,
    fleet,
    ledger: ledgerTail(env['CHAOS_LEDGER'] ?? ''),
    faults: faultTail(env['CHAOS_FAULTS'] ?? ''),
    plan,
    random,
    holdFile: hold,
    counters: emptyCounts(),
    sigterms: [],
    takeovers: [],
    stalls: [],
    notes: [],
    produced: [],
    currentStep: 'start',
    say: (text) => options.log(`[${driver.name}] ${text}`),
  };
  const produce = async (index: number): Promise<void> => {
    const chunk = plan.chunks[index] ?? [];
    if (chunk.length === 0) return;
    await driver.produce(chunk);
    c.produced.push(...chunk);
  };
  try {
    if (driver.latest) holdHandler(c);
    fleet.start('A');
    if (driver.latest) {
      // LATEST means "what arrives after the iterator was opened": produce only once every shard is leased.
      const leased = await waitUntil(c, 'the first instance to lease its shards', () => fleet.logs('A').some((l) => l.msg === 'took lease'));
      if (!leased) c.notes.push('no lease was taken by the first instance');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    let previousFaultAt: number | null = null;
    for (const [i, step] of steps.entries()) {
      c.currentStep = `${i + 1}/${steps.length} ${step.kind}`;
      const chunkIds = new Set((plan.chunks[i] ?? []).map((r) => r.id));
      await produce(i);
      // These two wait for their own moment (the first batch in the handler, a poison record being retried).
      if (step.kind !== 'latest-gap' && step.kind !== 'kill-in-retry') {
        // The fault hits at a random moment once this step's records are moving (or when nothing moves at all).
        await waitUntil(c, `records of step ${i + 1} to be handled`, () => [...handledIds(c)].some((id) => chunkIds.has(id)) || chunkIds.size === 0, { remediate: false });
        await new Promise((resolve) => setTimeout(resolve, step.delayMs));
      }
      await new Promise((resolve) => setTimeout(resolve, spacingWaitMs(previousFaultAt, driver.faultSpacingMs, Date.now())));
      c.say(`step ${c.currentStep}`);
      await runFault(c, step.kind, plan.poison.find((p) => chunkIds.has(p)));
      previousFaultAt = Date.now();
    }
    for (let i = steps.length; i < plan.chunks.length; i += 1) await produce(i);
    c.currentStep = 'finish';
    const finishBy = Date.now() + profile.finishMs;
    let idleSince = Date.now();
    let lastSize = -1;
    let checkedAt = 0;
    const complete = async (): Promise<boolean> => {
      const now = Date.now();
      if (now > finishBy) return true;
      const size = c.ledger.read().length + c.faults.read().length;
      if (size !== lastSize) [lastSize, idleSince] = [size, now];
      if (now - checkedAt < 1_000) return false;
      checkedAt = now;
      const handled = handledIds(c);
      const discarded = new Set(await driver.discarded());
      const poisonDone = driver.discardTo === 'dropped' ? droppedRecords(fleet.allLogs()) >= plan.poison.length : plan.poison.every((p) => discarded.has(p));
      if (poisonDone && c.produced.every((r) => handled.has(r.id) || discarded.has(r.id) || plan.poison.includes(r.id))) return true;
      // Records missing while the source has nothing left to deliver and nothing moves: they are lost, not late.
      return now - idleSince >= driver.quietMs && (await driver.unsettled().catch(() => -1)) === 0;
    };
    await waitUntil(c, 'every record to be accounted for', complete);
    if (Date.now() > finishBy) c.notes.push(`not every record was accounted for within ${profile.finishMs / 1000} s of the last fault`);
    // Redeliveries of work stranded by the last faults land within a visibility timeout / a lease duration.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    for (const label of fleet.labels()) {
      const result = await fleet.terminate(label, 15_000);
      if (result !== null) c.sigterms.push({ code: result.exit.code, tookMs: result.tookMs, timedOut: result.timedOut });
    }
  } finally {
    await fleet.close();
  }
  const logs = fleet.allLogs();
  const ledger = c.ledger.read();
  const discarded = await driver.discarded();
  const faults = c.faults.read();
  const collateral = new Set(faults.filter((f) => f.k === 'behind').flatMap((f) => f.ids));
  const check = checkLedger({ produced: c.produced, ledger, discarded, poison: plan.poison, collateral, discardTo: driver.discardTo, ordered: driver.ordered });
  const bound = duplicateBound({
    inFlight: driver.inFlight,
    batchSize: driver.batchSize,
    kills: c.counters.kills,
    unexpectedExits: fleet.unexpectedExits.length,
    stallKills: c.counters.stallKills,
    brokerRestarts: c.counters.brokerRestarts,
    leaseMoves: leaseMoves(logs),
  });
  const countOf = (k: HandlerFaultKind): number => faults.filter((f) => f.k === k).length;
  // A handle left open after "stopped" (the run command's exit watchdog ended the process): name it, to find the leak.
  for (const line of logs.filter((l) => l.msg.startsWith('still running'))) c.notes.push(`exit watchdog fired; still open: ${JSON.stringify(line['open'])}`);
  if (c.ledger.torn().length > 0) c.notes.push(`${c.ledger.torn().length} torn ledger lines: ${c.ledger.torn().slice(0, 3).join(' | ')}`);
  const report: SourceReport = {
    source: driver.name,
    seed: options.seed,
    produced: c.produced.length,
    records: c.produced,
    process: c.counters,
    handler: { throw: countOf('throw'), timeout: countOf('timeout'), exit: countOf('exit'), oom: countOf('oom'), poison: countOf('poison'), transient: countOf('transient') },
    check,
    bound,
    dropped: droppedRecords(logs),
    unsettled: await driver.unsettled().catch(() => -1),
    unexpectedExits: fleet.unexpectedExits,
    sigterms: c.sigterms,
    takeovers: c.takeovers,
    stalls: c.stalls,
    notes: c.notes,
    ledger,
    ledgerFile: env['CHAOS_LEDGER'] ?? '',
    durationMs: Date.now() - startedAt,
  };
  await driver.teardown().catch(() => undefined);
  return report;
}
