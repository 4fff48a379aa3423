/**
 * Client settings of the S3 and SNS destinations: the region, the endpoint (`onFailure.endpoint`, else the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL, else AWS) and, for an explicit endpoint without credentials in the
 * environment, the emulator credentials every AWS part of Tributary uses (src/connector/aws-client-options.ts).
 */
import { awsClientOptions, type AwsClientOptions } from '../connector/aws-client-options.js';

export interface AwsDestinationEndpoint {
  /** Shown in error messages (topic or bucket ARN). */
  readonly target: string;
  readonly region: string;
  /** `onFailure.endpoint`; null → the SDK's endpoint resolution. */
  readonly endpoint: string | null;
}

/** The SDK client options, with few retries: the executor retries a failed delivery with its own back-off. */
export function destinationClientOptions(options: AwsDestinationEndpoint): AwsClientOptions & { readonly maxAttempts: number } {
  return { ...awsClientOptions(options), maxAttempts: 3 };
}

/**
 * True when requests go to a non-AWS endpoint: S3 must then address buckets by path (`http://host/bucket/key`), since
 * an emulator on 127.0.0.1 has no `<bucket>.<host>` names.
 */
export function customS3Endpoint(endpoint: string | null, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return endpoint !== null || (env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'] ?? '') !== '';
}
