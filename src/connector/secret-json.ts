/**
 * A JSON secret in AWS Secrets Manager, as AWS's Kafka and schema-registry access configurations use them
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html): BASIC_AUTH and SASL_SCRAM_* secrets hold
 * `{"username": …, "password": …}`. Resolved when a client first connects, and again on an authentication failure
 * (`refresh`), so a rotated secret is picked up without a restart. Values are kept in memory only, never logged and
 * never put in an error message (a malformed secret is described by its keys, not its contents).
 */
import { TributaryError } from '../errors.js';
import type { SecretStringFetcher } from './secrets-manager-client.js';

/** The SDK fetcher, loaded on first use so pipelines without secrets never load the SDK. */
const defaultFetcher: SecretStringFetcher = async (secretArn, signal) => {
  const { secretsManagerFetcher } = await import('./secrets-manager-client.js');
  shared ??= secretsManagerFetcher();
  return shared(secretArn, signal);
};
let shared: SecretStringFetcher | null = null;

function parse(secretArn: string, text: string): Readonly<Record<string, string>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TributaryError('CONFIG_INVALID', `Secrets Manager secret ${secretArn} is not a JSON object`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TributaryError('CONFIG_INVALID', `Secrets Manager secret ${secretArn} is not a JSON object`);
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) if (typeof field === 'string') out[key] = field;
  return out;
}

/** One secret's current value. */
export class SecretJson {
  readonly secretArn: string;
  readonly #fetch: SecretStringFetcher;
  #value: Readonly<Record<string, string>> | null = null;
  #pending: Promise<Readonly<Record<string, string>>> | null = null;

  constructor(secretArn: string, fetch: SecretStringFetcher = defaultFetcher) {
    this.secretArn = secretArn;
    this.#fetch = fetch;
  }

  /** The value, fetched on the first call (concurrent callers share one fetch). */
  async resolve(signal: AbortSignal): Promise<Readonly<Record<string, string>>> {
    return this.#value ?? this.#load(signal);
  }

  /** Fetches the value again; true when it changed (worth retrying an authentication with it). */
  async refresh(signal: AbortSignal): Promise<boolean> {
    const before = this.#value;
    const after = await this.#load(signal, true);
    return before === null || JSON.stringify(before) !== JSON.stringify(after);
  }

  /** The string field `key`, after `resolve`; CONFIG_INVALID naming the key when the secret lacks it. */
  field(key: string): string {
    const value = this.#value;
    if (value === null) throw new TributaryError('INTERNAL', `secret ${this.secretArn} read before it was resolved`);
    const field = value[key];
    if (field === undefined || field === '') {
      throw new TributaryError('CONFIG_INVALID', `Secrets Manager secret ${this.secretArn} has no "${key}" (it has: ${Object.keys(value).join(', ') || 'no string fields'})`);
    }
    return field;
  }

  #load(signal: AbortSignal, force = false): Promise<Readonly<Record<string, string>>> {
    if (this.#pending !== null && !force) return this.#pending;
    const pending = this.#fetch(this.secretArn, signal).then((text) => parse(this.secretArn, text));
    this.#pending = pending;
    return pending.then(
      (value) => {
        this.#value = value;
        return value;
      },
      (error: unknown) => {
        if (this.#pending === pending) this.#pending = null;
        throw error;
      },
    );
  }
}
