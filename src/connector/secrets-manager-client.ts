/**
 * The only file that imports the Secrets Manager SDK, loaded lazily by ./secret-json.ts on the first secret a
 * pipeline resolves: GetSecretValue of a secret ARN → its SecretString. The endpoint is the SDK's own resolution
 * (AWS, or AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL for an emulator); the region is the ARN's.
 * Errors name the secret ARN and the SDK's error name, never the value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TributaryError } from '../errors.js';
import { sdkErrorFacts } from './kit/sdk-error.js';

/** Refusals a retry does not fix (the secret is gone, or we may not read it). */
const PERMANENT = new Set(['ResourceNotFoundException', 'AccessDeniedException', 'DecryptionFailure', 'InvalidRequestException', 'InvalidParameterException']);

export type SecretStringFetcher = (secretArn: string, signal: AbortSignal) => Promise<string>;

/** A fetcher over one client per region. */
export function secretsManagerFetcher(): SecretStringFetcher {
  const clients = new Map<string, SecretsManagerClient>();
  return async (secretArn, signal) => {
    const region = secretArn.split(':')[3] ?? 'us-east-1';
    let client = clients.get(region);
    if (client === undefined) {
      client = new SecretsManagerClient({ region, maxAttempts: 3 });
      clients.set(region, client);
    }
    let answer;
    try {
      answer = await client.send(new GetSecretValueCommand({ SecretId: secretArn }), { abortSignal: signal });
    } catch (error) {
      const { name, message } = sdkErrorFacts(error);
      if (name === 'AbortError' || signal.aborted) throw new TributaryError('STOPPED', `Secrets Manager GetSecretValue ${secretArn} aborted`, { retryable: true });
      const permanent = PERMANENT.has(name);
      // The SDK's message names the secret and the request, never its value.
      throw new TributaryError(permanent ? 'CONFIG_INVALID' : 'SOURCE_UNAVAILABLE', `Secrets Manager GetSecretValue ${secretArn} failed: ${name}: ${message}`, { retryable: !permanent });
    }
    if (typeof answer.SecretString !== 'string') {
      throw new TributaryError('CONFIG_INVALID', `Secrets Manager secret ${secretArn} has no SecretString (a binary secret cannot hold credentials)`);
    }
    return answer.SecretString;
  };
}
