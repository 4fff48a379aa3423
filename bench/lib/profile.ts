/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and ranks self time: by function, by file and by
 * owner (Tributary's own code, each npm package, Node internals, GC…). Pure: the file is read by the caller and
 * source-map look-ups come in as a function, so the analysis is unit-tested on a hand-built profile.
 *
 * Format: https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile — `samples[i]` is the
 * node on top of the stack at sample i, `timeDeltas[i]` the µs since the previous sample; as in DevTools, sample
 * i lasts until the next one.
 */

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Where a compiled line came from (`connectors/kafka/lane.ts`, line 1-based); null when there is no map. */
export type SourceLocator = (url: string, line0: number, column0: number) => { readonly file: string; readonly line: number } | null;

export interface Ranked {
  readonly name: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileAnalysis {
  /** Sampled time in the window, idle included. */
  readonly totalMs: number;
  /** Time the process was not idle: the base of every percentage (hot spots are shares of the work done). */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly functions: readonly (Ranked & { readonly location: string; readonly owner: string })[];
  readonly files: readonly Ranked[];
  readonly owners: readonly Ranked[];
}

const SPECIAL = new Set(['(garbage collector)', '(idle)', '(program)', '(root)']);

/** Who owns the code at `url`: `tributary`, an npm package name, `node internals`, `bench harness`… */
export function ownerOf(url: string, functionName: string): string {
  if (url === '' && SPECIAL.has(functionName)) return functionName;
  if (url.startsWith('node:') || !url.includes('/')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? 'node_modules');
  }
  if (/\/dist\/(src|connectors)\//.test(url)) return 'tributary';
  if (url.includes('/bench/')) return 'bench harness';
  return 'other';
}

/** `file:///…/node_modules/kafkajs/src/x.js` → `kafkajs/src/x.js`; `…/dist/src/a.js` → `dist/src/a.js`. */
export function shortFile(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const dist = path.search(/\/dist\/(src|connectors)\//);
  if (dist >= 0) return path.slice(dist + 1);
  const bench = path.lastIndexOf('/bench/');
  if (bench >= 0) return path.slice(bench + 1);
  return path;
}

/** A span of the profile's clock (µs, the monotonic clock of process.hrtime) to keep; samples outside are dropped. */
export interface ProfileWindow {
  readonly startUs: number;
  readonly endUs: number;
}

function sampleDurations(profile: CpuProfile, window: ProfileWindow | null): Map<number, number> {
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i += 1) {
      at += deltas[i] ?? 0;
      if (window !== null && (at < window.startUs || at > window.endUs)) continue;
      const id = samples[i] ?? -1;
      // Sample i lasts until sample i + 1; the last one until the profile ends.
      const next = i + 1 < deltas.length ? (deltas[i + 1] ?? 0) : 0;
      self.set(id, (self.get(id) ?? 0) + Math.max(0, next));
    }
    return self;
  }
  // No timeline: spread the profile's duration over the hit counts.
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const perHit = hits === 0 ? 0 : (profile.endTime - profile.startTime) / hits;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * perHit);
  return self;
}

function rank(totals: Map<string, number>, totalUs: number): Ranked[] {
  return [...totals.entries()]
    .map(([name, us]) => ({ name, selfMs: us / 1000, percent: totalUs === 0 ? 0 : (100 * us) / totalUs }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

export function analyseProfile(profile: CpuProfile, locate: SourceLocator = () => null, window: ProfileWindow | null = null): ProfileAnalysis {
  const durations = sampleDurations(profile, window);
  const allUs = [...durations.values()].reduce((a, b) => a + b, 0);
  const idleUs = profile.nodes.filter((n) => n.callFrame.url === '' && n.callFrame.functionName === '(idle)').reduce((sum, n) => sum + (durations.get(n.id) ?? 0), 0);
  const totalUs = allUs - idleUs;
  const functions = new Map<string, { us: number; location: string; owner: string }>();
  const files = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = durations.get(node.id) ?? 0;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (us === 0 || (url === '' && functionName === '(idle)')) continue;
    const owner = ownerOf(url, functionName);
    const mapped = url === '' ? null : locate(url, lineNumber, columnNumber);
    // Native frames have no url: they count under their own name (`writev`, `(garbage collector)`), or `(native)`.
    const file = url === '' ? functionName || '(native)' : (mapped?.file ?? shortFile(url));
    const location = url === '' ? '' : `${file}:${mapped?.line ?? lineNumber + 1}`;
    const name = functionName === '' ? '(anonymous)' : functionName;
    const key = `${name}\u0000${location}`;
    const entry = functions.get(key) ?? { us: 0, location, owner };
    entry.us += us;
    functions.set(key, entry);
    files.set(file, (files.get(file) ?? 0) + us);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
  }
  return {
    totalMs: allUs / 1000,
    busyMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    functions: [...functions.entries()]
      .map(([key, e]) => ({ name: key.split('\u0000')[0] ?? '', location: e.location, owner: e.owner, selfMs: e.us / 1000, percent: totalUs === 0 ? 0 : (100 * e.us) / totalUs }))
      .sort((a, b) => b.selfMs - a.selfMs),
    files: rank(files, totalUs),
    owners: rank(owners, totalUs),
  };
}

const pct = (p: number): string => `${p.toFixed(1)} %`;

/** Markdown: owners, the top `top` functions by self time, the top files. */
export function renderProfile(analysis: ProfileAnalysis, top: number, title: string): string {
  const lines = [
    `### CPU profile: ${title}`,
    '',
    `${(analysis.totalMs / 1000).toFixed(2)} s sampled, ${(analysis.busyMs / 1000).toFixed(2)} s busy (${(analysis.idleMs / 1000).toFixed(2)} s idle); percentages are of busy time.`,
    '',
  ];
  lines.push(`Self time by owner: ${analysis.owners.map((o) => `${o.name} ${pct(o.percent)}`).join(', ')}`, '');
  lines.push(`| # | Function | Where | Owner | Self ms | Self % |`, '|---|---|---|---|---|---|');
  analysis.functions.slice(0, top).forEach((f, i) => {
    lines.push(`| ${i + 1} | ${f.name} | ${f.location} | ${f.owner} | ${f.selfMs.toFixed(1)} | ${pct(f.percent)} |`);
  });
  lines.push('', `| File | Self ms | Self % |`, '|---|---|---|');
  for (const f of analysis.files.slice(0, top)) lines.push(`| ${f.name} | ${f.selfMs.toFixed(1)} | ${pct(f.percent)} |`);
  return `${lines.join('\n')}\n`;
}
