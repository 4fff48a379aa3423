/** The baseline: a worker thread running the same handler, one postMessage round trip per invocation. */
import { Worker } from 'node:worker_threads';
import { RAW_WORKER, moduleParams, sqsEvent, timeInvocations } from '../lib/module-params.ts';
import type { Measurement, Params } from '../lib/types.ts';

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: string;
}

export async function run(raw: Params): Promise<Measurement> {
  const p = moduleParams(raw);
  const worker = new Worker(RAW_WORKER);
  const event = sqsEvent(p.records);
  let next = 0;
  let failure: string | null = null;
  try {
    const metrics = await timeInvocations(async () => {
      const id = (next += 1);
      const reply = await new Promise<Reply>((resolve) => {
        const onMessage = (message: Reply): void => {
          if (message.id !== id) return;
          worker.off('message', onMessage);
          resolve(message);
        };
        worker.on('message', onMessage);
        worker.postMessage({ id, event });
      });
      if (!reply.ok) failure ??= `invocation failed: ${reply.error ?? '?'}`;
    }, p);
    return { metrics, check: failure };
  } finally {
    await worker.terminate();
  }
}
