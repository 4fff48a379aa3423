/**
 * Runs one contender in its own child process (bench/lib/child.ts) and returns what it measured. A child that
 * does not answer within its budget is killed (by its pid: it is ours) and the round counts as failed.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReply, Measurement, Params } from './types.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface SpawnOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  readonly execArgv?: readonly string[];
  readonly timeoutMs: number;
}

export async function runContender(module: string, params: Params, options: SpawnOptions): Promise<Measurement> {
  const child = fork(CHILD, [], {
    // TimeoutNegativeWarning: kafkajs 2.2.4 on Node 24, harmless (tulios/kafkajs#1751).
    execArgv: ['--disable-warning=ExperimentalWarning', '--disable-warning=TimeoutNegativeWarning', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = new Promise<ChildReply>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ChildReply));
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`contender ${module} exited (${signal ?? `code ${code ?? '?'}`}) without a result`)));
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`contender ${module} gave no result within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
    });
    child.send({ module, params });
    const reply = await Promise.race([answer, timeout]);
    if (!reply.ok) throw new Error(`contender ${module} failed: ${reply.error}`);
    // Let it exit by itself (the profile is written at exit); it exits right after replying.
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    return reply.measurement;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
