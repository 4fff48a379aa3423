// An ordinary Lambda handler for Kafka: unchanged on AWS Lambda and under Tributary.
// Reports the first record it could not handle ({partition, offset}, as Lambda runtimes do).
export const handler = async (event) => {
  for (const [partition, records] of Object.entries(event.records)) {
    for (const record of records) {
      const value = JSON.parse(Buffer.from(record.value, 'base64').toString('utf8'));
      if (typeof value.amount !== 'number') {
        return { batchItemFailures: [{ itemIdentifier: { partition, offset: record.offset } }] };
      }
    }
  }
  return { batchItemFailures: [] };
};
