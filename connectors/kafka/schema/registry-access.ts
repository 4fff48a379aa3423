/**
 * The registry's credentials from AWS's access configurations (KafkaSchemaRegistryAccessConfig), each a Secrets
 * Manager secret: BASIC_AUTH `{username, password}`; CLIENT_CERTIFICATE_TLS_AUTH `{certificate, privateKey,
 * privateKeyPassword?}` (PEM); SERVER_ROOT_CA_CERTIFICATE `{certificate}` (PEM), as AWS's Kafka secrets hold them
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html). Resolved when first needed (at start);
 * `refresh` fetches them again after the registry refused a request.
 */
import type { SchemaRegistryAccessConfig } from '../../../src/connector/index.js';
import { SecretJson } from '../../../src/connector/secret-json.js';
import type { SecretStringFetcher } from '../../../src/connector/secrets-manager-client.js';
import type { RegistryTransport } from './registry-http.js';

export class RegistryAccess {
  readonly #secrets: readonly (readonly [SchemaRegistryAccessConfig['type'], SecretJson])[];
  #transport: RegistryTransport | null = null;

  constructor(accessConfigs: readonly SchemaRegistryAccessConfig[], fetch?: SecretStringFetcher) {
    this.#secrets = accessConfigs.map((c) => [c.type, new SecretJson(c.uri, fetch)] as const);
  }

  /** The transport options, resolved once. */
  async transport(signal: AbortSignal): Promise<RegistryTransport> {
    if (this.#transport !== null) return this.#transport;
    const options: { -readonly [K in keyof RegistryTransport]: RegistryTransport[K] } = {};
    for (const [type, secret] of this.#secrets) {
      await secret.resolve(signal);
      if (type === 'BASIC_AUTH') {
        options.authorization = `Basic ${Buffer.from(`${secret.field('username')}:${secret.field('password')}`, 'utf8').toString('base64')}`;
      } else if (type === 'CLIENT_CERTIFICATE_TLS_AUTH') {
        options.cert = secret.field('certificate');
        options.key = secret.field('privateKey');
        const password = (await secret.resolve(signal))['privateKeyPassword'];
        if (password !== undefined && password !== '') options.passphrase = password;
      } else {
        options.ca = secret.field('certificate');
      }
    }
    this.#transport = options;
    return options;
  }

  /** Fetches every secret again; true when one changed (worth repeating the refused request). */
  async refresh(signal: AbortSignal): Promise<boolean> {
    let changed = false;
    for (const [, secret] of this.#secrets) if (await secret.refresh(signal)) changed = true;
    if (changed) this.#transport = null;
    return changed;
  }
}
