/** DynamoDB Streams' CloudFormation import (src/connector/source-import.ts): a table of the template by name, else the stream ARN. */
import { endpointEntry, namedOrArn, scalar, type OutEntry, type SourceImport } from '../../src/connector/import-kit.js';

export const dynamoDbStreamsImport: SourceImport = {
  resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  fromArn(esm, session, arn, resource) {
    if (resource !== undefined && resource.properties['StreamSpecification'] === undefined && resource.type === 'AWS::DynamoDB::Table') {
      session.notes.add('action', esm.scope.template.locate(['Resources', resource.id]), `${esm.id}: table ${resource.id} has no StreamSpecification; enable a stream on it`);
    }
    const entries: OutEntry[] = [{ key: 'type', value: scalar('dynamodb-streams') }, ...namedOrArn(esm, session, arn, resource, 'tableName', 'table'), endpointEntry('DDB_ENDPOINT')];
    return { type: 'dynamodb-streams', source: { kind: 'map', entries }, consumed: ['EventSourceArn'] };
  },
};
