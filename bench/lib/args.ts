/**
 * `npm run bench -- [options]`, parsed without I/O:
 *
 *   --quick              tiny sizes, 1 round (smoke: proves the harness, measures nothing worth quoting)
 *   --rounds N           rounds per case (default 3; 1 with --quick); env BENCH_ROUNDS
 *   --only a,b           workloads or case ids to run (prefix match: `kafka` runs every Kafka workload)
 *   --list               print the workloads and cases and exit
 *   --profile ID         run one case's contender under `node --cpu-prof` and print its top self-time functions
 *   --contender ID       with --profile: which contender (default: tributary)
 *   --top N              with --profile: how many functions (default 15)
 *   --json PATH          also write every round's raw numbers as JSON (default bench/.results/latest.json)
 */

export interface BenchArgs {
  readonly quick: boolean;
  readonly rounds: number;
  readonly only: readonly string[];
  readonly list: boolean;
  readonly profile: string | null;
  readonly contender: string;
  readonly top: number;
  readonly json: string | null;
}

export class ArgsError extends Error {}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) throw new ArgsError(`${flag} needs a positive integer (got ${value ?? 'nothing'})`);
  return n;
}

function value(flag: string, v: string | undefined): string {
  if (v === undefined || v.startsWith('--')) throw new ArgsError(`${flag} needs a value`);
  return v;
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): BenchArgs {
  let quick = false;
  let rounds: number | null = env['BENCH_ROUNDS'] === undefined ? null : positiveInt('BENCH_ROUNDS', env['BENCH_ROUNDS']);
  let only: string[] = [];
  let list = false;
  let profile: string | null = null;
  let contender = 'tributary';
  let top = 15;
  let json: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const next = argv[i + 1];
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--list':
        list = true;
        break;
      case '--rounds':
        rounds = positiveInt(flag, next);
        i += 1;
        break;
      case '--only':
        only = value(flag, next).split(',').map((s) => s.trim()).filter((s) => s !== '');
        i += 1;
        break;
      case '--profile':
        profile = value(flag, next);
        i += 1;
        break;
      case '--contender':
        contender = value(flag, next);
        i += 1;
        break;
      case '--top':
        top = positiveInt(flag, next);
        i += 1;
        break;
      case '--json':
        json = value(flag, next);
        i += 1;
        break;
      default:
        throw new ArgsError(`unknown option ${flag ?? ''} (see bench/README.md)`);
    }
  }
  return { quick, rounds: rounds ?? (quick ? 1 : 3), only, list, profile, contender, top, json };
}

/** Whether `id` (a workload or case id) is selected by `--only` (empty: everything). */
export function selected(only: readonly string[], id: string): boolean {
  return only.length === 0 || only.some((o) => id === o || id.startsWith(o));
}
