/**
 * Where the invocation records of asynchronous invocation go (OnSuccess / OnFailure,
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html): the on-failure destinations of
 * the mappings (SQS queue, Kafka topic, JSON-lines file — src/destination), or another declared function, which is
 * then invoked asynchronously with the record as its event, as on AWS. One target per destination string, built on
 * first use and reused.
 */
import { finishMessage } from '../../config/echo.js';
import { randomUUID } from 'node:crypto';
import { parseAsyncDestination } from '../../config/async-destination.js';
import { sqsUrlFromArn } from '../../config/aws-resources.js';
import type { OnFailureDestinationConfig } from '../../config/types.js';
import type { DestinationRef } from '../../config/destination-string.js';
import { createDestination } from '../../destination/create-destination.js';
import type { OnFailureDestination } from '../../destination/types.js';
import { TributaryError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { RecordTarget } from '../../pipeline/execute/async-executor.js';

/** Queues an event for a function (Invoke with InvocationType Event, without the API). */
export type EnqueueEvent = (functionName: string, requestId: string, payload: string, signal: AbortSignal) => Promise<void>;

/** The config of a delivery destination (the one src/destination builds from). */
export function deliveryConfig(ref: DestinationRef): OnFailureDestinationConfig {
  switch (ref.kind) {
    case 'file':
      return { type: 'file', path: ref.path };
    case 'kafka':
      // Validation requires the brokers for an asynchronous destination (async-destination.ts).
      return ref.bootstrapServers === null ? { type: 'kafka', topic: ref.topic } : { type: 'kafka', topic: ref.topic, bootstrapServers: ref.bootstrapServers };
    case 'sqs': {
      const queueUrl = ref.queueUrl ?? sqsUrlFromArn(ref.queueArn ?? '', null) ?? ref.queueArn ?? '';
      return { type: 'sqs', queueUrl, queueArn: ref.queueArn, region: null };
    }
    case 's3':
    case 'sns':
      // Refused by validation (async-destination.ts).
      throw new TributaryError('INTERNAL', `an asynchronous ${ref.kind} destination passed validation`);
  }
}

export class RecordTargets {
  readonly #targets = new Map<string, RecordTarget>();
  readonly #closable: OnFailureDestination[] = [];
  readonly #enqueue: EnqueueEvent;
  readonly #logger: Logger;

  constructor(enqueue: EnqueueEvent, logger: Logger) {
    this.#enqueue = enqueue;
    this.#logger = logger;
  }

  /** The target of `destination` (validated with the config or by the API). */
  get(destination: string): RecordTarget {
    let target = this.#targets.get(destination);
    if (target === undefined) {
      target = this.#build(destination);
      this.#targets.set(destination, target);
    }
    return target;
  }

  async close(): Promise<void> {
    await Promise.all(this.#closable.map((destination) => destination.close().catch(() => undefined)));
  }

  #build(destination: string): RecordTarget {
    const parsed = parseAsyncDestination(destination);
    if (!parsed.ok) throw new TributaryError('CONFIG_INVALID', `asynchronous destination ${destination} ${finishMessage(parsed.message, false)}`);
    if (parsed.kind === 'function') {
      const name = parsed.functionName;
      return {
        target: destination,
        deliver: async (records, signal) => {
          // Each record is a new event of the destination function, with a request id of its own.
          for (const record of records) await this.#enqueue(name, randomUUID(), JSON.stringify(record), signal);
        },
      };
    }
    const config = deliveryConfig(parsed.ref);
    const built = createDestination(config, { source: { type: 'async-queue', path: '', queue: '', maxPollers: 1 }, logger: this.#logger });
    this.#closable.push(built);
    return { target: built.target, deliver: (records, signal) => built.deliver(records, signal) };
  }
}
