/**
 * Runs the cases: for each round, every contender once, in rotated order (A B C, B C A, C A B…), each in a fresh
 * child process; then the median of each metric over the rounds. A failed round is recorded and shown, not
 * retried until it wins.
 */
import { runContender } from './spawn-contender.ts';
import { medianMetrics, rotate } from './stats.ts';
import type { BenchOptions, CaseSpec, ContenderSpec, Measurement, Params, RatioSpec } from './types.ts';

export interface ContenderResult {
  readonly spec: ContenderSpec;
  readonly rounds: Measurement[];
  readonly median: Record<string, number>;
  /** Distinct correctness problems reported by the rounds. */
  readonly checks: string[];
  readonly errors: string[];
}

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly show: readonly string[];
  readonly ratio: RatioSpec | null;
  readonly contenders: readonly ContenderResult[];
  /** A documented slot without a number (see Workload.pending). */
  readonly pending: string | null;
  /** Rounds run (fewer than asked when the case caps them). */
  readonly rounds: number;
}

/** Time a child gets beyond its own `timeoutMs` parameter (start-up, clean-up, the commit check). */
const CHILD_SLACK_MS = 90_000;

export async function runCase(spec: CaseSpec, options: BenchOptions): Promise<CaseResult> {
  const results = new Map<string, { rounds: Measurement[]; checks: Set<string>; errors: string[] }>();
  for (const c of spec.contenders) results.set(c.id, { rounds: [], checks: new Set(), errors: [] });
  const rounds = Math.min(options.rounds, spec.maxRounds ?? options.rounds);
  for (let round = 1; round <= rounds; round += 1) {
    for (const contender of rotate(spec.contenders, round)) {
      const slot = results.get(contender.id);
      if (slot === undefined) continue;
      let params: Params = contender.params;
      try {
        params = { ...contender.params, ...(await spec.roundParams?.(contender, round)) };
        const timeoutMs = (typeof params['timeoutMs'] === 'number' ? params['timeoutMs'] : 120_000) + CHILD_SLACK_MS;
        const measurement = await runContender(contender.module, params, { timeoutMs });
        slot.rounds.push(measurement);
        if (measurement.check !== null) slot.checks.add(measurement.check);
        options.log(`${spec.id} round ${round}/${rounds} ${contender.id}: ${summary(measurement, spec.show)}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        slot.errors.push(message);
        options.log(`${spec.id} round ${round}/${rounds} ${contender.id}: FAILED ${message.split('\n')[0] ?? ''}`);
      } finally {
        await spec.afterRun?.(contender, params).catch((error: unknown) => options.log(`${spec.id}: clean-up failed: ${String(error)}`));
      }
    }
  }
  return {
    id: spec.id,
    title: spec.title,
    show: spec.show,
    ratio: spec.ratio,
    pending: null,
    rounds,
    contenders: spec.contenders.map((c) => {
      const slot = results.get(c.id) ?? { rounds: [], checks: new Set<string>(), errors: [] };
      return { spec: c, rounds: slot.rounds, median: medianMetrics(slot.rounds.map((r) => r.metrics)), checks: [...slot.checks], errors: slot.errors };
    }),
  };
}

function summary(measurement: Measurement, show: readonly string[]): string {
  const parts = show.map((name) => `${name}=${Number(measurement.metrics[name] ?? Number.NaN).toPrecision(4)}`);
  return measurement.check === null ? parts.join(' ') : `${parts.join(' ')} CHECK: ${measurement.check}`;
}
