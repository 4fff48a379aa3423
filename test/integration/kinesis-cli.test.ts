/**
 * `tributary run` subprocesses on a Kinesis stream: SIGKILL mid-batch loses nothing; two instances share shards
 * through a DynamoDB lease table and one takes over when the other is killed. Checked against a ledger of every
 * record produced.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEndpoints } from '../services/endpoints.ts';
import { startCli, type RunningCli } from './helpers/cli.ts';
import { createStream, deleteStream, kinesisClient, putAll } from './helpers/kinesis.ts';
import { uniqueName } from './helpers/sqs.ts';
import { delay, waitFor } from './helpers/wait.ts';

let client: KinesisClient;
let dir: string;
const streams: string[] = [];
const processes: RunningCli[] = [];

beforeAll(() => {
  client = kinesisClient();
  dir = mkdtempSync(join(tmpdir(), 'tributary-kcli-'));
  mkdirSync(join(dir, 'handlers'));
  // An ordinary Lambda handler module: appends the data of every record it handled to the ledger.
  writeFileSync(
    join(dir, 'handlers', 'ledger.mjs'),
    `import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  await new Promise((r) => setTimeout(r, Number(process.env.HANDLER_DELAY_MS ?? '20')));
  appendFileSync(process.env.LEDGER_FILE, event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString() + '\\n').join(''));
  return {};
};
`,
  );
});
afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(streams.map((s) => deleteStream(client, s)));
  client.destroy();
});

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

function config(name: string, port: number, checkpoints: string, batchSize: number): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `server: { host: 127.0.0.1, port: ${port} }
checkpoints: ${checkpoints}
shutdownTimeoutSeconds: 10
pipelines:
  - name: ledger
    source: { type: kinesis, streamName: "\${STREAM}", endpoint: "\${KINESIS_ENDPOINT}", region: us-east-1 }
    function: { type: module, handler: ./handlers/ledger.handler, timeout: 10, environment: { LEDGER_FILE: '\${LEDGER_FILE}', HANDLER_DELAY_MS: '\${HANDLER_DELAY_MS}' } }
    startingPosition: TRIM_HORIZON
    batchSize: ${batchSize}
`,
  );
  return file;
}

async function lanes(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/status`);
    const body = (await response.json()) as { pipelines: { lanes: number }[] };
    return body.pipelines[0]?.lanes ?? 0;
  } catch {
    return -1;
  }
}

function run(file: string, env: Record<string, string>): RunningCli {
  const cli = startCli(['run', '-c', file], { LOG_LEVEL: 'warn', KINESIS_ENDPOINT: readEndpoints().kinesis, ...env });
  processes.push(cli);
  return cli;
}

describe('tributary run on Kinesis (subprocess)', () => {
  it('SIGKILL mid-batch and a restart lose nothing and redeliver at most the in-flight batches', async () => {
    const stream = uniqueName('kkill');
    streams.push(stream);
    await createStream(client, stream, 2);
    const produced = Array.from({ length: 1500 }, (_, i) => `r${i}`);
    await putAll(client, stream, produced.map((data, i) => ({ key: `k${i % 50}`, data })));
    const ledger = join(dir, 'kill-ledger.txt');
    const file = config('kill', 19500 + (process.pid % 300), `{ type: file, path: ./checkpoints-kill }`, 50);
    const env = { STREAM: stream, LEDGER_FILE: ledger, HANDLER_DELAY_MS: '25' };
    const first = run(file, env);
    await waitFor(() => lines(ledger).length >= 300, 30_000, 'the first 300 records');
    first.child.kill('SIGKILL');
    await first.exited;
    const handledBefore = lines(ledger).length;
    expect(handledBefore).toBeLessThan(produced.length);
    const second = run(file, env);
    await waitFor(() => new Set(lines(ledger)).size >= produced.length, 60_000, 'every record after the restart');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const all = lines(ledger);
    expect(new Set(all)).toEqual(new Set(produced));
    // Only what was in flight when the process died comes again: at most one batch per shard.
    expect(all.length - produced.length).toBeLessThanOrEqual(2 * 50);
  });

  it('two instances share 8 shards through DynamoDB leases; killing one hands all shards to the other, losing nothing', async () => {
    const stream = uniqueName('kshare');
    streams.push(stream);
    await createStream(client, stream, 8);
    const ledger = join(dir, 'share-ledger.txt');
    const table = uniqueName('leases');
    const checkpoints = `{ type: dynamodb, tableName: ${table}, endpoint: "${readEndpoints().dynamodb}", region: us-east-1, leaseDurationSeconds: 2 }`;
    const portA = 19810 + (process.pid % 80);
    const portB = portA + 100;
    const env = { STREAM: stream, LEDGER_FILE: ledger, HANDLER_DELAY_MS: '40', AWS_ACCESS_KEY_ID: 'fakeMyKeyId', AWS_SECRET_ACCESS_KEY: 'fakeSecretAccessKey' };
    const a = run(config('a', portA, checkpoints, 5), env);
    const b = run(config('b', portB, checkpoints, 5), env);
    const produced: string[] = [];
    let producing = true;
    const producer = (async () => {
      for (let round = 0; producing; round += 1) {
        const batch = Array.from({ length: 40 }, (_, i) => `p${round}-${i}`);
        await putAll(client, stream, batch.map((data, i) => ({ key: `key-${round}-${i}`, data })));
        produced.push(...batch);
        await delay(150);
      }
    })();
    try {
      await waitFor(async () => {
        const [la, lb] = [await lanes(portA), await lanes(portB)];
        return la >= 3 && lb >= 3 && la + lb === 8;
      }, 45_000, 'both instances to own 3–5 of the 8 shards');
      b.child.kill('SIGKILL');
      await b.exited;
      const killedAt = Date.now();
      await waitFor(async () => (await lanes(portA)) === 8, 30_000, 'the survivor to own all 8 shards');
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThan(15_000);
      await delay(1000);
    } finally {
      producing = false;
      await producer;
    }
    await waitFor(() => {
      const seen = new Set(lines(ledger));
      return produced.every((p) => seen.has(p));
    }, 60_000, 'every produced record in the ledger');
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
  });
});
