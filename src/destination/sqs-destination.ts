/**
 * An SQS standard queue as on-failure destination (DESIGN §3.4, reference §3.6): each record is one message whose
 * body is the record's JSON, sent with SendMessageBatch. FIFO queues are refused, as on AWS [API-OF].
 *
 * Entries SQS reports as Failed are resent (only those) a few times with back-off; if some still fail, `deliver`
 * rejects and the caller settles nothing, so the messages already sent are sent again on the retry (at-least-once).
 * Endpoint: an AWS queue URL uses the SDK's endpoint for the region; any other URL (ElasticMQ, LocalStack, a VPC
 * endpoint) is itself the endpoint, and then, as in the SQS connector, dummy credentials are used when the
 * environment has none.
 */
import { InFlightDeliveries } from './in-flight.js';
import { LazyClient } from './lazy-client.js';
import { parseSqsQueueUrl } from '../config/aws-resources.js';
import { TributaryError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { sleep as abortableSleep } from '../connector/kit/sleep.js';
import { backoffDelayMs, type BackoffOptions } from '../policy/backoff.js';
import { destinationFailed, throwIfAborted } from './destination-errors.js';
import { recordJson } from './record-json.js';
import { SQS_MAX_MESSAGE_BYTES, planSqsBatches, sqsBody, type SqsEntry, type SqsEntryFailure, type SqsSendApi } from './sqs-batches.js';
import type { OnFailureDestination } from './types.js';

/** Attempts per entry (the first send plus retries of the entries SQS reported as Failed). */
export const SQS_ENTRY_ATTEMPTS = 4;
/** Back-off between those attempts: about 100 ms, 200 ms, 400 ms. */
export const SQS_ENTRY_BACKOFF: BackoffOptions = { baseMs: 100, maxMs: 2_000 };

export interface SqsDestinationOptions {
  readonly queueUrl: string;
  readonly queueArn: string | null;
  /** `null` → AWS_REGION, AWS_DEFAULT_REGION, else us-east-1 (as the SQS connector). */
  readonly region: string | null;
  readonly logger: Logger;
  /** The SQS adapter; default: the SDK one, loaded on first delivery. Tests inject their own. */
  readonly api?: () => Promise<SqsSendApi>;
  readonly maxEntryAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** [0, 1); injected so tests are exact. */
  readonly random?: () => number;
  /** Waits `ms` or until `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The endpoint to configure for `queueUrl`: null for an AWS SQS host, else the URL's origin. */
export function sqsEndpointFor(queueUrl: string): string | null {
  const ref = parseSqsQueueUrl(queueUrl);
  if (ref === null || ref.region !== null) return null;
  return new URL(queueUrl).origin;
}

/** Sends records to an SQS standard queue. */
export class SqsDestination implements OnFailureDestination {
  readonly kind = 'sqs' as const;
  readonly target: string;
  readonly #queueUrl: string;
  readonly #logger: Logger;
  readonly #api: LazyClient<SqsSendApi>;
  readonly #maxAttempts: number;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #deliveries: InFlightDeliveries;

  constructor(options: SqsDestinationOptions) {
    this.target = options.queueArn ?? options.queueUrl;
    this.#deliveries = new InFlightDeliveries(this.target);
    if (parseSqsQueueUrl(options.queueUrl)?.name.endsWith('.fifo') === true) {
      throw new TributaryError('CONFIG_INVALID', `on-failure destination ${this.target}: FIFO queues are not supported as on-failure destinations, as on AWS`);
    }
    this.#queueUrl = options.queueUrl;
    this.#logger = options.logger;
    this.#maxAttempts = Math.max(1, options.maxEntryAttempts ?? SQS_ENTRY_ATTEMPTS);
    this.#backoff = options.backoff ?? SQS_ENTRY_BACKOFF;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? abortableSleep;
    const region = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    const endpoint = sqsEndpointFor(options.queueUrl);
    const target = this.target;
    this.#api = new LazyClient(
      target,
      'the SQS client',
      options.api ??
        (async () => {
          const { createSqsSendApi } = await import('./sqs-destination-client.js');
          return createSqsSendApi({ target, region, endpoint });
        }),
    );
  }

  deliver(records: readonly object[], signal: AbortSignal): Promise<void> {
    return this.#deliveries.run(records, signal, () => this.#deliver(records, signal));
  }

  async close(): Promise<void> {
    if (await this.#deliveries.close()) await this.#api.close();
  }

  async #deliver(records: readonly object[], signal: AbortSignal): Promise<void> {
    // Check every record before sending any: a record SQS can never take must not leave the others half-sent.
    const plan = planSqsBatches(records.map((record, index) => sqsBody(recordJson(this.target, record, index))));
    if (!plan.ok) {
      throw destinationFailed(
        this.target,
        `record ${plan.index} is ${plan.bytes} bytes as JSON; an SQS message holds at most ${SQS_MAX_MESSAGE_BYTES} bytes (1 MiB)`,
        { retryable: false },
      );
    }
    const api = await this.#api.get();
    for (const batch of plan.batches) await this.#sendBatch(api, batch, signal);
    this.#logger.debug({ destination: this.target, records: records.length, requests: plan.batches.length }, 'on-failure records sent');
  }

  async #sendBatch(api: SqsSendApi, batch: readonly SqsEntry[], signal: AbortSignal): Promise<void> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(this.target, signal);
      const failures = await api.sendBatch(this.#queueUrl, pending, signal);
      if (failures.length === 0) return;
      const failed = new Set(failures.map((failure) => failure.id));
      pending = pending.filter((entry) => failed.has(entry.id));
      const senderFault = failures.some((failure) => failure.senderFault);
      if (senderFault || attempt >= this.#maxAttempts || pending.length === 0) {
        const tries = senderFault ? '' : ` after ${attempt} attempt(s)`;
        throw destinationFailed(this.target, `SQS refused ${failures.length} of ${batch.length} message(s)${tries}: ${describe(failures)}`);
      }
      const delayMs = backoffDelayMs(attempt, this.#backoff, this.#random);
      this.#logger.warn({ destination: this.target, failed: failures.length, attempt, delayMs, reason: describe(failures) }, 'SQS refused on-failure messages; retrying them');
      await this.#sleep(delayMs, signal);
    }
  }
}

/** `Code: message` of each distinct failure reason, for the error message. */
function describe(failures: readonly SqsEntryFailure[]): string {
  return [...new Set(failures.map((failure) => `${failure.code}: ${failure.message}`))].join('; ');
}
