/**
 * Connecting with credentials from AWS Secrets Manager (Kafka `sasl.secretArn`, AWS's BASIC_AUTH /
 * SASL_SCRAM_*_AUTH): the secret is resolved before the first connection, and when the server refuses the
 * credentials it is fetched again — it may have been rotated — and, if it changed, the connection is tried once more
 * with the new value. https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html
 */
import type { Logger } from 'pino';
import type { SecretJson } from './secret-json.js';

/** Runs a client's `connect()` with the credentials resolved. */
export type AuthenticatedConnect = (connect: () => Promise<void>, signal: AbortSignal) => Promise<void>;

/** `refused(error)` tells an authentication refusal (e.g. kafkajs's KafkaJSSASLAuthenticationError) from other failures. */
export function authenticatedConnect(secret: SecretJson | null, logger: Logger, refused: (error: unknown) => boolean): AuthenticatedConnect {
  if (secret === null) return (connect) => connect();
  return async (connect, signal) => {
    await secret.resolve(signal);
    try {
      await connect();
    } catch (error) {
      if (!refused(error) || !(await secret.refresh(signal))) throw error;
      logger.warn({ secretArn: secret.secretArn }, 'the credentials were refused; connecting again with the secret as it is now');
      await connect();
    }
  };
}
