/**
 * Kafka event source mappings (Amazon MSK and self-managed) → a `kafka` source.
 *
 * - Brokers: self-managed `SelfManagedEventSource.Endpoints.KafkaBootstrapServers` become
 *   `${KAFKA_BROKERS:-<servers>}`; MSK's brokers are not in a template (GetBootstrapBrokers), so
 *   `${<CLUSTER>_BROKERS:-localhost:9092}` with a note. Several clusters get `KAFKA_2_…` and so on.
 * - `SourceAccessConfigurations`: `BASIC_AUTH` → SASL/PLAIN, `SASL_SCRAM_256_AUTH` / `SASL_SCRAM_512_AUTH` → SCRAM,
 *   the credentials from `${<SECRET>_USERNAME}` / `${<SECRET>_PASSWORD}` (the Secrets Manager secret's fields);
 *   Lambda uses TLS with SASL (SASL_SSL) [kafka-cluster-auth], so `ssl: ${<CLUSTER>_SSL:-true}`.
 *   `SERVER_ROOT_CA_CERTIFICATE` → `ssl.caCertificate`; `CLIENT_CERTIFICATE_TLS_AUTH` (mTLS) is not supported;
 *   `VPC_SUBNET` / `VPC_SECURITY_GROUP` do not apply. An MSK cluster with IAM access control and no access
 *   configuration → `sasl: aws-iam`.
 *   https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html
 *   https://docs.aws.amazon.com/lambda/latest/dg/msk-cluster-auth.html
 */
import {
  asRecord,
  describeExpression,
  envName,
  envPrefix,
  interpolation,
  list,
  literal,
  nameEntry,
  parseArn,
  readProperty,
  referencedResource,
  scalar,
  shortLocation,
  type EsmDefinition,
  type ImportSession,
  type MappedSource,
  type OutEntry,
  type OutMap,
  type ReadProperty,
  type SourceImport,
  type TemplateResource,
} from '../../src/connector/import-kit.js';

/** The MSK cluster of a mapping: its EventSourceArn and the cluster resource when it is in the template. */
export interface MskCluster {
  readonly arn: ReadProperty;
  readonly resource: TemplateResource | undefined;
}

const CONFIGS = ['AmazonManagedKafkaEventSourceConfig', 'SelfManagedKafkaEventSourceConfig'] as const;

/** Map a Kafka mapping: `msk` null for self-managed Kafka. */
function mapKafka(esm: EsmDefinition, session: ImportSession, msk: MskCluster | null): MappedSource | undefined {
  const notes = session.notes;
  const consumed = ['EventSourceArn', 'SelfManagedEventSource.Endpoints.KafkaBootstrapServers', 'Topics', 'SourceAccessConfigurations'];
  const entries: OutEntry[] = [{ key: 'type', value: scalar('kafka') }];
  let prefix: string;
  if (msk === null) {
    const servers = readProperty(esm, 'SelfManagedEventSource.Endpoints.KafkaBootstrapServers', notes);
    if (servers === undefined) return undefined;
    const list = Array.isArray(servers.value) ? servers.value.map(String) : String(servers.value).split(',');
    prefix = session.kafkaPrefix(list.join(','), 'KAFKA');
    entries.push({
      key: 'bootstrapServers',
      value: scalar(interpolation(`${prefix}_BROKERS`, literal(list.join(',')))),
      comment: `KafkaBootstrapServers (${shortLocation(servers.at)})`,
      origin: servers.at,
    });
  } else {
    const arn = String(msk.arn.value);
    const clusterName = parseArn(arn)?.resource.split('/')[1] ?? 'msk';
    prefix = session.kafkaPrefix(arn, envPrefix(msk.resource?.id ?? clusterName));
    notes.add('action', msk.arn.at, `${esm.id}: an MSK cluster's bootstrap brokers are not in the template: set ${prefix}_BROKERS (aws kafka get-bootstrap-brokers --cluster-arn …)`);
    entries.push({ key: 'bootstrapServers', value: scalar(interpolation(`${prefix}_BROKERS`, 'localhost:9092')), comment: 'MSK: set to the cluster\'s bootstrap brokers' });
    // A cluster of the template has an ARN only AWS knows (it ends with a UUID AWS assigns).
    const generated = msk.resource === undefined ? msk.arn.generated : [msk.resource.id];
    const comment = `EventSourceArn: ${describeExpression(msk.arn.written)} (${shortLocation(msk.arn.at)}); events are aws:kafka`;
    const why = `the ARN of MSK cluster ${msk.resource?.id ?? clusterName} ends with a UUID AWS assigns`;
    entries.push(nameEntry('clusterArn', { value: arn, generated }, envName(msk.resource?.id ?? clusterName, 'CLUSTER', 'ARN'), 'cluster\'s ARN', session, msk.arn, comment, why));
  }
  const topics = readProperty(esm, 'Topics', notes);
  if (topics !== undefined) {
    const names = (Array.isArray(topics.value) ? topics.value : [topics.value]).map((topic) => scalar(literal(String(topic))));
    entries.push({ key: 'topics', value: list(names), comment: `Topics (${shortLocation(topics.at)})`, origin: topics.at });
  }
  entries.push(...consumerGroup(esm, session, consumed));
  entries.push(...kafkaAuth(esm, session, prefix, msk));
  return { type: 'kafka', source: { kind: 'map', entries }, consumed };
}

