/**
 * Asynchronous invocation against `tributary run` (the built CLI, as a subprocess):
 * - 1,000 events acknowledged with 202 by @aws-sdk/client-lambda (InvocationType Event), the process killed with
 *   SIGKILL while most of them still wait in the embedded queue: after a restart on the same state directory every
 *   one of them is invoked (at-least-once: none lost; a duplicate is allowed, counted and reported);
 * - the real AWS CLI (`aws lambda invoke --invocation-type Event`, awscli from PyPI) gets StatusCode 202 and the event
 *   runs; `--invocation-type DryRun` gets 204 and nothing runs;
 * - `/status` and the status page (headless Chromium) show the function's queue (depth, oldest event).
 */
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { chromium } from 'playwright-core';
import { ensureAwsCli, runAwsCli, type AwsCliInstall } from '../services/awscli.ts';
import { lambdaClient, API_TEST_KEY } from './helpers/control-plane.ts';
import { startCli, type RunningCli } from './helpers/cli.ts';
import { waitFor } from './helpers/wait.ts';

const API_PORT = 23010;
const OPS_PORT = 23011;
const EVENTS = 1_000;

/** One line per invocation: the request id and the event's id; sleeps `$SLEEP_MS` first. */
const HANDLER = `import { appendFileSync } from 'node:fs';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = async (event, context) => {
  const ms = Number(process.env.SLEEP_MS ?? 0);
  if (ms > 0) await sleep(ms);
  appendFileSync(process.env.LEDGER_FILE, JSON.stringify({ requestId: context.awsRequestId, id: event.id }) + '\\n');
  return {};
};
`;

let dir: string;
let cli: AwsCliInstall;
const running: RunningCli[] = [];
const ledgerFile = (): string => join(dir, 'ledger.jsonl');
const handled = (): { requestId: string; id: string }[] =>
  existsSync(ledgerFile())
    ? readFileSync(ledgerFile(), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { requestId: string; id: string })
    : [];

async function start(sleepMs: number): Promise<RunningCli> {
  const service = startCli(['run', '-c', join(dir, 'tributary.yaml')], { LEDGER_FILE: ledgerFile(), SLEEP_MS: String(sleepMs) });
  running.push(service);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${OPS_PORT}/readyz`).then((r) => r.status).catch(() => 0)) === 200, 60_000, 'tributary run to be ready');
  return service;
}

beforeAll(async () => {
  cli = await ensureAwsCli((line) => process.stderr.write(`[awscli] ${line}\n`));
  dir = mkdtempSync(join(tmpdir(), 'tributary-async-cli-'));
  mkdirSync(join(dir, 'handlers'));
  writeFileSync(join(dir, 'handlers', 'ledger.mjs'), HANDLER);
  writeFileSync(
    join(dir, 'tributary.yaml'),
    `server: { host: 127.0.0.1, port: ${OPS_PORT} }
checkpoints: { type: file, path: ./state }
shutdownTimeoutSeconds: 10
logLevel: warn
functions:
  ledger:
    type: module
    handler: ./handlers/ledger.handler
    timeout: 10
    reservedConcurrency: 1
    environment: { LEDGER_FILE: '\${LEDGER_FILE}', SLEEP_MS: '\${SLEEP_MS}' }
api:
  port: ${API_PORT}
pipelines: []
`,
  );
}, 600_000);

afterAll(async () => {
  for (const service of running) {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }
}, 60_000);

describe('asynchronous invocation against tributary run', () => {
  it('kill -9 with 1,000 acknowledged events queued loses none of them after the restart', async () => {
    const first = await start(100);
    const lambda = lambdaClient(`http://127.0.0.1:${API_PORT}`);
    const limit = pLimit(16);
    const acknowledged = await Promise.all(
      Array.from({ length: EVENTS }, (_, i) =>
        limit(async () => {
          const result = await lambda.send(new InvokeCommand({ FunctionName: 'ledger', InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ id: `e-${i}` })) }));
          expect(result.StatusCode).toBe(202);
          return result.$metadata.requestId ?? '';
        }),
      ),
    );
    lambda.destroy();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    const beforeKill = new Set(handled().map((row) => row.requestId));
    // Reserved concurrency 1 and 100 ms per event: most events were still in the queue when the process died.
    expect(beforeKill.size).toBeLessThan(EVENTS);

    await start(0);
    await waitFor(() => new Set(handled().map((row) => row.requestId)).size >= EVENTS, 120_000, 'every acknowledged event to run');
    const rows = handled();
    const seen = new Set(rows.map((row) => row.requestId));
    expect(acknowledged.filter((id) => !seen.has(id))).toEqual([]);
    expect(new Set(rows.map((row) => row.id)).size).toBe(EVENTS);
    // At-least-once: only an event in flight at the kill may run twice (reserved concurrency 1: at most one).
    expect(rows.length - seen.size).toBeLessThanOrEqual(1);
    type Status = { asyncQueues?: { functionName: string; messages: number }[] };
    await waitFor(
      async () => ((await (await fetch(`http://127.0.0.1:${OPS_PORT}/status`)).json()) as Status).asyncQueues?.find((q) => q.functionName === 'ledger')?.messages === 0,
      30_000,
      'the queue to be empty on /status',
    );
  }, 300_000);

  it('the AWS CLI: --invocation-type Event answers 202 and the event runs; DryRun answers 204', async () => {
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ id: 'from-aws-cli' }));
    const options = { endpointUrl: `http://127.0.0.1:${API_PORT}`, region: 'us-east-1', cwd: dir, ...API_TEST_KEY };
    const queued = await runAwsCli(cli, ['lambda', 'invoke', '--function-name', 'ledger', '--invocation-type', 'Event', '--payload', 'fileb://event.json', 'out.json'], options);
    expect(queued.exitCode, queued.stderr).toBe(0);
    expect(queued.json).toMatchObject({ StatusCode: 202 });
    await waitFor(() => handled().some((row) => row.id === 'from-aws-cli'), 30_000, 'the AWS CLI event to run');
    writeFileSync(join(dir, 'dry.json'), JSON.stringify({ id: 'dry-aws-cli' }));
    const dry = await runAwsCli(cli, ['lambda', 'invoke', '--function-name', 'ledger', '--invocation-type', 'DryRun', '--payload', 'fileb://dry.json', 'out.json'], options);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.json).toMatchObject({ StatusCode: 204 });
    const missing = await runAwsCli(cli, ['lambda', 'invoke', '--function-name', 'missing', '--invocation-type', 'Event', '--payload', 'fileb://event.json', 'out.json'], options);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
    expect(handled().some((row) => row.id === 'dry-aws-cli')).toBe(false);
  }, 120_000);

  it('the status page shows the function\'s asynchronous queue, with no script error', async () => {
    const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tributary-chromium-')), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`http://127.0.0.1:${OPS_PORT}/`);
      const row = page.locator('article[data-async-queues] tr[data-function="ledger"]');
      await row.waitFor({ timeout: 15_000 });
      expect(((await row.locator('td').allTextContents()) as string[]).map((cell) => cell.trim())).toEqual(['ledger', '0', '\u2013']);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
