/**
 * SQS drain on ElasticMQ: a fresh queue of 10,000 messages per round and contender, the same concurrency for all —
 * Tributary (maximumConcurrency) against the raw receive + deleteBatch loop and sqs-consumer.
 */
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { readEndpoints } from '../../test/services/endpoints.ts';
import { createQueue, sendAll, uniqueName } from '../../test/integration/helpers/sqs.ts';
import { benchSqsClient } from '../lib/sqs-params.ts';
import type { BenchOptions, CaseSpec, ContenderSpec, Workload } from '../lib/types.ts';

const CONCURRENCY = Number(process.env['BENCH_SQS_CONCURRENCY'] ?? '10');

export const workload: Workload = {
  id: 'sqs-drain',
  services: ['sqs'],
  async prepare(options: BenchOptions): Promise<readonly CaseSpec[]> {
    const endpoint = readEndpoints().sqs;
    const messages = options.quick ? 200 : 10_000;
    const body = (i: number): string => JSON.stringify({ n: i, pad: 'x'.repeat(200) });
    const params = { endpoint, expected: messages, concurrency: CONCURRENCY, timeoutMs: options.quick ? 60_000 : 300_000 };
    const contenders: ContenderSpec[] = [
      { id: 'tributary', role: 'tributary', label: 'Tributary', module: 'sqs-tributary', params },
      { id: 'raw-loop', role: 'raw', label: 'receive + deleteBatch loop', module: 'sqs-raw', params },
      { id: 'sqs-consumer', role: 'peer', label: 'sqs-consumer', module: 'sqs-consumer', params },
    ];
    const client = benchSqsClient(endpoint);
    return [
      {
        id: 'sqs-drain',
        title: `SQS drain (ElasticMQ): ${messages.toLocaleString('en-US')} messages of 220 B, batch 10, concurrency ${CONCURRENCY}, no-op handler`,
        contenders,
        show: ['throughput', 'cpuPerRecord', 'peakRss'],
        ratio: { metric: 'throughput', better: 'higher' },
        roundParams: async () => {
          const { url } = await createQueue(client, uniqueName('bench-sqs'), { VisibilityTimeout: '60' });
          await sendAll(client, url, Array.from({ length: messages }, (_, i) => ({ body: body(i) })), 16);
          return { queueUrl: url };
        },
        afterRun: async (_contender, p) => {
          if (typeof p['queueUrl'] === 'string') await client.send(new DeleteQueueCommand({ QueueUrl: p['queueUrl'] })).catch(() => undefined);
        },
      },
    ];
  },
};
