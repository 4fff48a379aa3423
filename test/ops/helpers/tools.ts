/** Where .ci/ops-tools.sh put promtool, kubeconform and the Kubernetes schemas (versions in .ci/ops-tools.env). */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './podman.ts';

const run = promisify(execFile);

const versions = Object.fromEntries(
  readFileSync(join(ROOT, '.ci', 'ops-tools.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
) as Record<string, string>;

const cache = process.env['TRIBUTARY_TOOLS_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'tributary-ci');

function installed(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run "bash .ci/ops-tools.sh" first (.ci/run does)`);
  return path;
}

export const promtoolPath = (): string => installed(join(cache, 'go-bin', `promtool@${versions['PROMTOOL_VERSION']}`, 'promtool'));
export const kubeconformPath = (): string => installed(join(cache, 'go-bin', `kubeconform@${versions['KUBECONFORM_VERSION']}`, 'kubeconform'));
export const kubernetesSchemaDir = (): string => installed(join(cache, 'kubernetes-json-schema', `${versions['KUBERNETES_SCHEMA_VERSION']}-local-strict-relative`));
export const kubernetesVersion = (): string => (versions['KUBERNETES_SCHEMA_VERSION'] ?? '').replace(/^v/, '');

export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a tool; resolves with its exit code and combined output instead of throwing. */
export async function tool(file: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<ToolResult> {
  const child = run(file, args, { cwd: options.cwd ?? ROOT, maxBuffer: 32 * 1024 * 1024 });
  if (options.input !== undefined) {
    child.child.stdin?.end(options.input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: (failed.stdout ?? '') + (failed.stderr ?? '') };
  }
}
