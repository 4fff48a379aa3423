/**
 * `tributary run` as a subprocess against real ElasticMQ: SIGTERM drains and exits 0, a restart loses nothing,
 * the operations endpoints answer; `tributary validate` points at the line of a mistake.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { runCli, startCli } from './helpers/cli.ts';
import { waitFor } from './helpers/wait.ts';

let client: SQSClient;
let dir: string;
beforeAll(() => {
  client = sqsClient();
  dir = mkdtempSync(join(tmpdir(), 'tributary-cli-'));
  mkdirSync(join(dir, 'handlers'));
  // A plain Lambda handler module: records each message id it handled, slowly enough to be caught mid-run.
  writeFileSync(
    join(dir, 'handlers', 'ledger.mjs'),
    `import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  await new Promise((r) => setTimeout(r, 40));
  appendFileSync(process.env.LEDGER_FILE, event.Records.map((r) => r.messageId + '\\n').join(''));
  return {};
};
`,
  );
});
afterAll(() => client.destroy());

const handled = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);

async function scrape(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('tributary run (subprocess)', () => {
  it('SIGTERM mid-run drains and exits 0; a restart finishes the queue and loses nothing', async () => {
    const { url } = await createQueue(client, uniqueName('cli'), { VisibilityTimeout: '20' });
    const ids = await sendAll(client, url, Array.from({ length: 600 }, (_, i) => ({ body: `m${i}` })));
    const ledger = join(dir, 'ledger.txt');
    const port = 19400 + (process.pid % 500);
    const file = join(dir, 'pipelines.yaml');
    writeFileSync(
      file,
      `server: { host: 127.0.0.1, port: ${port} }
shutdownTimeoutSeconds: 20
pipelines:
  - name: ledger
    source:
      type: sqs
      queueUrl: \${QUEUE_URL}
      endpoint: \${SQS_ENDPOINT}
      region: us-east-1
      scalingConfig: { maximumConcurrency: 3 }
    function: { type: module, handler: ./handlers/ledger.handler, timeout: 10, environment: { LEDGER_FILE: '\${LEDGER_FILE}' } }
    batchSize: 10
    metricsConfig: { metrics: [EventCount] }
`,
    );
    const env = { QUEUE_URL: url, SQS_ENDPOINT: sqsEndpoint(), LEDGER_FILE: ledger, LOG_LEVEL: 'warn' };
    const first = startCli(['run', '-c', file], env);
    await waitFor(async () => {
      try {
        return (await scrape(port, '/readyz')).status === 200;
      } catch {
        return false;
      }
    }, 20_000, '/readyz to answer 200');
    expect((await scrape(port, '/healthz')).status).toBe(200);
    await waitFor(() => handled(ledger).length >= 100, 30_000, 'the first 100 messages');
    const metrics = await scrape(port, '/metrics');
    expect(metrics.body).toMatch(/tributary_invoked_events_total\{pipeline="ledger"\} \d+/);
    expect(metrics.body).toMatch(/tributary_deleted_events_total\{pipeline="ledger"\} \d+/);
    const status = JSON.parse((await scrape(port, '/status')).body) as { pipelines: { name: string; state: string }[] };
    expect(status.pipelines).toMatchObject([{ name: 'ledger', state: 'Enabled' }]);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const afterFirst = handled(ledger).length;
    expect(afterFirst).toBeLessThan(ids.length); // it really was stopped mid-run
    // Whatever the first run handled was deleted: nothing is left in flight after a graceful stop.
    expect((await queueDepth(client, url)).inFlight).toBe(0);

    const second = startCli(['run', '-c', file], env);
    await waitFor(() => new Set(handled(ledger)).size >= ids.length, 60_000, 'every message after the restart');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(new Set(handled(ledger))).toEqual(new Set(ids));
    expect(await queueDepth(client, url)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe('tributary validate (subprocess)', () => {
  it('accepts every example in config/', async () => {
    for (const example of ['config/sqs.yaml', 'config/kinesis.yaml', 'config/dynamodb-streams.yaml', 'config/kafka.yaml']) {
      const { code, output } = await runCli(['validate', '-c', example], { QUEUE_URL: 'http://127.0.0.1:19324/000000000000/orders', STREAM_NAME: 'orders', TABLE_NAME: 'orders', KAFKA_BROKERS: '127.0.0.1:19092' });
      expect({ example, code, output }).toMatchObject({ example, code: 0 });
    }
  });

  it('rejects a broken file with every error, each with file:line:column and field path', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      `pipelines:
  - name: broken
    source:
      type: sqs
      queueUrl: http://127.0.0.1:19324/000000000000/q
    function: { type: module, handler: ./h.handler }
    batchSize: 20000
    bisectBatchOnFunctionError: true
`,
    );
    const { code, output } = await runCli(['validate', '-c', file]);
    expect(code).toBe(2);
    expect(output).toContain(`${file}:7:5 pipelines[0].batchSize: must be between 1 and 10000 (got 20000)`);
    expect(output).toMatch(/10000/);
    expect(output).toMatch(/broken\.yaml:8:\d+ pipelines\[0\]\.bisectBatchOnFunctionError/);
  });
});
