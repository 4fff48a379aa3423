/**
 * An event source mapping's `EventSourceArn` (or `SelfManagedEventSource`) → the pipeline's `source:`.
 *
 * - A queue, stream or table defined in the same template is named by what Tributary needs (the queue ARN, the
 *   stream or table name and the region); a literal ARN is kept as an ARN (it may be another account's).
 * - AWS endpoints are `${SQS_ENDPOINT:-}`, `${KINESIS_ENDPOINT:-}`, `${DDB_ENDPOINT:-}` (the names of config/*.yaml):
 *   unset, the file talks to AWS; set, to an emulator.
 * - A name CloudFormation would generate becomes `${<RESOURCE>_…:-<stack>-<LogicalId>}` with a note, since only the
 *   deployed stack knows the random suffix.
 * Kafka (MSK and self-managed) is map-kafka.ts.
 */
import { envName, interpolation, literal } from './env-names.js';
import type { EsmDefinition } from './esm.js';
import { describeExpression, readValue, referencedResource, shortLocation, type ReadProperty } from './esm-values.js';
import { mapKafka } from './map-kafka.js';
import { scalar, type OutEntry } from './out-yaml.js';
import { physicalName } from './resources.js';
import type { ImportSession } from './session.js';
import { ENDPOINT_ENV, nameEntry, parseArn, type MappedSource } from './source-entries.js';
import type { TemplateResource } from './template.js';

const RESOURCE_SERVICES: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::Kinesis::StreamConsumer': 'kinesis',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::MSK::Cluster': 'kafka',
  'AWS::MSK::ServerlessCluster': 'kafka',
  'AWS::AmazonMQ::Broker': 'mq',
  'AWS::DocDB::DBCluster': 'rds',
};

/** Map the source of `esm`, or note why it cannot be and return undefined. */
export function mapSource(esm: EsmDefinition, session: ImportSession): MappedSource | undefined {
  const template = esm.scope.template;
  if (esm.samType === 'MQ' || esm.samType === 'DocumentDB') return refuse(esm, session, esm.samType === 'MQ' ? 'Amazon MQ' : 'Amazon DocumentDB');
  if (esm.properties.has('SelfManagedEventSource.Endpoints.KafkaBootstrapServers')) return mapKafka(esm, session, null);
  const property = esm.properties.get('EventSourceArn');
  if (property === undefined) {
    session.notes.add('unmapped', template.locate(esm.path), `${esm.id}: no EventSourceArn (nor SelfManagedEventSource.Endpoints): nothing to read from`);
    return undefined;
  }
  const arn = readValue(esm, 'EventSourceArn', property, session.notes);
  if (arn === undefined) return undefined;
  const resource = referencedResource(esm, property.value);
  const service = resource === undefined ? parseArn(String(arn.value))?.service : RESOURCE_SERVICES[resource.type];
  switch (service) {
    case 'sqs':
      return sqsSource(esm, session, arn, resource);
    case 'kinesis':
      return kinesisSource(esm, session, arn, resource);
    case 'dynamodb':
      return dynamoDbSource(esm, session, arn, resource);
    case 'kafka':
      return mapKafka(esm, session, { arn, resource });
    case 'mq':
      return refuse(esm, session, 'Amazon MQ');
    case 'rds':
      return refuse(esm, session, 'Amazon DocumentDB');
    default:
      session.notes.add('unmapped', arn.at, `${esm.id}: EventSourceArn ${describeExpression(property.value)} is not an SQS queue, Kinesis stream, DynamoDB stream or Kafka cluster`);
      return undefined;
  }
}

function refuse(esm: EsmDefinition, session: ImportSession, what: string): undefined {
  session.notes.add('unmapped', esm.scope.template.locate(esm.path), `${esm.id}: ${what} event sources are not supported by Tributary (SQS, Kinesis, DynamoDB Streams and Kafka are)`);
  return undefined;
}

function endpointEntry(type: keyof typeof ENDPOINT_ENV): OutEntry {
  return { key: 'endpoint', value: scalar(interpolation(ENDPOINT_ENV[type], '')), comment: 'unset: AWS; an emulator\'s URL otherwise' };
}