function consumerGroup(esm: EsmDefinition, session: ImportSession, consumed: string[]): OutEntry[] {
  const out: OutEntry[] = [];
  for (const config of CONFIGS) {
    consumed.push(`${config}.ConsumerGroupId`, `${config}.SchemaRegistryConfig`, `${config}.ConsumptionMode`);
    const group = readProperty(esm, `${config}.ConsumerGroupId`, session.notes);
    if (group !== undefined) out.push({ key: 'consumerGroupId', value: scalar(literal(String(group.value))), comment: `${config}.ConsumerGroupId (${shortLocation(group.at)})`, origin: group.at });
    const registry = esm.properties.get(`${config}.SchemaRegistryConfig`);
    if (registry !== undefined) {
      session.notes.add('unmapped', esm.scope.template.locate(registry.path), `${esm.id}: SchemaRegistryConfig: schema registry decoding is not supported; records reach the function as the base64 bytes of the topic`);
    }
    const mode = readProperty(esm, `${config}.ConsumptionMode`, session.notes);
    if (mode !== undefined && mode.value !== 'Stream') {
      session.notes.add('unmapped', mode.at, `${esm.id}: ConsumptionMode ${String(mode.value)} (Kafka share groups) is not supported; the pipeline reads in Stream mode`);
    }
  }
  if (out.length === 0) {
    // AWS uses the mapping's UUID as the group id; continuing from AWS's committed offsets needs that id.
    session.notes.add('action', esm.scope.template.locate(esm.path), `${esm.id}: no ConsumerGroupId: on AWS the group is the mapping's UUID; set consumerGroupId to it to continue from the offsets AWS committed`);
  }
  return out;
}

interface AccessConfiguration {
  readonly type: string;
  readonly uri: unknown;
  readonly written: unknown;
}

