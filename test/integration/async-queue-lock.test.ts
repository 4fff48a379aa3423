/**
 * The embedded asynchronous queue serves one process: while one process holds the database (built dist/, as
 * `tributary run` loads it), a second process opening it is refused with a message that says so; once the first
 * process is killed with SIGKILL the lock is gone and the second opens it with every message still there.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from './helpers/cli.ts';

const DATABASE = fileURLToPath(new URL('../../dist/connectors/async-queue/database.js', import.meta.url));
const run = promisify(execFile);

/** A script (`node -e`: its first argument is argv[1]) that opens the queue at argv[1]; `hold` sends one message, says "held" and waits to be killed. */
const script = (mode: 'hold' | 'open'): string => `
const { QueueDatabase } = await import(${JSON.stringify(DATABASE)});
try {
  const db = await QueueDatabase.open(process.argv[1], Date.now);
  if (${JSON.stringify(mode)} === 'hold') {
    await db.send('q', [{ body: 'kept', delayMs: 0 }]);
    console.log('held');
    setInterval(() => undefined, 1000);
  } else {
    console.log('opened ' + db.depth('q').messages);
    await db.close();
  }
} catch (error) {
  console.log('refused ' + error.code + ': ' + error.message);
}
`;

describe('the embedded queue and a second process', () => {
  it('is refused while the first holds it, and opens with every message once the first was killed', async () => {
    assertBuilt();
    const path = join(mkdtempSync(join(tmpdir(), 'tributary-async-lock-')), 'queue.sqlite');
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script('hold'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('held')) resolve();
        });
        holder.once('exit', () => reject(new Error('the holder exited early')));
      });
      const second = await run(process.execPath, ['--input-type=module', '-e', script('open'), path]);
      expect(second.stdout).toMatch(/^refused SOURCE_UNAVAILABLE: the asynchronous-invocation queue .* is open in another process/);
    } finally {
      if (holder.exitCode === null && holder.signalCode === null) {
        const exited = new Promise((resolve) => holder.once('exit', resolve));
        holder.kill('SIGKILL');
        await exited;
      }
    }
    const third = await run(process.execPath, ['--input-type=module', '-e', script('open'), path]);
    expect(third.stdout.trim()).toBe('opened 1');
  }, 60_000);
});
