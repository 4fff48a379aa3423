/**
 * `tributary run` lives until it is told to stop, and tells a supervisor when it cannot work (issue 19):
 * - a standby replica (ops server off, every lease held by another worker) must not exit: it stays up and takes
 *   the shard once the other owner stops renewing;
 * - a process whose every pipeline failed for good (a non-retryable error) with the ops server off exits 1 with
 *   the reason instead of 0;
 * - `exitOnFailed: true` exits 1 as soon as one pipeline failed for good, even with healthy pipelines beside it.
 * Subprocesses of the built CLI against the real kinesis-local, DynamoDB Local and ElasticMQ.
 */
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../src/checkpoint/index.js';
import { readEndpoints } from '../services/endpoints.ts';
import { startCli, type RunningCli } from './helpers/cli.ts';
import { createStream, deleteStream, kinesisClient, listShards, putAll } from './helpers/kinesis.ts';
import { createQueue, sqsClient, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

let client: KinesisClient;
let dir: string;
const streams: string[] = [];
const processes: RunningCli[] = [];

beforeAll(() => {
  client = kinesisClient();
  dir = mkdtempSync(join(tmpdir(), 'tributary-liveness-'));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(
    join(dir, 'handlers', 'ledger.mjs'),
    `import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  appendFileSync(process.env.LEDGER_FILE, (event.Records ?? []).map((r) => Buffer.from(r.kinesis?.data ?? '', 'base64').toString() + '\\n').join(''));
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

function run(file: string, env: Record<string, string> = {}): RunningCli {
  const cli = startCli(['run', '-c', file], { LOG_LEVEL: 'info', ...env });
  processes.push(cli);
  return cli;
}

/** Resolves with the exit code if the process ends first, or with 'running' once `condition` holds. */
async function exitOr(cli: RunningCli, condition: () => boolean, timeoutMs: number, what: string): Promise<number | null | 'running'> {
  let exited: number | null | undefined;
  void cli.exited.then((code) => (exited = code));
  await waitFor(() => exited !== undefined || condition(), timeoutMs, what);
  return exited === undefined ? 'running' : exited;
}

/** A Kafka pipeline whose CA file is missing: it fails at start with CONFIG_INVALID, which no retry can fix. */
function deadPipeline(name: string): string {
  return `  - name: ${name}
    source: { type: kafka, bootstrapServers: [127.0.0.1:9], topics: [nothing], ssl: { caCertificate: ./missing-ca.pem } }
    function: { type: module, handler: ./handlers/ledger.handler }
    startingPosition: TRIM_HORIZON
`;
}

describe('tributary run stays up until told to stop', () => {
  it('a standby replica with the ops server off does not exit; it takes the shard once its owner stops renewing', async () => {
    const stream = uniqueName('standby');
    streams.push(stream);
    await createStream(client, stream, 1);
    const [shard] = await listShards(client, stream);
    const table = uniqueName('standby-leases');
    const { dynamodb, kinesis } = readEndpoints();
    // Another worker holds the only lease (it will never renew: it plays a replica that just froze or was killed).
    const store = await createCheckpointStore({ type: 'dynamodb', tableName: table, region: 'us-east-1', endpoint: dynamodb, leaseDurationMs: 2_000 });
    try {
      const signal = AbortSignal.timeout(30_000);
      await store.ensureShards('standby', [{ shardId: shard?.ShardId ?? '', parentShardIds: [] }], signal);
      const [lease] = await store.list('standby', signal);
      expect(await store.take('standby', shard?.ShardId ?? '', 'other-replica', lease?.counter ?? 0, signal)).not.toBeNull();
    } finally {
      await store.close();
    }
    const ledger = join(dir, 'standby-ledger.txt');
    const file = join(dir, 'standby.yaml');
    // The ledger path goes in the function's own environment: a sandbox does not see the service's (as on Lambda).
    writeFileSync(
      file,
      `server: { enabled: false }
checkpoints: { type: dynamodb, tableName: ${table}, endpoint: "${dynamodb}", region: us-east-1, leaseDurationSeconds: 2 }
pipelines:
  - name: standby
    source: { type: kinesis, streamName: ${stream}, endpoint: "${kinesis}", region: us-east-1 }
    function: { type: module, handler: ./handlers/ledger.handler, environment: { LEDGER_FILE: "${ledger}" } }
    startingPosition: TRIM_HORIZON
`,
    );
    await putAll(client, stream, [{ key: 'k', data: 'after-takeover' }]);
    const cli = run(file);
    const outcome = await exitOr(cli, () => lines(ledger).includes('after-takeover'), 60_000, 'the standby to take the shard over');
    expect(outcome, `the standby ended instead of waiting for the lease:\n${cli.output()}`).toBe('running');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('with the ops server off, a process whose every pipeline failed for good exits 1 and says why', async () => {
    const file = join(dir, 'all-dead.yaml');
    writeFileSync(file, `server: { enabled: false }\npipelines:\n${deadPipeline('dead-a')}${deadPipeline('dead-b')}`);
    const cli = run(file);
    const code = await cli.exited;
    expect(code, cli.output()).toBe(1);
    expect(cli.output()).toMatch(/every pipeline failed.*dead-a.*CONFIG_INVALID/s);
  });

  it('exitOnFailed: true exits 1 as soon as one pipeline failed for good, even beside a healthy one', async () => {
    const sqs = sqsClient();
    const queue = await createQueue(sqs, uniqueName('alive'));
    sqs.destroy();
    const file = join(dir, 'exit-on-failed.yaml');
    writeFileSync(
      file,
      `server: { enabled: false }
exitOnFailed: true
pipelines:
${deadPipeline('dead')}  - name: alive
    source: { type: sqs, queueUrl: "${queue.url}", endpoint: "${readEndpoints().sqs}" }
    function: { type: module, handler: ./handlers/ledger.handler }
`,
    );
    const cli = run(file);
    const code = await cli.exited;
    expect(code, cli.output()).toBe(1);
    expect(cli.output()).toMatch(/exitOnFailed.*dead.*CONFIG_INVALID/s);
  });
});