function origin(esm: EsmDefinition, arn: ReadProperty, resource: TemplateResource | undefined): string {
  const written = `EventSourceArn: ${describeExpression(arn.written)} (${shortLocation(arn.at)})`;
  if (resource === undefined) return written;
  return `${written} → ${resource.type} ${resource.id} (${shortLocation(esm.scope.template.locate(['Resources', resource.id]))})`;
}

function sqsSource(esm: EsmDefinition, session: ImportSession, arn: ReadProperty, resource: TemplateResource | undefined): MappedSource {
  const env = envName(resource?.id ?? 'queue', 'QUEUE', 'ARN');
  const entries: OutEntry[] = [
    { key: 'type', value: scalar('sqs') },
    nameEntry('queueArn', arn, env, 'queue\'s ARN', session, arn, origin(esm, arn, resource)),
    endpointEntry('sqs'),
  ];
  return { type: 'sqs', source: { kind: 'map', entries }, consumed: ['EventSourceArn'] };
}

/** A stream or table of the template is named (with the stack's region); a literal ARN stays an ARN. */
function namedOrArn(
  esm: EsmDefinition,
  session: ImportSession,
  arn: ReadProperty,
  resource: TemplateResource | undefined,
  nameKey: 'streamName' | 'tableName',
  what: string,
): OutEntry[] {
  const comment = origin(esm, arn, resource);
  if (resource === undefined) return [{ key: 'streamArn', value: scalar(literal(String(arn.value))), comment, origin: arn.at }];
  const name = physicalName(resource, esm.scope.stack, esm.scope);
  if (!name.ok) {
    session.notes.add('unmapped', esm.scope.template.locate(name.path), `${esm.id}: the ${what} name: ${name.reason}`);
    return [{ key: 'streamArn', value: scalar(literal(String(arn.value))), comment, origin: arn.at }];
  }
  const env = envName(resource.id, nameKey === 'streamName' ? 'STREAM' : 'TABLE', 'NAME');
  return [nameEntry(nameKey, name, env, `${what}'s name`, session, arn, comment), { key: 'region', value: scalar(esm.scope.stack.region) }];
}

function kinesisSource(esm: EsmDefinition, session: ImportSession, arn: ReadProperty, resource: TemplateResource | undefined): MappedSource | undefined {
  let stream = resource;
  let streamArn = arn;
  const consumer = resource?.type === 'AWS::Kinesis::StreamConsumer' || /:stream\/[^/]+\/consumer\//.test(String(arn.value));
  if (consumer) {
    // Enhanced fan-out: the mapping names a stream consumer; Tributary reads its stream with GetRecords.
    session.notes.add('warning', arn.at, `${esm.id}: an enhanced fan-out consumer; Tributary reads the stream itself with GetRecords (shared read throughput)`);
    if (resource !== undefined) {
      const property = { value: resource.properties['StreamARN'], path: ['Resources', resource.id, 'Properties', 'StreamARN'] };
      const read = readValue(esm, 'StreamARN', property, session.notes);
      if (read === undefined) return undefined;
      streamArn = read;
      stream = referencedResource(esm, property.value);
    } else {
      streamArn = { ...arn, value: String(arn.value).replace(/\/consumer\/.*$/, '') };
    }
  }
  const entries: OutEntry[] = [{ key: 'type', value: scalar('kinesis') }, ...namedOrArn(esm, session, streamArn, stream, 'streamName', 'stream'), endpointEntry('kinesis')];
  return { type: 'kinesis', source: { kind: 'map', entries }, consumed: ['EventSourceArn'] };
}

function dynamoDbSource(esm: EsmDefinition, session: ImportSession, arn: ReadProperty, resource: TemplateResource | undefined): MappedSource {
  if (resource !== undefined && resource.properties['StreamSpecification'] === undefined && resource.type === 'AWS::DynamoDB::Table') {
    session.notes.add('action', esm.scope.template.locate(['Resources', resource.id]), `${esm.id}: table ${resource.id} has no StreamSpecification; enable a stream on it`);
  }
  const entries: OutEntry[] = [{ key: 'type', value: scalar('dynamodb-streams') }, ...namedOrArn(esm, session, arn, resource, 'tableName', 'table'), endpointEntry('dynamodb-streams')];
  return { type: 'dynamodb-streams', source: { kind: 'map', entries }, consumed: ['EventSourceArn'] };
}
