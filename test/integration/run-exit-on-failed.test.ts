/**
 * Issue 18 item 6: `tributary run --exit-on-failed` (or TRIBUTARY_EXIT_ON_FAILED=1) exits 1 once a pipeline is
 * Failed, for supervisors that restart on exit; without it the process stays up (readiness 503, /status says why)
 * until a signal. The pipeline fails for real: its handler module throws in its init phase (Lambda's
 * Runtime.ImportModuleError-style init error), on a real ElasticMQ queue. In-process `run` command, fake signals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type SignalSource } from '../../src/cli/commands/run.js';
import { createQueue, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

let client: SQSClient;
let dir: string;
beforeAll(() => {
  client = sqsClient();
  dir = mkdtempSync(join(tmpdir(), 'tributary-exit-on-failed-'));
  writeFileSync(join(dir, 'broken.mjs'), "export const handler = async () => ({});\nthrow new Error('cannot reach the database');\n");
});
afterAll(() => {
  client.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Signals the test sends by hand. */
function signals(): SignalSource & { send(signal: 'SIGTERM' | 'SIGINT'): void } {
  const listeners: { signal: string; listener: () => void }[] = [];
  return {
    once: (signal, listener) => void listeners.push({ signal, listener }),
    send: (signal) => {
      const index = listeners.findIndex((l) => l.signal === signal);
      if (index >= 0) listeners.splice(index, 1)[0]?.listener();
    },
  };
}

async function configFile(port: number): Promise<string> {
  const { url } = await createQueue(client, uniqueName('exit-on-failed'));
  const file = join(dir, `pipelines-${port}.yaml`);
  writeFileSync(
    file,
    `server: { host: 127.0.0.1, port: ${port} }
logLevel: silent
shutdownTimeoutSeconds: 5
pipelines:
  - name: orders
    source: { type: sqs, queueUrl: "${url}", endpoint: "${sqsEndpoint()}", region: us-east-1 }
    function: { type: module, handler: ./broken.handler }
`,
  );
  return file;
}

const io = { stdout: () => undefined, stderr: () => undefined, env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } };
const stateOf = async (port: number): Promise<string | undefined> =>
  ((await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { pipelines: { state: string }[] }).pipelines[0]?.state;

describe('tributary run and a Failed pipeline', () => {
  it('--exit-on-failed: exits 1 once the pipeline is Failed', async () => {
    const file = await configFile(23311);
    const code = await runCommand(signals(), () => undefined)(['-c', file, '--exit-on-failed'], { ...io, cwd: dir });
    expect(code).toBe(1);
  }, 60_000);

  it('TRIBUTARY_EXIT_ON_FAILED=1 does the same', async () => {
    const file = await configFile(23312);
    const code = await runCommand(signals(), () => undefined)(['-c', file], { ...io, cwd: dir, env: { ...io.env, TRIBUTARY_EXIT_ON_FAILED: '1' } });
    expect(code).toBe(1);
  }, 60_000);

  it('without it: stays up with the pipeline Failed and /readyz 503, until a signal (exit 0)', async () => {
    const file = await configFile(23313);
    const sent = signals();
    let exited: number | null = null;
    const run = runCommand(sent, () => undefined)(['-c', file], { ...io, cwd: dir }).then((code) => (exited = code));
    await waitFor(async () => (await stateOf(23313).catch(() => undefined)) === 'Failed', 30_000, 'the pipeline Failed');
    expect((await fetch('http://127.0.0.1:23313/readyz')).status).toBe(503);
    expect(exited).toBeNull();
    sent.send('SIGTERM');
    expect(await run).toBe(0);
  }, 60_000);
});
