/** podman with this project's store and sandbox flags (.ci/image/podman.sh), for the image tests. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PODMAN = fileURLToPath(new URL('../../../.ci/image/podman.sh', import.meta.url));

/** The tag .ci/image/build.sh builds (env.sh's default unless TRIBUTARY_IMAGE is set). */
export const IMAGE = process.env['TRIBUTARY_IMAGE'] ?? 'localhost/tributary:ci';

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `podman …`; resolves with the exit code instead of throwing, so tests can assert on failures too. */
export async function podman(args: readonly string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(PODMAN, args, { maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Like `podman`, but a non-zero exit is an error with podman's stderr in it. */
export async function podmanOk(args: readonly string[]): Promise<string> {
  const result = await podman(args);
  if (result.code !== 0) throw new Error(`podman ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Runs a .ci/image script (bash), returning its stdout; throws with its output when it fails. */
export async function imageScript(name: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('bash', [fileURLToPath(new URL(`../../../.ci/image/${name}`, import.meta.url))], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 32 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`.ci/image/${name} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  return stdout;
}
