/** Tributary's embedded asynchronous queue (connectors/async-queue/database.ts, from dist/): group-committed writes. */
import { assertBuilt } from '../lib/tributary.ts';
import { asyncQueueParams, measureAsyncQueue } from '../lib/async-queue-params.ts';
import type { Measurement, Params } from '../lib/types.ts';
import type * as DatabaseApi from '../../connectors/async-queue/database.js';

export async function run(raw: Params): Promise<Measurement> {
  assertBuilt();
  const { QueueDatabase } = (await import(new URL('../../dist/connectors/async-queue/database.js', import.meta.url).href)) as typeof DatabaseApi;
  return measureAsyncQueue(asyncQueueParams(raw), async (path) => {
    const db = await QueueDatabase.open(path, Date.now);
    return {
      send: (body) => db.send('bench', [{ body, delayMs: 0 }]),
      receive: () => db.receive('bench', 10, 60_000),
      delete: async (handles) => {
        await db.delete(handles as DatabaseApi.ReceivedMessage[]);
      },
      close: () => db.close(),
    };
  });
}
