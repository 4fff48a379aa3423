/**
 * Kafka SASL options (kafkajs's shape) from a source config, shared by the Kafka source and the Kafka on-failure
 * destination: PLAIN and SCRAM with the configured credentials, and Amazon MSK IAM access control: kafkajs's OAUTHBEARER mechanism with a token from AWS's own signer,
 * `aws-msk-iam-sasl-signer-js` (a presigned `kafka-cluster:Connect` request, signed with the standard AWS
 * credential chain). https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html
 * The signer is loaded only when a pipeline uses `mechanism: aws-iam`. Shared by the Kafka source and the Kafka
 * on-failure destination.
 */
import { readFileSync } from 'node:fs';
import type { KafkaSourceConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import { resolveRegion } from './aws-client-options.js';

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
  const sasl = config.sasl;
  if (sasl === null) return undefined;
  if (sasl.mechanism === 'aws-iam') return mskIamSasl(config.clusterArn);
  return { mechanism: sasl.mechanism, username: sasl.username ?? '', password: sasl.password ?? '' };
}

/** kafkajs's `ssl` option: Node TLS options (the parts Tributary sets) or `true` (system CAs, verified). */
export interface KafkaTlsOptions {
  readonly ca?: string[];
  readonly rejectUnauthorized: boolean;
}

/**
 * The TLS options for a Kafka source config: undefined without TLS, `true` for TLS with the system CAs, and
 * `{ ca, rejectUnauthorized }` with `ssl.caCertificate` / `ssl.rejectUnauthorized: false`. The CA file is read
 * here, when the client is built (it may be mounted after the config was validated); an unreadable file is
 * CONFIG_INVALID naming the path (never the contents).
 */
export function kafkaSslOptions(
  config: Pick<KafkaSourceConfig, 'ssl' | 'sslCaFile' | 'sslRejectUnauthorized'>,
): KafkaTlsOptions | true | undefined {
  if (!config.ssl) return undefined;
  const caFile = config.sslCaFile ?? null;
  const rejectUnauthorized = config.sslRejectUnauthorized ?? true;
  if (caFile === null) return rejectUnauthorized ? true : { rejectUnauthorized };
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TributaryError('CONFIG_INVALID', `kafka source: ssl.caCertificate ${caFile} cannot be read (${reason})`, { cause: error });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new TributaryError('CONFIG_INVALID', `kafka source: ssl.caCertificate ${caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return { ca: [pem], rejectUnauthorized };
}
