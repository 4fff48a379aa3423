/**
 * Kafka rules (Amazon MSK and self-managed, reference §1, §2.4).
 *
 * StartingPosition is required for Kafka on AWS (Stream mode) [API-CESM, KF-START] and we keep
 * it required rather than defaulting to LATEST: a default would silently skip records that
 * arrived before the first start. It only matters for a new consumer group: an existing
 * group's committed offsets win [KF-CG].
 */
import { defaultConsumerGroupId, int, optionalNumber } from '../../src/connector/config-kit.js';
import { FUNCTION_TIMEOUT_SECONDS, KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS, asRecord, isGiven, parseDestination, type PathIssue, type PipelineView , show } from '../../src/connector/rule-kit.js';
import { schemaRegistryRules } from './schema-registry-rules.js';

const timeoutField = optionalNumber(int(FUNCTION_TIMEOUT_SECONDS));

const STREAMS_ONLY = 'is not supported for Kafka sources (Kinesis and DynamoDB Streams only)';

/** Issues of a Kafka pipeline, paths relative to the pipeline. */
export function kafkaRules(view: PipelineView): PathIssue[] {
  const issues: PathIssue[] = [];
  if (!view.has('startingPosition')) {
    issues.push({ path: ['startingPosition'], message: 'is required for Kafka sources (TRIM_HORIZON, LATEST or AT_TIMESTAMP), as on AWS' });
  }
  // ParallelizationFactor and TumblingWindowInSeconds are Kinesis/DynamoDB only [reference §1].
  for (const field of ['parallelizationFactor', 'tumblingWindowInSeconds']) {
    if (view.has(field)) issues.push({ path: [field], message: STREAMS_ONLY });
  }
  // "Function timeout ≤ 14 min for MSK and self-managed Kafka" [MSK-CONF, SMK-CONF].
  const fn = asRecord(view.raw['function']);
  const timeout = timeoutField.safeParse(fn['timeout']).data;
  if (timeout !== undefined && timeout > KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS) {
    issues.push({
      path: ['function', 'timeout'],
      message: `must be at most ${KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS} seconds (14 minutes) for a Kafka source (got ${timeout})`,
    });
  }
  issues.push(...saslRules(view), ...topicRules(view), ...clientCertificateRules(view), ...schemaRegistryRules(view));
  return issues;
}

/**
 * CLIENT_CERTIFICATE_TLS_AUTH takes a certificate and its private key together, the key's password only with a key
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html: the secret holds `certificate`, `privateKey` and,
 * for an encrypted key, `privateKeyPassword`).
 */
function clientCertificateRules(view: PipelineView): PathIssue[] {
  const ssl = asRecord(view.source['ssl']);
  const given = (key: string): boolean => isGiven(ssl[key]);
  const at = (key: string): readonly (string | number)[] => ['source', 'ssl', key];
  if (given('certificate') && !given('key')) return [{ path: at('key'), message: 'is required with ssl.certificate (the client certificate\'s private key, a PEM file or PEM text)' }];
  if (given('key') && !given('certificate')) return [{ path: at('certificate'), message: 'is required with ssl.key (the client certificate, a PEM file or PEM text)' }];
  if (given('keyPassword') && !given('key')) return [{ path: at('keyPassword'), message: 'is only allowed with ssl.key (it decrypts an encrypted private key)' }];
  return [];
}

/**
 * PLAIN and SCRAM need a username and a password, or a Secrets Manager secret holding them (AWS's BASIC_AUTH /
 * SASL_SCRAM_*_AUTH take only the secret); AWS_MSK_IAM signs with AWS credentials instead, so it takes neither.
 */
function saslRules(view: PipelineView): PathIssue[] {
  const sasl = asRecord(view.source['sasl']);
  const mechanism = sasl['mechanism'];
  const at = (key: string): readonly (string | number)[] => ['source', 'sasl', key];
  if (mechanism === 'aws-iam') {
    return (['username', 'password', 'secretArn'] as const)
      .filter((key) => isGiven(sasl[key]))
      .map((key) => ({ path: at(key), message: 'is not used with SASL mechanism aws-iam (it signs with the AWS credential chain)' }));
  }
  if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') return [];
  if (isGiven(sasl['secretArn'])) {
    return (['username', 'password'] as const)
      .filter((key) => isGiven(sasl[key]))
      .map((key) => ({ path: at(key), message: 'is not allowed with sasl.secretArn (the secret holds username and password)' }));
  }
  return (['username', 'password'] as const)
    .filter((key) => !isGiven(sasl[key]))
    .map((key) => ({ path: at(key), message: `is required for SASL mechanism ${mechanism} (or give sasl.secretArn)` }));
}

/**
 * Topics must be distinct; a `kafka://` on-failure destination must not be a source topic [KF-OFD]: `kafka://<topic>`
 * is on the source's cluster, and so is `kafka://<brokers>/<topic>` when it names one of the source's brokers.
 */
function topicRules(view: PipelineView): PathIssue[] {
  const issues: PathIssue[] = [];
  const topics = Array.isArray(view.source['topics']) ? (view.source['topics'] as unknown[]) : [];
  topics.forEach((topic, index) => {
    if (typeof topic === 'string' && topics.indexOf(topic) !== index) {
      issues.push({ path: ['source', 'topics', index], message: `duplicate topic ${show(topic)}` });
    }
  });
  const destination = view.get('destinationConfig')?.onFailure.destination;
  if (destination !== undefined && consumesDestination(destination, topics, serverList(view.source['bootstrapServers']))) {
    issues.push({
      path: ['destinationConfig', 'onFailure', 'destination'],
      message: `must not be a topic the pipeline consumes (got ${show(destination)}), as on AWS`,
    });
  }
  return issues;
}

/** The destination is a `kafka://` topic the pipeline reads: one of `topics` on the source's cluster. */
function consumesDestination(destination: string, topics: readonly unknown[], sourceServers: readonly string[]): boolean {
  const parsed = parseDestination(destination);
  if (!parsed.ok || parsed.ref.kind !== 'kafka' || !topics.includes(parsed.ref.topic)) return false;
  const brokers = parsed.ref.bootstrapServers;
  return brokers === null || brokers.some((broker) => sourceServers.includes(broker));
}

/** The raw `bootstrapServers` (a list or one comma-separated string) as a list. */
export function serverList(value: unknown): readonly string[] {
  if (typeof value === 'string') return value.split(',').map((server) => server.trim());
  return Array.isArray(value) ? value.filter((server): server is string => typeof server === 'string') : [];
}

/** A consumer group "must be unique to this ESM" [KF-CG]: two pipelines on one cluster must not share one. */
export function kafkaFileRules(views: readonly PipelineView[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const groups: { readonly index: number; readonly group: string; readonly servers: readonly string[] }[] = [];
  views.forEach((view, index) => {
    if (view.sourceType !== 'kafka') return;
    const name = view.get('name');
    const explicit = view.source['consumerGroupId'];
    const group = typeof explicit === 'string' && explicit.trim() !== '' ? explicit : name === undefined ? undefined : defaultConsumerGroupId(name);
    const servers = serverList(view.source['bootstrapServers']);
    if (group === undefined) return;
    const clash = groups.find((other) => other.group === group && other.servers.some((server) => servers.includes(server)));
    if (clash !== undefined) {
      issues.push({
        path: ['pipelines', index, 'source', 'consumerGroupId'],
        message: `consumer group "${group}" is also used by pipelines[${clash.index}] on the same cluster; each pipeline needs its own group`,
      });
    }
    groups.push({ index, group, servers });
  });
  return issues;
}
