/**
 * An event source mapping's `EventSourceArn` (or `SelfManagedEventSource`) → the pipeline's `source:`.
 *
 * - A queue, stream or table defined in the same template is named by what Tributary needs (the queue ARN, the
 *   stream or table name and the region); a literal ARN is kept as an ARN (it may be another account's).
 * - AWS endpoints are `${SQS_ENDPOINT:-}`, `${KINESIS_ENDPOINT:-}`, `${DDB_ENDPOINT:-}` (the names of config/*.yaml):
 *   unset, the file talks to AWS; set, to an emulator.
 * - A name CloudFormation would generate becomes `${<RESOURCE>_…:-<stack>-<LogicalId>}` with a note, since only the
 *   deployed stack knows the random suffix.
 * Each source type's mapping is its connector's (connectors/<x>/import.ts, src/connector/source-import.ts).
 */
import { SOURCE_DESCRIPTORS } from '../connector/source-descriptors.js';
import type { SourceDescriptor } from '../connector/source-descriptor.js';
import type { EsmDefinition } from './esm.js';
import { describeExpression, readValue, referencedResource } from './esm-values.js';
import type { ImportSession } from './session.js';
import { parseArn, type MappedSource } from './source-entries.js';

/** Event sources Lambda has and Tributary does not read: refused with a note. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'AWS::AmazonMQ::Broker': 'Amazon MQ',
  'AWS::DocDB::DBCluster': 'Amazon DocumentDB',
  mq: 'Amazon MQ',
  rds: 'Amazon DocumentDB',
};

const DESCRIPTORS: readonly SourceDescriptor[] = SOURCE_DESCRIPTORS;

/** Map the source of `esm`, or note why it cannot be and return undefined. */
export function mapSource(esm: EsmDefinition, session: ImportSession): MappedSource | undefined {
  const template = esm.scope.template;
  if (esm.samType === 'MQ' || esm.samType === 'DocumentDB') return refuse(esm, session, esm.samType === 'MQ' ? 'Amazon MQ' : 'Amazon DocumentDB');
  const selfManaged = DESCRIPTORS.find((descriptor) => descriptor.cloudFormation.selfManaged !== undefined && esm.properties.has(descriptor.cloudFormation.selfManaged.property));
  if (selfManaged?.cloudFormation.selfManaged !== undefined) return selfManaged.cloudFormation.selfManaged.map(esm, session);
  const property = esm.properties.get('EventSourceArn');
  if (property === undefined) {
    session.notes.add('unmapped', template.locate(esm.path), `${esm.id}: no EventSourceArn (nor SelfManagedEventSource.Endpoints): nothing to read from`);
    return undefined;
  }
  const arn = readValue(esm, 'EventSourceArn', property, session.notes);
  if (arn === undefined) return undefined;
  const resource = referencedResource(esm, property.value);
  const service = resource === undefined ? parseArn(String(arn.value))?.service : undefined;
  const descriptor = DESCRIPTORS.find((d) => (resource === undefined ? d.esm.arnService === service : d.cloudFormation.resourceTypes.includes(resource.type)));
  if (descriptor !== undefined) return descriptor.cloudFormation.fromArn(esm, session, arn, resource);
  const unsupported = UNSUPPORTED[resource?.type ?? service ?? ''];
  if (unsupported !== undefined) return refuse(esm, session, unsupported);
  session.notes.add('unmapped', arn.at, `${esm.id}: EventSourceArn ${describeExpression(property.value)} is not an SQS queue, Kinesis stream, DynamoDB stream or Kafka cluster`);
  return undefined;
}

function refuse(esm: EsmDefinition, session: ImportSession, what: string): undefined {
  session.notes.add('unmapped', esm.scope.template.locate(esm.path), `${esm.id}: ${what} event sources are not supported by Tributary (SQS, Kinesis, DynamoDB Streams and Kafka are)`);
  return undefined;
}
