/**
 * A handler written for AWS Lambda with `@aws-lambda-powertools/batch` runs unchanged under Tributary with each
 * runner that can host it: the `module` runner (worker-thread sandbox) in a real SQS pipeline on ElasticMQ, and the
 * `http` and `lambda` runners against the Runtime Interface Emulator running it through the Lambda Runtime API.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { HttpRunner } from '../../src/runner/http-runner.js';
import { LambdaRunner } from '../../src/runner/lambda-runner.js';
import { startRie, type RunningRie } from '../services/rie.ts';
import { createQueue, drain, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const HANDLER_DIR = join(FIXTURES, 'powertools');

const sqsEvent = (records: { id: string; bad: boolean }[]) => ({
  Records: records.map((r) => ({
    messageId: r.id,
    receiptHandle: `rh-${r.id}`,
    body: JSON.stringify(r),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1545082649183', SenderId: 'AIDAIENQZJOLO23YVJ4VO', ApproximateFirstReceiveTimestamp: '1545082649185' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:orders',
    awsRegion: 'us-east-1',
  })),
});

describe('a Powertools batch handler, unchanged', () => {
  it('module runner: only the records it reports return to the queue; they reach the DLQ, the rest are deleted', async () => {
    const client = sqsClient();
    try {
      const dlq = await createQueue(client, uniqueName('pt-dlq'));
      const { url } = await createQueue(client, uniqueName('pt'), { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
      const orders = Array.from({ length: 30 }, (_, i) => ({ id: `o${i}`, bad: i % 6 === 0 }));
      await sendAll(client, url, orders.map((o) => ({ body: JSON.stringify(o) })));
      const pipeline = createPipeline(
        {
          name: uniqueName('pt'),
          source: { type: 'sqs', queueUrl: url, endpoint: sqsEndpoint(), region: 'us-east-1' },
          function: { type: 'module', handler: './sqs-batch.handler', timeout: 10 },
          functionResponseTypes: ['ReportBatchItemFailures'],
        },
        { logger: silentLogger(), baseDir: HANDLER_DIR },
      );
      await pipeline.start();
      const bad = orders.filter((o) => o.bad);
      try {
        await waitFor(async () => (await queueDepth(client, dlq.url)).visible >= bad.length, 60_000, 'the invalid orders in the DLQ');
        await waitFor(async () => {
          const depth = await queueDepth(client, url);
          return depth.visible + depth.inFlight === 0;
        }, 30_000, 'an empty source queue');
      } finally {
        await pipeline.stop();
      }
      const inDlq = (await drain(client, dlq.url)).map((body) => (JSON.parse(body) as { id: string }).id).sort();
      expect(inDlq).toEqual(bad.map((o) => o.id).sort());
    } finally {
      client.destroy();
    }
  });

  describe('through the Lambda Runtime API (Runtime Interface Emulator)', () => {
    let rie: RunningRie;
    beforeAll(async () => {
      rie = await startRie({
        command: [process.execPath, join(FIXTURES, 'lambda-runtime', 'bootstrap.mjs')],
        handler: 'sqs-batch.handler',
        taskRoot: HANDLER_DIR,
        functionTimeoutSeconds: 10,
      });
    }, 11 * 60_000);
    afterAll(async () => {
      await rie?.stop();
    });

    const event = sqsEvent([
      { id: 'a', bad: false },
      { id: 'b', bad: true },
      { id: 'c', bad: false },
      { id: 'd', bad: true },
    ]);
    const opts = () => ({ deadlineMs: Date.now() + 10_000, signal: new AbortController().signal });

    it('http runner gets the partial batch response', async () => {
      const runner = new HttpRunner({ url: rie.invokeUrl, headers: {}, functionName: 'function' });
      const result = await runner.invoke(event, opts());
      expect(result, rie.logTail()).toMatchObject({ status: 'ok', payload: { batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'd' }] } });
    });

    it('lambda runner gets the partial batch response', async () => {
      const runner = new LambdaRunner({ functionName: 'function', qualifier: null, region: 'us-east-1', endpoint: rie.endpoint });
      try {
        const result = await runner.invoke(event, opts());
        expect(result, rie.logTail()).toMatchObject({ status: 'ok', payload: { batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'd' }] } });
      } finally {
        await runner.close();
      }
    });
  });
});
