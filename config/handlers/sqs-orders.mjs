// An ordinary Lambda handler for SQS: it runs unchanged on AWS Lambda and under Tributary.
// It reports the messages it could not handle, so only those return to the queue.
export const handler = async (event, context) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const order = JSON.parse(record.body);
      if (typeof order.id !== 'string') throw new Error('order without id');
      console.log(JSON.stringify({ requestId: context.awsRequestId, order: order.id, receiveCount: record.attributes.ApproximateReceiveCount }));
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
