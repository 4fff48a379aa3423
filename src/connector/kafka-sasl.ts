/**
 * Kafka SASL options (kafkajs's shape) from a source config, shared by the Kafka source and the Kafka on-failure
 * destination: PLAIN and SCRAM with the configured credentials, and Amazon MSK IAM access control: kafkajs's OAUTHBEARER mechanism with a token from AWS's own signer,
 * `aws-msk-iam-sasl-signer-js` (a presigned `kafka-cluster:Connect` request, signed with the standard AWS
 * credential chain). https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html
 * The signer is loaded only when a pipeline uses `mechanism: aws-iam`. Shared by the Kafka source and the Kafka
 * on-failure destination.
 */
import type { KafkaSourceConfig } from '../config/types.js';
import { resolveRegion } from './aws-client-options.js';
import { SecretJson } from './secret-json.js';
import type { SecretStringFetcher } from './secrets-manager-client.js';

/** kafkajs's OAUTHBEARER SASL options (declared here so src/connector stays free of client libraries). */
export interface OauthBearerSasl {
  readonly mechanism: 'oauthbearer';
  readonly oauthBearerProvider: () => Promise<{ value: string }>;
}

/** The region to sign for: the cluster ARN's, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
export function mskRegion(clusterArn: string | null, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return resolveRegion(null, clusterArn, env);
}

/** A fresh token on every (re)authentication: tokens expire after 15 minutes. */
export async function mskIamToken(region: string): Promise<{ value: string }> {
  const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
  const { token } = await generateAuthToken({ region });
  return { value: token };
}

export function mskIamSasl(clusterArn: string | null): OauthBearerSasl {
  const region = mskRegion(clusterArn);
  return { mechanism: 'oauthbearer', oauthBearerProvider: () => mskIamToken(region) };
}

/** kafkajs's PLAIN / SCRAM SASL options. */
export interface PasswordSasl {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

export type KafkaSasl = PasswordSasl | OauthBearerSasl;

/** The SASL options for a Kafka source config; undefined without `sasl`. */
export function kafkaSaslOptions(config: Pick<KafkaSourceConfig, 'sasl' | 'clusterArn'>): KafkaSasl | undefined {
  return kafkaSaslSetup(config).sasl;
}

/** SASL options and, for `sasl.secretArn`, the secret they read the username and password from. */
export interface KafkaSaslSetup {
  readonly sasl: KafkaSasl | undefined;
  /** Resolve it before connecting; refresh it after the brokers refused the credentials. Null: nothing to resolve. */
  readonly secret: SecretJson | null;
}

/**
 * With `sasl.secretArn` (AWS's BASIC_AUTH → PLAIN, SASL_SCRAM_256_AUTH / SASL_SCRAM_512_AUTH → SCRAM, whose secret
 * holds `username` and `password`), the options read them from the secret at every authentication (getters: kafkajs
 * reads `sasl.username` / `sasl.password` each time a connection authenticates), so a refreshed secret applies to
 * the next connection. https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html
 */
export function kafkaSaslSetup(config: Pick<KafkaSourceConfig, 'sasl' | 'clusterArn'>, fetch?: SecretStringFetcher): KafkaSaslSetup {
  const sasl = config.sasl;
  if (sasl === null) return { sasl: undefined, secret: null };
  if (sasl.mechanism === 'aws-iam') return { sasl: mskIamSasl(config.clusterArn), secret: null };
  const secretArn = sasl.secretArn ?? null;
  if (secretArn === null) return { sasl: { mechanism: sasl.mechanism, username: sasl.username ?? '', password: sasl.password ?? '' }, secret: null };
  const secret = new SecretJson(secretArn, fetch);
  const fromSecret: PasswordSasl = {
    mechanism: sasl.mechanism,
    get username() {
      return secret.field('username');
    },
    get password() {
      return secret.field('password');
    },
  };
  return { sasl: fromSecret, secret };
}

export { kafkaSslOptions, type KafkaTlsConfig, type KafkaTlsOptions } from './kafka-tls.js';
