/** The `module` runner workload: its parameters, its event, and the timing loop both contenders share. */
import { fileURLToPath } from 'node:url';
import { num } from './params.ts';
import { cpuSinceUs, peakRssMb } from './probe.ts';
import type { Params } from './types.ts';

export const HANDLER_FILE = fileURLToPath(new URL('../fixtures/noop-handler', import.meta.url));
export const RAW_WORKER = new URL('../fixtures/raw-worker.mjs', import.meta.url);

export interface ModuleRunParams {
  readonly records: number;
  readonly warmup: number;
  readonly invocations: number;
}

export function moduleParams(params: Params): ModuleRunParams {
  return { records: num(params, 'records'), warmup: num(params, 'warmup'), invocations: num(params, 'invocations') };
}

/** An SQS event of `records` messages of about 220 B, as Lambda sends it. */
export function sqsEvent(records: number): { Records: unknown[] } {
  return {
    Records: Array.from({ length: records }, (_, i) => ({
      messageId: `0e7f1c2a-${String(i).padStart(4, '0')}-4b1e-9c0d-5f6a7b8c9d0e`,
      receiptHandle: `AQEB${'r'.repeat(120)}${i}`,
      body: JSON.stringify({ n: i, pad: 'x'.repeat(200) }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1767225600000', SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: '1767225600001' },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
      awsRegion: 'us-east-1',
    })),
  };
}

/** `warmup` untimed invocations, then `invocations` sequential timed ones: mean wall and CPU µs per invocation. */
export async function timeInvocations(invoke: () => Promise<void>, p: ModuleRunParams): Promise<Record<string, number>> {
  for (let i = 0; i < p.warmup; i += 1) await invoke();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < p.invocations; i += 1) await invoke();
  const wallUs = (performance.now() - started) * 1000;
  return { perInvoke: wallUs / p.invocations, cpuPerInvoke: cpuSinceUs(cpu) / p.invocations, peakRss: peakRssMb() };
}
