/** SQS's CloudFormation import (src/connector/source-import.ts): the queue by its ARN, `${<QUEUE>_ARN:-…}` when CloudFormation names it. */
import { endpointEntry, envName, nameEntry, origin, scalar, type OutEntry, type SourceImport } from '../../src/connector/import-kit.js';

export const sqsImport: SourceImport = {
  resourceTypes: ['AWS::SQS::Queue'],
  fromArn(esm, session, arn, resource) {
    const env = envName(resource?.id ?? 'queue', 'QUEUE', 'ARN');
    const entries: OutEntry[] = [
      { key: 'type', value: scalar('sqs') },
      nameEntry('queueArn', arn, env, "queue's ARN", session, arn, origin(esm, arn, resource)),
      endpointEntry('SQS_ENDPOINT'),
    ];
    return { type: 'sqs', source: { kind: 'map', entries }, consumed: ['EventSourceArn'] };
  },
};
