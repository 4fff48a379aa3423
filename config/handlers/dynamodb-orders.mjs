// An ordinary Lambda handler for DynamoDB Streams: unchanged on AWS Lambda and under Tributary.
export const handler = async (event) => {
  for (const record of event.Records) {
    const image = record.dynamodb.NewImage;
    if (image === undefined || image.status?.S === 'invalid') {
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};
