/**
 * `kafka://topic`: a topic of the pipeline's own Kafka cluster as on-failure destination [KF-OFD, reference §3.6];
 * `kafka://<brokers>/<topic>`: a topic of the named cluster, in plaintext (any source but SQS).
 * Each record is one message whose value is the record's JSON; a record tagged with `withRecordKey` is produced with
 * that key (AWS keeps the failed record's original key), one without a key goes round-robin (kafkajs's default
 * partitioner, like AWS). Produced with `acks: -1` (all in-sync replicas), so a resolved `deliver` is durable as far
 * as the topic's `min.insync.replicas` makes it. The producer connects on the first delivery; kafkajs is loaded only
 * then, so pipelines without a Kafka destination never load it. Topics are never auto-created.
 */
import type { Message, Producer, SASLOptions } from 'kafkajs';
import type { Logger } from '../observability/logger.js';
import { InFlightDeliveries } from './in-flight.js';
import { asDestinationError, destinationFailed, raceAbort } from './destination-errors.js';
import { kafkaClientConfig, type KafkaCluster } from './kafka-client-config.js';
import { kafkaSaslSetup, type KafkaSaslSetup } from '../connector/kafka-sasl.js';
import { authenticatedConnect, type AuthenticatedConnect } from '../connector/secret-connect.js';
import { recordJson } from './record-json.js';
import { recordKeyOf } from './record-key.js';
import type { OnFailureDestination } from './types.js';

/** kafkajs protocol errors that resending the same messages cannot fix. */
const PERMANENT_KAFKA_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

export interface KafkaDestinationOptions {
  readonly topic: string;
  /** The cluster: the pipeline's Kafka source (brokers, TLS and SASL) or `plaintextCluster(brokers)`. */
  readonly source: KafkaCluster;
  /** The destination's name in logs and errors (default `kafka://<topic>`). */
  readonly target?: string;
  readonly logger: Logger;
  /** kafkajs retries when connecting and producing (default 5). */
  readonly retries?: number;
  /** kafkajs client id (default `tributary-on-failure`). */
  readonly clientId?: string;
}

/** Produces records to a Kafka topic. */
export class KafkaDestination implements OnFailureDestination {
  readonly kind = 'kafka' as const;
  readonly target: string;
  readonly #topic: string;
  readonly #options: KafkaDestinationOptions;
  readonly #logger: Logger;
  readonly #deliveries: InFlightDeliveries;
  readonly #sasl: KafkaSaslSetup;
  readonly #authenticated: AuthenticatedConnect;
  #producer: Promise<Producer> | null = null;

  constructor(options: KafkaDestinationOptions) {
    this.target = options.target ?? `kafka://${options.topic}`;
    this.#deliveries = new InFlightDeliveries(this.target);
    this.#topic = options.topic;
    this.#options = options;
    this.#logger = options.logger;
    // Check the SASL settings when the pipeline is built, not at the first failure. With `sasl.secretArn` the
    // credentials come from Secrets Manager when the producer connects (and again if the brokers refuse them).
    this.#sasl = kafkaSaslSetup(options.source);
    this.#authenticated = authenticatedConnect(this.#sasl.secret, this.#logger, isSaslRefusal);
  }

  deliver(records: readonly object[], signal: AbortSignal): Promise<void> {
    return this.#deliveries.run(records, signal, () => this.#deliver(records, signal));
  }

  async close(): Promise<void> {
    if (!(await this.#deliveries.close())) return;
    const producer = await this.#producer?.catch(() => null);
    this.#producer = null;
    await producer?.disconnect().catch((error: unknown) => {
      this.#logger.warn({ destination: this.target, err: error }, 'disconnecting the Kafka destination producer failed');
    });
  }

  async #deliver(records: readonly object[], signal: AbortSignal): Promise<void> {
    const messages: Message[] = records.map((record, index) => ({ key: recordKeyOf(record), value: recordJson(this.target, record, index) }));
    const producer = await raceAbort(this.target, this.#connected(signal), signal);
    try {
      await raceAbort(this.target, producer.send({ topic: this.#topic, messages, acks: -1 }), signal);
    } catch (error) {
      throw this.#sendError(error);
    }
    this.#logger.debug({ destination: this.target, records: records.length }, 'on-failure records produced');
  }

  /** The connected producer; a failed connection is forgotten so the next delivery tries again. */
  #connected(signal: AbortSignal): Promise<Producer> {
    if (this.#producer !== null) return this.#producer;
    const connecting = this.#connect(signal);
    this.#producer = connecting;
    connecting.catch(() => {
      if (this.#producer === connecting) this.#producer = null;
    });
    return connecting;
  }

  async #connect(signal: AbortSignal): Promise<Producer> {
    let producer: Producer | null = null;
    try {
      const { Kafka, Partitioners } = await import('kafkajs');
      const settings = { clientId: this.#options.clientId ?? 'tributary-on-failure', retries: this.#options.retries ?? 5 };
      const config = kafkaClientConfig(this.#options.source, this.target, this.#logger, settings, this.#sasl.sasl as SASLOptions | undefined);
      const created = new Kafka(config).producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      producer = created;
      await this.#authenticated(() => created.connect(), signal);
      return created;
    } catch (error) {
      await producer?.disconnect().catch(() => undefined);
      throw asDestinationError(this.target, 'connecting to Kafka', error);
    }
  }

  #sendError(error: unknown): Error {
    const type = kafkaErrorType(error);
    if (type !== null && PERMANENT_KAFKA_ERRORS.has(type)) {
      return destinationFailed(this.target, `the broker refused the records (${type})`, { retryable: false, cause: error });
    }
    return asDestinationError(this.target, 'producing', error);
  }
}

/** The protocol error type (`MESSAGE_TOO_LARGE`, …) of a kafkajs error or of one of its causes. */
function kafkaErrorType(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const type: unknown = (current as Error & { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return null;
}

/** kafkajs refused the SASL credentials. */
function isSaslRefusal(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current.name === 'KafkaJSSASLAuthenticationError') return true;
  }
  return false;
}
