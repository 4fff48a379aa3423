// An ordinary Lambda handler for Kinesis: it runs unchanged on AWS Lambda and under Tributary.
// It reports the first record it could not handle, so the batch is retried (or bisected) from there.
export const handler = async (event) => {
  for (const record of event.Records) {
    try {
      const order = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
      if (typeof order.id !== 'string') throw new Error('order without id');
    } catch {
      return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
};
