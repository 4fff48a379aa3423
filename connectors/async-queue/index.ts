/**
 * The embedded asynchronous-invocation queue (issue 14): Tributary's own `queue` source, one queue per declared
 * function in a SQLite database of the state directory. Only Tributary writes to it (`openProducer`: Invoke with
 * `InvocationType: Event`, retries of failed events); its internal pipelines read it with the lane engine.
 */
import { defineConnector } from '../../src/connector/index.js';
import type { AsyncQueueSourceConfig } from '../../src/connector/config.js';
import { acquireQueueDatabase } from './database.js';
import { AsyncQueueSource } from './source.js';

export const asyncQueueConnector = defineConnector<AsyncQueueSourceConfig>({
  type: 'async-queue',
  laneLabel: 'lane',
  lagMetric: null,
  // Events leave the queue by deletion, as SQS messages (DeletedEventCount).
  settledMetric: 'deleted',
  filterTarget: (record) => ({ target: record.eventRecord, key: null }),
  // The asynchronous executor sends its own invocation records (OnFailure, DeadLetterConfig): none from the source.
  failureRecords: () => null,
  async create(config, context) {
    return new AsyncQueueSource(config, context);
  },
  async openProducer(config, context) {
    const held = await acquireQueueDatabase(config.path, context.now);
    return {
      send: async (messages) => held.database.send(config.queue, messages),
      depth: async () => held.database.depth(config.queue),
      close: () => held.release(),
    };
  },
});
