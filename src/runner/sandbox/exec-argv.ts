/**
 * The Node.js options a sandbox starts with. A worker inherits the service's `process.execArgv` by default, which
 * keeps useful flags (`--enable-source-maps`, `--import ./instrumentation.mjs`, `--conditions`) but also the
 * ones that describe how the service's own entry point was given (`-e`, `--input-type`, `--test`, `--watch`…):
 * those make a worker fail to start, so they are dropped.
 */

/** Options that take the next argument as their value when not written `--flag=value`. */
const WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '--input-type']);
/** Options (and `--prefix-…` families) that only make sense for the main entry point. */
const ENTRY_ONLY = [/^-[ep]$/, /^--(eval|print|input-type|check|interactive)(=|$)/, /^-[ci]$/, /^--test(-|=|$)/, /^--watch(-|=|$)/];

export function sandboxExecArgv(parent: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < parent.length; index += 1) {
    const arg = parent[index] ?? '';
    if (!ENTRY_ONLY.some((pattern) => pattern.test(arg))) {
      kept.push(arg);
      continue;
    }
    if (WITH_VALUE.has(arg)) index += 1; // skip its value too
  }
  return kept;
}
