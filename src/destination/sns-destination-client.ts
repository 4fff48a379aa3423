/**
 * The only file of src/destination that imports the SNS SDK; `sns-destination.ts` loads it lazily. SDK errors become
 * `DESTINATION_FAILED` TributaryErrors.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { destinationClientOptions, type AwsDestinationEndpoint } from './aws-destination-endpoint.js';
import { sdkDestinationError } from './destination-errors.js';

/** One Publish; what the destination needs from SNS. */
export interface SnsPublishApi {
  publish(topicArn: string, message: string, signal: AbortSignal): Promise<void>;
  close(): void;
}

const NO_TOPIC = { names: new Set(['NotFoundException', 'NotFound']), says: 'the topic does not exist' };

export function createSnsPublishApi(options: AwsDestinationEndpoint): SnsPublishApi {
  const client = new SNSClient(destinationClientOptions(options));
  return {
    async publish(topicArn, message, signal) {
      try {
        await client.send(new PublishCommand({ TopicArn: topicArn, Message: message }), { abortSignal: signal });
      } catch (error) {
        throw sdkDestinationError(options.target, 'Publish', error, signal, NO_TOPIC);
      }
    },
    close() {
      client.destroy();
    },
  };
}
