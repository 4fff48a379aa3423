/** Types of the campaign's Lambda handler (chaos-handler.mjs), for the unit test that imports it. */
export declare const handler: (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: unknown }[] }>;
