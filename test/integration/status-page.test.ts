/**
 * The status page at `/` of a real `tributary run` (the built CLI) on a kinesis-local stream, rendered by headless
 * Chromium: the pipeline shows as Enabled with its shards, counters and the on-failure deliveries of a handler that
 * rejects some records. Also checks the page's Content-Security-Policy (no violation reported by the browser) and
 * that a handler's error message is shown as text, never as markup. Leaves a screenshot in the test's temp folder.
 *
 * Needs Debian's chromium at /usr/bin/chromium: `.ci/install-chromium.sh` installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEndpoints } from '../services/endpoints.ts';
import { startCli, type RunningCli } from './helpers/cli.ts';
import { createStream, deleteStream, kinesisClient, putAll } from './helpers/kinesis.ts';
import { uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PIPELINE = 'page-orders';
/** In every poison record's error message: must show up as text and never become an element. */
const MARKUP = '<img src=x onerror="window.__injected = 1">';

let client: KinesisClient;
let dir: string;
let stream: string;
let cli: RunningCli | null = null;
let browser: BrowserContext | null = null;

beforeAll(async () => {
  client = kinesisClient();
  dir = mkdtempSync(join(tmpdir(), 'tributary-page-'));
  mkdirSync(join(dir, 'handlers'));
  // A plain Lambda handler: any batch holding a "poison" record fails, so bisect isolates it and it ends on-failure.
  writeFileSync(
    join(dir, 'handlers', 'picky.mjs'),
    `export const handler = async (event) => {
  for (const record of event.Records) {
    const text = Buffer.from(record.kinesis.data, 'base64').toString();
    if (text.startsWith('poison')) throw new Error('cannot process ' + text + ' ' + ${JSON.stringify(MARKUP)});
  }
  return {};
};
`,
  );
  stream = uniqueName('kpage');
  await createStream(client, stream, 2);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (cli !== null && cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await deleteStream(client, stream);
  client.destroy();
});

function writeConfig(): string {
  const file = join(dir, 'pipelines.yaml');
  writeFileSync(
    file,
    `server: { host: 127.0.0.1, port: 0 }
checkpoints: { type: file, path: ./checkpoints }
shutdownTimeoutSeconds: 10
pipelines:
  - name: ${PIPELINE}
    source: { type: kinesis, streamName: "\${STREAM}", endpoint: "\${KINESIS_ENDPOINT}", region: us-east-1 }
    function: { type: module, handler: ./handlers/picky.handler, timeout: 10 }
    startingPosition: TRIM_HORIZON
    batchSize: 10
    bisectBatchOnFunctionError: true
    maximumRetryAttempts: 1
    destinationConfig:
      onFailure: { destination: "file://./failed.jsonl" }
`,
  );
  return file;
}

/** The ops server's URL, from the "operations server listening" log line (port 0 picks a free port). */
async function serverUrl(running: RunningCli): Promise<string> {
  let url: string | null = null;
  await waitFor(() => {
    url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(running.output())?.[1] ?? null;
    return url !== null || running.child.exitCode !== null;
  }, 30_000, 'the operations server to listen');
  if (url === null) throw new Error(`tributary run exited early:\n${running.output()}`);
  return url;
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent({ timeout: 1_000 }).catch(() => null)) ?? '').trim();
const number = (value: string): number => Number(value.replace(/,/g, ''));

describe('status page', () => {
  it('shows the pipeline Enabled, shards, counters and on-failure events in headless Chromium', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: run .ci/install-chromium.sh (it installs Debian's chromium) and run the tests again`);
    }
    cli = startCli(['run', '-c', writeConfig()], { LOG_LEVEL: 'info', STREAM: stream, KINESIS_ENDPOINT: readEndpoints().kinesis });
    const url = await serverUrl(cli);

    const records = Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 8}`, data: i % 10 === 3 ? `poison-${i}` : `order-${i}` }));
    await putAll(client, stream, records);
    const poison = records.filter((r) => r.data.startsWith('poison')).length;

    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tributary-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text()); // CSP violations are reported here
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.goto(`${url}/`);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/);
    expect(headers['x-content-type-options']).toBe('nosniff');

    const card = `article[data-pipeline="${PIPELINE}"]`;
    await waitFor(
      async () =>
        (await text(page, `${card} .state`)) === 'Enabled' &&
        number(await text(page, `${card} [data-counter="invoked"] .value`)) > 0 &&
        number(await text(page, `${card} [data-counter="polled"] .value`)) === records.length &&
        number(await text(page, `${card} [data-counter="onFailure"] .value`)) >= poison &&
        (await page.locator(`${card} tr.event-on-failure`).count()) > 0,
      90_000,
      'the page to show the pipeline Enabled with invocations and every poison record sent to on-failure',
    );
    // Let the throughput numbers and sparkline gather a few samples for the screenshot.
    await page.waitForTimeout(4_000);

    expect(await text(page, `${card} h2`)).toBe(PIPELINE);
    expect(await text(page, `${card} .source`)).toContain(`arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`);
    expect(number(await text(page, `${card} [data-counter="polled"] .value`))).toBe(records.length);
    expect(number(await text(page, `${card} [data-counter="onFailure"] .value`))).toBe(poison);
    expect(number(await text(page, `${card} [data-counter="failed"] .value`))).toBeGreaterThan(0);
    expect(await page.locator(`${card} tr[data-shard]`).count()).toBe(2);
    const events = await page.locator(`${card} .events`).innerText();
    expect(events).toContain('sent to on-failure');
    expect(events).toContain('batch failed');
    // The handler's error message is data: shown literally, never parsed as HTML.
    expect(events).toContain(MARKUP);
    expect(await page.locator(`${card} .events img`).count()).toBe(0);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    expect(await text(page, '#conn')).toMatch(/^live/);

    // The JSON the page renders: counters from the registry, shards from the gauges, throughput, recent events.
    const status = (await (await fetch(`${url}/status`)).json()) as {
      ready: boolean;
      pipelines: {
        name: string;
        state: string;
        lanes: number;
        shards: { id: string; iteratorAgeSeconds: number | null; offsetLag: number | null }[];
        counters: Record<string, number>;
        throughput: { windowSeconds: number; perSecond: Record<string, number>; polledSeries: number[] };
        recentEvents: { kind: string; at: string }[];
      }[];
    };
    const pipeline = status.pipelines[0];
    expect(status.ready).toBe(true);
    expect(pipeline).toMatchObject({ name: PIPELINE, state: 'Enabled', lanes: 2 });
    expect(pipeline?.counters).toMatchObject({ polled: records.length, onFailure: poison, dropped: 0 });
    expect(pipeline?.shards.map((s) => s.id)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(pipeline?.shards.every((s) => typeof s.iteratorAgeSeconds === 'number' && s.offsetLag === null)).toBe(true);
    expect(pipeline?.throughput.windowSeconds).toBeGreaterThan(0);
    expect(pipeline?.throughput.perSecond['polled']).toBeGreaterThan(0);
    expect(pipeline?.recentEvents.filter((e) => e.kind === 'on-failure')).toHaveLength(poison);
    expect(pipeline?.recentEvents.some((e) => e.kind === 'state-changed')).toBe(true);
    expect(Number.isNaN(Date.parse(pipeline?.recentEvents[0]?.at ?? ''))).toBe(false);

    const screenshot = join(dir, 'status-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stderr.write(`[status-page] screenshot: ${screenshot}\n`);
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
    expect(problems).toEqual([]);

    await browser.close();
    browser = null;
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const failed = readFileSync(join(dir, 'failed.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    expect(failed).toHaveLength(poison);
  });
});
