/**
 * An SNS standard topic as on-failure destination, for stream and Kafka sources [API-OF, reference §3.6]: each
 * on-failure record is one message, the record's JSON (AWS's invocation record: metadata only, no payload).
 *
 * "Amazon SNS destinations have a message size limit of 256 KB" (https://docs.aws.amazon.com/lambda/latest/api/API_OnFailure.html):
 * a record over 262,144 bytes is not published but dropped, as AWS drops it and counts it in
 * DestinationDeliveryFailures (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). Retrying
 * it could never succeed, and holding the shard for it would block every record behind it, so the delivery resolves
 * and `deliverAndReport` names the dropped records for the executor's metrics. SNS FIFO topics are refused by the
 * configuration, as on AWS. Permissions AWS needs for it: sns:Publish.
 */
import type { Logger } from '../observability/logger.js';
import { InFlightDeliveries } from './in-flight.js';
import { LazyClient } from './lazy-client.js';
import { recordJson } from './record-json.js';
import type { SnsPublishApi } from './sns-destination-client.js';
import type { DeliveryReport, DroppedRecord, OnFailureDestination } from './types.js';

/** SNS's message size limit, in UTF-8 bytes: 256 KiB. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

export interface SnsDestinationOptions {
  readonly topicArn: string;
  /** The topic ARN's region. */
  readonly region: string;
  readonly endpoint: string | null;
  readonly logger: Logger;
  /** The SNS adapter; default: the SDK one, loaded on first delivery. */
  readonly api?: () => Promise<SnsPublishApi>;
}

/** The messages to publish, in record order, and the records too large for SNS. Pure. */
export function planSnsMessages(bodies: readonly string[]): { readonly messages: readonly string[]; readonly dropped: readonly DroppedRecord[] } {
  const messages: string[] = [];
  const dropped: DroppedRecord[] = [];
  bodies.forEach((body, index) => {
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > SNS_MAX_MESSAGE_BYTES) dropped.push({ index, reason: `the record is ${bytes} bytes as JSON; an SNS message holds at most ${SNS_MAX_MESSAGE_BYTES} bytes (256 KB)` });
    else messages.push(body);
  });
  return { messages, dropped };
}

const NOTHING_DROPPED: DeliveryReport = { dropped: [] };

/** Publishes records to an SNS topic. */
export class SnsDestination implements OnFailureDestination {
  readonly kind = 'sns' as const;
  readonly target: string;
  readonly #logger: Logger;
  readonly #deliveries: InFlightDeliveries;
  readonly #api: LazyClient<SnsPublishApi>;

  constructor(options: SnsDestinationOptions) {
    this.target = options.topicArn;
    this.#logger = options.logger;
    this.#deliveries = new InFlightDeliveries(this.target);
    const endpoint = { target: this.target, region: options.region, endpoint: options.endpoint };
    this.#api = new LazyClient(
      this.target,
      'the SNS client',
      options.api ??
        (async () => {
          const { createSnsPublishApi } = await import('./sns-destination-client.js');
          return createSnsPublishApi(endpoint);
        }),
    );
  }

  async deliver(records: readonly object[], signal: AbortSignal): Promise<void> {
    await this.deliverAndReport(records, signal);
  }

  async deliverAndReport(records: readonly object[], signal: AbortSignal): Promise<DeliveryReport> {
    let report = NOTHING_DROPPED;
    await this.#deliveries.run(records, signal, async () => {
      report = await this.#deliver(records, signal);
    });
    return report;
  }

  async close(): Promise<void> {
    if (await this.#deliveries.close()) await this.#api.close();
  }

  async #deliver(records: readonly object[], signal: AbortSignal): Promise<DeliveryReport> {
    const plan = planSnsMessages(records.map((record, index) => recordJson(this.target, record, index)));
    for (const drop of plan.dropped) {
      this.#logger.warn({ destination: this.target, record: drop.index, reason: drop.reason }, 'on-failure record dropped: too large for SNS (DestinationDeliveryFailures)');
    }
    if (plan.messages.length > 0) {
      const api = await this.#api.get();
      for (const message of plan.messages) await api.publish(this.target, message, signal);
    }
    this.#logger.debug({ destination: this.target, published: plan.messages.length, dropped: plan.dropped.length }, 'on-failure records published to SNS');
    return { dropped: plan.dropped };
  }
}
