/**
 * `module` handlers in real SQS pipelines on ElasticMQ, through the public library API (`createPipeline`):
 * a TypeScript handler run by Node's type stripping in the worker sandbox, and a legacy `context.succeed` /
 * `context.fail` handler whose messages are deleted only after its work ran (it used to "succeed" at once, so a
 * failing message was deleted before its handler failed).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type PipelineHandle } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'tributary-module-sqs-'));
let client: SQSClient;
const running: PipelineHandle[] = [];

beforeAll(() => {
  client = sqsClient();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(() => {
  client.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Lines the handlers append (`<body>`), one per processed message. */
const ledgerOf = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

function start(queueUrl: string, handler: string, extra: Record<string, unknown> = {}): PipelineHandle {
  const pipeline = createPipeline(
    {
      name: uniqueName('p'),
      source: { type: 'sqs', queueUrl, endpoint: sqsEndpoint(), region: 'us-east-1' },
      function: { type: 'module', handler, timeout: 10 },
      ...extra,
    },
    { logger: silentLogger(), baseDir: dir },
  );
  running.push(pipeline);
  return pipeline;
}

describe('module handlers in an SQS pipeline', () => {
  it('a TypeScript handler (.ts, types stripped by Node) processes the queue and reports partial failures', async () => {
    const ledger = join(dir, 'ts-ledger');
    writeFileSync(
      join(dir, 'orders.ts'),
      `import { appendFileSync } from 'node:fs';
interface SQSRecord { readonly messageId: string; readonly body: string }
interface SQSEvent { readonly Records: readonly SQSRecord[] }
type BatchResponse = { batchItemFailures: { itemIdentifier: string }[] };
export const handler = async (event: SQSEvent): Promise<BatchResponse> => {
  const batchItemFailures: BatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (record.body === 'poison') batchItemFailures.push({ itemIdentifier: record.messageId });
    else appendFileSync(${JSON.stringify(ledger)}, record.body + '\\n');
  }
  return { batchItemFailures };
};
`,
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    const { url } = await createQueue(client, uniqueName('ts'), { VisibilityTimeout: '2' });
    const bodies = Array.from({ length: 30 }, (_, i) => `order-${i}`);
    await sendAll(client, url, [...bodies, 'poison'].map((body) => ({ body })));
    const pipeline = start(url, './orders.handler', { functionResponseTypes: ['ReportBatchItemFailures'], batchSize: 10 });
    await pipeline.start();
    await waitFor(() => ledgerOf(ledger).length >= bodies.length, 60_000, 'every order processed by the .ts handler');
    // Every processed message is deleted; only the reported failure stays in the queue.
    await waitFor(async () => {
      const depth = await queueDepth(client, url);
      return depth.visible + depth.inFlight === 1;
    }, 30_000, 'only the poison message left');
    expect(new Set(ledgerOf(ledger))).toEqual(new Set(bodies));
  });

  it('a legacy context.succeed / context.fail handler: a failing message is kept, not deleted before its handler failed', async () => {
    const ledger = join(dir, 'legacy-ledger');
    writeFileSync(
      join(dir, 'legacy.cjs'),
      `const { appendFileSync } = require('node:fs');
exports.handler = function (event, context) {
  const body = event.Records[0].body;
  setTimeout(() => {
    appendFileSync(${JSON.stringify(ledger)}, body + '\\n');
    if (body === 'poison') context.fail(new Error('cannot process ' + body));
    else context.succeed();
  }, 100);
};
`,
    );
    const { url } = await createQueue(client, uniqueName('legacy'), { VisibilityTimeout: '1' });
    const bodies = ['a', 'b', 'c', 'poison'];
    await sendAll(client, url, bodies.map((body) => ({ body })));
    const pipeline = start(url, './legacy.handler', { batchSize: 1 });
    await pipeline.start();
    // The poison message comes back after its visibility timeout: its failed invocation did not delete it.
    await waitFor(() => ledgerOf(ledger).filter((line) => line === 'poison').length >= 2, 60_000, 'the poison message delivered twice');
    await pipeline.stop();
    expect(new Set(ledgerOf(ledger).filter((line) => line !== 'poison'))).toEqual(new Set(['a', 'b', 'c']));
    await waitFor(async () => {
      const depth = await queueDepth(client, url);
      return depth.visible + depth.inFlight === 1;
    }, 30_000, 'only the poison message left');
  });
});
