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