function kafkaAuth(esm: EsmDefinition, session: ImportSession, prefix: string, msk: MskCluster | null): OutEntry[] {
  const read = readProperty(esm, 'SourceAccessConfigurations', session.notes);
  const writtenList = Array.isArray(read?.written) ? (read.written as unknown[]) : [];
  const configurations: AccessConfiguration[] = (Array.isArray(read?.value) ? read.value : []).map((item, index) => ({
    type: String(asRecord(item)['Type'] ?? ''),
    uri: asRecord(item)['URI'],
    written: asRecord(writtenList[index])['URI'],
  }));
  const at = read?.at ?? esm.scope.template.locate(esm.path);
  let tls = msk !== null && !plaintextCluster(msk);
  let caCertificate: string | null = null;
  let sasl: OutMap | null = null;
  for (const configuration of configurations) {
    const mechanism = { BASIC_AUTH: 'plain', SASL_SCRAM_256_AUTH: 'scram-sha-256', SASL_SCRAM_512_AUTH: 'scram-sha-512' }[configuration.type];
    if (mechanism !== undefined) {
      const secret = secretPrefix(esm, configuration);
      session.requiredEnv.add(`${secret}_USERNAME`).add(`${secret}_PASSWORD`);
      session.notes.add('action', at, `${esm.id}: ${configuration.type}: the credentials are in Secrets Manager (${describeExpression(configuration.written)}): set ${secret}_USERNAME and ${secret}_PASSWORD to its username and password`);
      sasl = {
        kind: 'map',
        flow: true,
        entries: [
          { key: 'mechanism', value: scalar(mechanism) },
          { key: 'username', value: scalar(interpolation(`${secret}_USERNAME`, null)) },
          { key: 'password', value: scalar(interpolation(`${secret}_PASSWORD`, null)) },
        ],
      };
      tls = true;
    } else if (configuration.type === 'SERVER_ROOT_CA_CERTIFICATE') {
      const secret = secretPrefix(esm, configuration);
      caCertificate = interpolation(`${secret}_CA_FILE`, `./${secret.toLowerCase()}-ca.pem`);
      session.notes.add('action', at, `${esm.id}: SERVER_ROOT_CA_CERTIFICATE: save the certificate of Secrets Manager secret ${describeExpression(configuration.written)} as a PEM file and set ${secret}_CA_FILE to its path`);
      tls = true;
    } else if (configuration.type === 'CLIENT_CERTIFICATE_TLS_AUTH') {
      session.notes.add('unmapped', at, `${esm.id}: CLIENT_CERTIFICATE_TLS_AUTH: Kafka client certificates (mTLS) are not supported`);
      tls = true;
    } else if (configuration.type === 'VPC_SUBNET' || configuration.type === 'VPC_SECURITY_GROUP') {
      session.notes.add('warning', at, `${esm.id}: ${configuration.type}: accepted and ignored; Tributary reaches the brokers through its host's network`);
    } else {
      session.notes.add('unmapped', at, `${esm.id}: SourceAccessConfigurations type ${configuration.type || '(none)'} does not apply to Kafka`);
    }
  }
  if (sasl === null && msk !== null) sasl = mskIam(esm, session, msk);
  const sslValue = interpolation(`${prefix}_SSL`, String(tls));
  const comment = tls ? `TLS, as Lambda connects here; ${prefix}_SSL=false for a plaintext broker` : 'plaintext, as Lambda without access configurations';
  const ssl: OutEntry =
    caCertificate === null
      ? { key: 'ssl', value: scalar(sslValue), comment }
      : { key: 'ssl', value: { kind: 'map', flow: true, entries: [{ key: 'caCertificate', value: scalar(caCertificate) }] } };
  return sasl === null ? [ssl] : [ssl, { key: 'sasl', value: sasl }];
}

/** An MSK cluster of the template whose brokers accept plaintext from clients. */
function plaintextCluster(msk: MskCluster): boolean {
  return asRecord(asRecord(msk.resource?.properties['EncryptionInfo'])['EncryptionInTransit'])['ClientBroker'] === 'PLAINTEXT';
}

/** MSK without access configurations: IAM when the cluster (in the template) turns it on; otherwise say what to add. */
function mskIam(esm: EsmDefinition, session: ImportSession, msk: MskCluster): OutMap | null {
  const iam = asRecord(asRecord(asRecord(msk.resource?.properties['ClientAuthentication'])['Sasl'])['Iam'])['Enabled'];
  if (msk.resource?.type === 'AWS::MSK::ServerlessCluster' || iam === true || iam === 'true') {
    return { kind: 'map', flow: true, entries: [{ key: 'mechanism', value: scalar('aws-iam') }] };
  }
  if (msk.resource === undefined) {
    session.notes.add('action', msk.arn.at, `${esm.id}: without SourceAccessConfigurations Lambda authenticates to MSK with IAM when the cluster uses IAM access control: add sasl: { mechanism: aws-iam } in that case`);
  }
  return null;
}

/** The environment prefix of a Secrets Manager secret: its logical id, or its name without the random suffix. */
function secretPrefix(esm: EsmDefinition, configuration: AccessConfiguration): string {
  const resource = referencedResource(esm, configuration.written);
  if (resource !== undefined) return envPrefix(resource.id);
  const name = parseArn(String(configuration.uri))?.resource.replace(/^secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '');
  return envPrefix(name ?? 'kafka');
}

/** Kafka's CloudFormation import (src/connector/source-import.ts): MSK clusters by ARN, self-managed by its bootstrap servers. */
export const kafkaImport: SourceImport = {
  resourceTypes: ['AWS::MSK::Cluster', 'AWS::MSK::ServerlessCluster'],
  fromArn: (esm, session, arn, resource) => mapKafka(esm, session, { arn, resource }),
  selfManaged: { property: 'SelfManagedEventSource.Endpoints.KafkaBootstrapServers', map: (esm, session) => mapKafka(esm, session, null) },
};
