/**
 * The only file of src/destination that imports the S3 SDK; `s3-destination.ts` loads it lazily, so pipelines without
 * an S3 destination never load it. SDK errors become `DESTINATION_FAILED` TributaryErrors.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { customS3Endpoint, destinationClientOptions, type AwsDestinationEndpoint } from './aws-destination-endpoint.js';
import { sdkDestinationError } from './destination-errors.js';

/** One PutObject; what the destination needs from S3. */
export interface S3PutApi {
  put(bucket: string, key: string, body: string, signal: AbortSignal): Promise<void>;
  close(): void;
}

const NO_BUCKET = { names: new Set(['NoSuchBucket']), says: 'the bucket does not exist' };

export function createS3PutApi(options: AwsDestinationEndpoint): S3PutApi {
  const client = new S3Client({
    ...destinationClientOptions(options),
    forcePathStyle: customS3Endpoint(options.endpoint),
    // A bucket ARN carries no region: follow S3's redirect to the bucket's own region, as AWS's poller does.
    followRegionRedirects: true,
  });
  return {
    async put(bucket, key, body, signal) {
      try {
        // S3 checks the upload against its MD5 / checksum, so a stored object is the whole record.
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }), { abortSignal: signal });
      } catch (error) {
        throw sdkDestinationError(options.target, 'PutObject', error, signal, NO_BUCKET);
      }
    },
    close() {
      client.destroy();
    },
  };
}
