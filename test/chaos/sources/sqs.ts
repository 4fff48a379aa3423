/**
 * SQS on the campaign's ElasticMQ (persistent): a standard queue, or a FIFO queue whose message groups are the
 * records' keys. Poison messages reach the queue's own DLQ through its redrive policy, as on AWS.
 *
 * The FIFO campaign restarts no broker: ElasticMQ 1.7.1 reloading its H2 store forgets that a group has messages
 * in flight and hands out the group's later messages first (and messages sent in one SendMessageBatch come back in
 * any order), so order breaks after a restart would be the emulator's, not Tributary's. The standard queue's
 * campaign restarts it.
 */
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createQueue, queueDepth, sendAll } from '../../integration/helpers/sqs.ts';
import { DYNAMODB_TEST_CREDENTIALS } from '../../services/endpoints.ts';
import { type DriverContext, type SourceDriver } from '../driver.ts';
import type { ChaosRecord } from '../records.ts';
import { CHAOS_ENDPOINTS } from '../services.ts';

const BATCH_SIZE = 10;
const MAX_CONCURRENCY = 5;
/** Seconds: short, so a message stranded by a kill comes back soon (the heartbeat covers slow batches). */
const VISIBILITY_TIMEOUT_S = 4;
/**
 * Receives before the DLQ: above what capped random faults, transient failures and kills can add up to — given
 * FAULT_SPACING_MS between kills (without it, a storm of kills 3 s apart strands one FIFO message 6 times and
 * dead-letters it: full campaign, seed 432149).
 */
const MAX_RECEIVE_COUNT = 8;
/** A stranded message is visible again one visibility timeout after the kill; then 6 s to be handled. */
const FAULT_SPACING_MS = VISIBILITY_TIMEOUT_S * 1000 + 6_000;

export function sqsDriver(fifo: boolean): SourceDriver {
  const client = new SQSClient({ region: 'us-east-1', endpoint: CHAOS_ENDPOINTS.sqs, credentials: DYNAMODB_TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  let queueUrl = '';
  let dlqUrl = '';
  const inDlq: string[] = [];
  return {
    name: fifo ? 'sqs-fifo' : 'sqs',
    ordered: fifo,
    longOutageMs: null,
    restartsBroker: !fifo,
    broker: 'sqs',
    leases: false,
    latest: false,
    discardTo: 'destination',
    maxRetries: MAX_RECEIVE_COUNT - 1,
    batchSize: BATCH_SIZE,
    quietMs: 10_000,
    inFlight: MAX_CONCURRENCY * BATCH_SIZE,
    faultSpacingMs: FAULT_SPACING_MS,
    handlerEnv: { CHAOS_TRANSIENT_MODE: 'partial' },
    processEnv: { AWS_ACCESS_KEY_ID: DYNAMODB_TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DYNAMODB_TEST_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },

    async setup(ctx: DriverContext) {
      const suffix = fifo ? '.fifo' : '';
      const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {};
      const dlq = await createQueue(client, `chaos-dlq-${ctx.runId}${suffix}`, fifoAttributes);
      dlqUrl = dlq.url;
      queueUrl = (
        await createQueue(client, `chaos-${ctx.runId}${suffix}`, {
          ...fifoAttributes,
          VisibilityTimeout: String(VISIBILITY_TIMEOUT_S),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
        })
      ).url;
    },

    config(_ctx: DriverContext, fn: string) {
      return `server: { enabled: false }
shutdownTimeoutSeconds: 10
pipelines:
  - name: chaos
    source: { type: sqs, queueUrl: "${queueUrl}", endpoint: "${CHAOS_ENDPOINTS.sqs}", scalingConfig: { maximumConcurrency: ${MAX_CONCURRENCY} } }
    function: ${fn}
    batchSize: ${BATCH_SIZE}
    functionResponseTypes: [ReportBatchItemFailures]
`;
    },

    async produce(records: readonly ChaosRecord[]) {
      await sendAll(
        client,
        queueUrl,
        records.map((r) => ({ body: JSON.stringify(r), ...(fifo ? { groupId: r.key, dedupId: r.id } : {}) })),
      );
    },

    async discarded() {
      // Receiving from the DLQ hides what was read for longer than the campaign; the ids are kept here.
      for (;;) {
        const result = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 3_600 })).catch(() => ({ Messages: [] }));
        const messages = result.Messages ?? [];
        if (messages.length === 0) return [...inDlq];
        for (const m of messages) inDlq.push((JSON.parse(m.Body ?? '{}') as { id?: string }).id ?? '?');
      }
    },

    async unsettled() {
      const depth = await queueDepth(client, queueUrl);
      return depth.visible + depth.inFlight;
    },

    async teardown() {
      client.destroy();
    },
  };
}
