/**
 * An S3 bucket (`arn:aws:s3:::bucket`) as on-failure destination, for stream and Kafka sources [API-OF, reference
 * §3.6]: each on-failure record — the invocation record with the discarded records' event as `payload` — is one
 * object whose body is the record's JSON (`Content-Type: application/json`), at AWS's key layout
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>` (./s3-object-key.ts).
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html
 *
 * A record keeps its random UUID across retries of the same delivery, so a retried PutObject overwrites the object
 * instead of leaving a duplicate. S3 takes objects up to 5 GB in one PutObject, far above any invocation record, so
 * nothing is ever dropped for its size. Permissions AWS needs for it: s3:PutObject (and s3:ListBucket).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import { resolveRegion } from '../connector/aws-client-options.js';
import { InFlightDeliveries } from './in-flight.js';
import { LazyClient } from './lazy-client.js';
import { recordJson } from './record-json.js';
import type { S3PutApi } from './s3-destination-client.js';
import { s3ObjectKey } from './s3-object-key.js';
import type { OnFailureDestination } from './types.js';

export interface S3DestinationOptions {
  readonly bucket: string;
  readonly bucketArn: string;
  /** The pipeline's event source mapping UUID (the `<ESM-UUID>` of the keys). */
  readonly mappingUuid: string;
  /** null → AWS_REGION, AWS_DEFAULT_REGION, else us-east-1 (S3 redirects to the bucket's region). */
  readonly region: string | null;
  readonly endpoint: string | null;
  readonly logger: Logger;
  /** The S3 adapter; default: the SDK one, loaded on first delivery. */
  readonly api?: () => Promise<S3PutApi>;
  /** Injected so tests are exact. */
  readonly randomUuid?: () => string;
  readonly now?: () => number;
}

/** Writes records as objects of one bucket. */
export class S3Destination implements OnFailureDestination {
  readonly kind = 's3' as const;
  readonly target: string;
  readonly #options: S3DestinationOptions;
  readonly #deliveries: InFlightDeliveries;
  readonly #api: LazyClient<S3PutApi>;
  readonly #randomUuid: () => string;
  readonly #now: () => number;
  /** The key each record got on its first attempt (kept while the record object lives). */
  readonly #keys = new WeakMap<object, string>();

  constructor(options: S3DestinationOptions) {
    this.target = options.bucketArn;
    this.#options = options;
    this.#deliveries = new InFlightDeliveries(this.target);
    this.#randomUuid = options.randomUuid ?? randomUUID;
    this.#now = options.now ?? Date.now;
    const endpoint = { target: this.target, region: resolveRegion(options.region, null), endpoint: options.endpoint };
    this.#api = new LazyClient(
      this.target,
      'the S3 client',
      options.api ??
        (async () => {
          const { createS3PutApi } = await import('./s3-destination-client.js');
          return createS3PutApi(endpoint);
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
    // Serialise and name every record before storing any: a record that cannot be written fails the call up front.
    const objects = records.map((record, index) => ({ key: this.#keyOf(record), body: recordJson(this.target, record, index) }));
    const api = await this.#api.get();
    for (const { key, body } of objects) await api.put(this.#options.bucket, key, body, signal);
    this.#options.logger.debug({ destination: this.target, records: records.length, keys: objects.map((o) => o.key) }, 'on-failure records stored in S3');
  }

  #keyOf(record: object): string {
    const known = this.#keys.get(record);
    if (known !== undefined) return known;
    const key = s3ObjectKey(this.target, record, this.#options.mappingUuid, this.#randomUuid(), this.#now());
    this.#keys.set(record, key);
    return key;
  }
}
