/**
 * `--profile <case>`: prepares the case's workload, runs ONE contender (default Tributary) in a child under
 * `node --cpu-prof`, reads the profile it wrote and prints the ranking (./profile.ts). Compiled Tributary frames
 * are mapped back to their TypeScript file and line through dist/'s source maps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseProfile, renderProfile, type CpuProfile, type ProfileWindow, type SourceLocator } from './profile.ts';
import { runContender } from './spawn-contender.ts';
import type { BenchOptions, Measurement, Workload } from './types.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Maps `file:///…/dist/**.js` frames to the `.ts` source through the `.js.map` next to them. */
export function distSourceLocator(): SourceLocator {
  const maps = new Map<string, SourceMap | null>();
  return (url, line0, column0) => {
    if (!url.startsWith('file://') || !url.includes('/dist/')) return null;
    const path = fileURLToPath(url);
    if (!maps.has(path)) {
      try {
        maps.set(path, new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]));
      } catch {
        maps.set(path, null);
      }
    }
    const map = maps.get(path);
    const entry = map?.findEntry(line0, column0);
    if (entry === undefined || !('originalSource' in entry)) return null;
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : join(path, '..', entry.originalSource);
    return { file: relative(REPO, source), line: entry.originalLine + 1 };
  };
}

export async function profileCase(workloads: readonly Workload[], caseId: string, contenderId: string, top: number, options: BenchOptions, resultsDir: string): Promise<void> {
  for (const workload of workloads) {
    if (workload.pending !== undefined) continue;
    const cases = await workload.prepare({ ...options, rounds: 1 });
    const spec = cases.find((c) => c.id === caseId) ?? (workload.id === caseId ? cases[0] : undefined);
    if (spec === undefined) continue;
    const contender = spec.contenders.find((c) => c.id === contenderId);
    if (contender === undefined) throw new Error(`case ${spec.id} has no contender ${contenderId} (it has ${spec.contenders.map((c) => c.id).join(', ')})`);
    const dir = join(resultsDir, 'profiles');
    const name = `${spec.id.replace(/[^a-z0-9-]/g, '-')}-${contender.id}-${Date.now()}.cpuprofile`;
    const params = { ...contender.params, ...(await spec.roundParams?.(contender, 1)) };
    let measurement: Measurement;
    try {
      measurement = await runContender(contender.module, params, {
        timeoutMs: (typeof params['timeoutMs'] === 'number' ? params['timeoutMs'] : 120_000) + 90_000,
        execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`],
      });
      options.log(`${spec.id} ${contender.id} under --cpu-prof: ${JSON.stringify(measurement.metrics)}`);
    } finally {
      await spec.afterRun?.(contender, params);
      await workload.cleanup?.();
    }
    const file = readdirSync(dir).find((f) => f === name);
    if (file === undefined) throw new Error(`the child wrote no profile ${name} in ${dir}`);
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const window: ProfileWindow | null = measurement.window ?? null;
    const scope = window === null ? 'whole process' : 'measured window only (start-up left out)';
    process.stdout.write(renderProfile(analyseProfile(profile, distSourceLocator(), window), top, `${spec.title} — ${contender.label}, ${scope}`));
    process.stdout.write(`\nProfile: ${join(dir, file)} (open it in Chrome DevTools › Performance for the call tree)\n`);
    return;
  }
  throw new Error(`no case ${caseId} (see npm run bench -- --list)`);
}
