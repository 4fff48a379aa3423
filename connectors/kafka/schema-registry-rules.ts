/**
 * `source.schemaRegistryConfig` of a Kafka source (API_KafkaSchemaRegistryConfig;
 * https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html):
 * - `schemaRegistryURI` is a Confluent-compatible registry URL (http or https) or an AWS Glue registry ARN;
 * - each attribute (KEY, VALUE) is listed once in `schemaValidationConfigs`;
 * - `accessConfigs`: each type once; BASIC_AUTH and CLIENT_CERTIFICATE_TLS_AUTH are two ways to authenticate, so
 *   at most one of them, optionally with SERVER_ROOT_CA_CERTIFICATE; both certificate types need an https registry;
 *   a Glue registry takes none (Lambda reaches Glue with the execution role, Tributary with the AWS credential chain).
 * AWS offers the schema registry only in provisioned mode; Tributary has no modes, so it is always available.
 */
import { GLUE_REGISTRY_ARN } from '../../src/connector/config-kit.js';
import { asRecord, isGiven, type PathIssue, type PipelineView , show } from '../../src/connector/rule-kit.js';

const AT = ['source', 'schemaRegistryConfig'] as const;

/** Issues of `source.schemaRegistryConfig`, paths relative to the pipeline. */
export function schemaRegistryRules(view: PipelineView): PathIssue[] {
  const config = view.source['schemaRegistryConfig'];
  if (!isGiven(config)) return [];
  const registry = asRecord(config);
  const issues: PathIssue[] = [];
  const uri = registry['schemaRegistryURI'];
  const glue = typeof uri === 'string' && GLUE_REGISTRY_ARN.test(uri);
  const https = typeof uri === 'string' && uri.startsWith('https://');
  if (typeof uri === 'string' && uri !== '' && !glue && !isHttpUrl(uri)) {
    issues.push({
      path: [...AT, 'schemaRegistryURI'],
      message: `must be a Confluent-compatible registry URL (http:// or https://) or an AWS Glue registry ARN arn:aws:glue:<region>:<account>:registry/<name> (got ${show(uri)})`,
    });
  }
  issues.push(...duplicates(registry['schemaValidationConfigs'], 'attribute', 'schemaValidationConfigs'));
  const accessConfigs = Array.isArray(registry['accessConfigs']) ? (registry['accessConfigs'] as unknown[]) : [];
  issues.push(...duplicates(accessConfigs, 'type', 'accessConfigs'));
  const types = accessConfigs.map((c) => asRecord(c)['type']);
  accessConfigs.forEach((c, index) => {
    const type = asRecord(c)['type'];
    const path = [...AT, 'accessConfigs', index, 'type'];
    if (glue) issues.push({ path, message: 'is not used with an AWS Glue registry (Glue is reached with the AWS credential chain, as Lambda uses its execution role)' });
    else if ((type === 'CLIENT_CERTIFICATE_TLS_AUTH' || type === 'SERVER_ROOT_CA_CERTIFICATE') && !https && typeof uri === 'string') {
      issues.push({ path, message: `${String(type)} needs an https:// schemaRegistryURI (got ${show(uri)})` });
    }
  });
  if (!glue && types.includes('BASIC_AUTH') && types.includes('CLIENT_CERTIFICATE_TLS_AUTH')) {
    issues.push({ path: [...AT, 'accessConfigs'], message: 'must not combine BASIC_AUTH and CLIENT_CERTIFICATE_TLS_AUTH: choose one way to authenticate (SERVER_ROOT_CA_CERTIFICATE may go with either)' });
  }
  return issues;
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

/** One issue per entry of `list` whose `key` repeats an earlier entry's. */
function duplicates(list: unknown, key: string, field: string): PathIssue[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<unknown>();
  const issues: PathIssue[] = [];
  list.forEach((entry: unknown, index) => {
    const value = asRecord(entry)[key];
    if (typeof value !== 'string') return;
    if (seen.has(value)) issues.push({ path: [...AT, field, index, key], message: `lists ${value} twice` });
    seen.add(value);
  });
  return issues;
}
