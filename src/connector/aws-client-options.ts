/**
 * The AWS SDK client options every AWS-backed part shares (connectors, destinations, the lease table):
 * region, an explicit endpoint for emulators, and — only for an explicit endpoint with no credentials in the
 * environment — dummy credentials, because emulators accept any key but the SDK refuses to sign without one.
 * Alphanumeric, since DynamoDB Local rejects other access key ids. Never used against real AWS endpoints.
 */

export interface AwsEndpointOptions {
  readonly region: string;
  readonly endpoint: string | null;
}

export interface AwsClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** True when the environment names credentials the SDK's default chain would find. */
export function hasCredentialsInEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return (
    env['AWS_ACCESS_KEY_ID'] !== undefined ||
    env['AWS_PROFILE'] !== undefined ||
    env['AWS_WEB_IDENTITY_TOKEN_FILE'] !== undefined ||
    env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] !== undefined ||
    env['AWS_CONTAINER_CREDENTIALS_FULL_URI'] !== undefined
  );
}

export const EMULATOR_CREDENTIALS = { accessKeyId: 'tributaryLocal', secretAccessKey: 'tributaryLocal' } as const;

export function awsClientOptions(options: AwsEndpointOptions, env: Readonly<Record<string, string | undefined>> = process.env): AwsClientOptions {
  if (options.endpoint === null) return { region: options.region };
  return {
    region: options.region,
    endpoint: options.endpoint,
    ...(hasCredentialsInEnvironment(env) ? {} : { credentials: EMULATOR_CREDENTIALS }),
  };
}

/** The region a client needs: the configured one, else the ARN's, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
export function resolveRegion(configured: string | null, arn: string | null, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromArn = arn?.split(':')[3];
  return configured ?? (fromArn !== undefined && fromArn !== '' ? fromArn : undefined) ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
}
