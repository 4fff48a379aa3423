/** AWS SDK clients on a moto server, and the small steps the destination tests take with them. */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { RunningMoto } from '../../services/moto.ts';

export interface MotoClients {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  destroy(): void;
}

export function motoClients(moto: RunningMoto): MotoClients {
  const options = { region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials };
  const s3 = new S3Client({ ...options, forcePathStyle: true });
  const sns = new SNSClient(options);
  const sqs = new SQSClient(options);
  return { s3, sns, sqs, destroy: () => [s3, sns, sqs].forEach((c) => c.destroy()) };
}

export async function createBucket(clients: MotoClients, bucket: string): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Every object of the bucket under `prefix`: key, body and content type, read back with GetObject. */
export async function readObjects(clients: MotoClients, bucket: string, prefix = ''): Promise<{ key: string; body: string; contentType: string | undefined }[]> {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) => {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      return { key: Key ?? '', body: (await object.Body?.transformToString('utf8')) ?? '', contentType: object.ContentType };
    }),
  );
}

/** A topic with an SQS queue subscribed to it (moto delivers SNS → SQS itself); returns the topic ARN and queue URL. */
export async function topicWithQueue(clients: MotoClients, name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-q` }));
  const attributes = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  if (TopicArn === undefined || QueueUrl === undefined) throw new Error('moto created no topic or queue');
  await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attributes.Attributes?.['QueueArn'] }));
  return { topicArn: TopicArn, queueUrl: QueueUrl };
}

/** The SNS messages that reached the queue (the `Message` of each SNS notification envelope). */
export async function receiveSnsMessages(clients: MotoClients, queueUrl: string): Promise<string[]> {
  const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  return (Messages ?? []).map((m) => (JSON.parse(m.Body ?? '{}') as { Message: string }).Message);
}

/**
 * Points the SDK's default clients at moto for `services` (e.g. `SECRETS_MANAGER`, `GLUE`) through its own
 * AWS_ENDPOINT_URL_<SERVICE> variables — as an operator would — with moto's credentials. Returns the undo.
 */
export function useMotoEndpoints(moto: RunningMoto, services: readonly string[]): () => void {
  const values: Record<string, string> = {
    ...Object.fromEntries(services.map((service) => [`AWS_ENDPOINT_URL_${service}`, moto.endpoint])),
    AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
  };
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
