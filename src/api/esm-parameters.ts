/**
 * CreateEventSourceMapping / UpdateEventSourceMapping members (PascalCase, botocore `lambda/2015-03-31`) → changes to
 * the pipeline object of the config file (lowerCamelCase, DESIGN §4: "Field names are Lambda's
 * CreateEventSourceMapping parameters in lowerCamelCase"). Pure: values are passed through unchecked, so that
 * the configuration's own validation (esm-validation.ts) judges them, exactly as `tributary validate` would.
 *
 * - An empty value removes a setting, as on AWS: `FunctionResponseTypes: []`, `FilterCriteria: {}` or
 *   `{Filters: []}`, `DestinationConfig.OnFailure.Destination: ""` ("To remove a destination, pass an empty
 *   string", API_OnFailure), `ScalingConfig: {}`.
 * - `MetricsConfig` and `ProvisionedPollerConfig` become the pipeline's `metricsConfig` / `provisionedPollerConfig`
 *   (esm-knobs.ts); Kafka's `PollerGroupName` is kept there with a warning (it has no effect).
 * - AWS-only members Tributary has no use for (the configuration's table, src/config/aws-only.ts: `KMSKeyArn`, `Tags`,
 *   `LoggingConfig`, VPC `SourceAccessConfigurations`) are accepted with the configuration's warning, stored and
 *   returned.
 * - Members that would change what the function receives or where credentials come from, and that Tributary cannot
 *   honour, are refused rather than ignored: Amazon MQ `Queues`, `DocumentDBEventSourceConfig`, Kafka
 *   `SchemaRegistryConfig`, and Secrets-Manager `SourceAccessConfigurations` (authentication).
 */
import { POLLER_GROUP_NAME, awsOnlyMessage, awsOnlyParameter } from '../config/aws-only.js';
import { metricsConfigChange, provisionedPollerChange, type FieldChange } from './esm-knobs.js';
import { invalidParameter } from './api-errors.js';
import { scalingConfigOf } from './esm-source.js';
import { asRecord, type JsonObject } from './json-object.js';

/** Marks a field the request removes. */
export const REMOVE: unique symbol = Symbol('remove');

/** What a request changes. */
export interface EsmParameterChanges {
  /** Pipeline fields to set (`REMOVE` deletes one). */
  readonly pipeline: Readonly<Record<string, unknown>>;
  /** `source` fields to set or remove. */
  readonly source: Readonly<Record<string, unknown>>;
  /** AWS-only members given, by AWS name. */
  readonly awsOnly: Readonly<Record<string, unknown>>;
  /** Why something was accepted without effect or ignored (to log). */
  readonly warnings: readonly string[];
}

/** Members that map one to one onto a pipeline field. */
const SCALARS: Readonly<Record<string, string>> = {
  Enabled: 'enabled',
  BatchSize: 'batchSize',
  MaximumBatchingWindowInSeconds: 'maximumBatchingWindowInSeconds',
  ParallelizationFactor: 'parallelizationFactor',
  StartingPosition: 'startingPosition',
  StartingPositionTimestamp: 'startingPositionTimestamp',
  MaximumRecordAgeInSeconds: 'maximumRecordAgeInSeconds',
  BisectBatchOnFunctionError: 'bisectBatchOnFunctionError',
  MaximumRetryAttempts: 'maximumRetryAttempts',
  TumblingWindowInSeconds: 'tumblingWindowInSeconds',
};

/** Members handled elsewhere (esm-source.ts, the function reference) or below. */
const HANDLED = new Set([
  'FunctionName',
  'EventSourceArn',
  'SelfManagedEventSource',
  'Topics',
  'FunctionResponseTypes',
  'FilterCriteria',
  'DestinationConfig',
  'ScalingConfig',
  'MetricsConfig',
  'ProvisionedPollerConfig',
  'SourceAccessConfigurations',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
]);

/** Members only CreateEventSourceMapping takes (not in UpdateEventSourceMappingRequest). */
const CREATE_ONLY = new Set(['EventSourceArn', 'SelfManagedEventSource', 'Topics', 'StartingPosition', 'StartingPositionTimestamp', 'Tags', 'Queues']);

/** Source access types that only describe networking (VPC): accepted without effect. */
const NETWORK_ACCESS_TYPES = new Set(['VPC_SUBNET', 'VPC_SECURITY_GROUP']);

/**
 * The changes `body` asks for.
 * @throws LambdaApiError InvalidParameterValueException for members Tributary refuses (see the module comment).
 */
export function esmParameterChanges(body: JsonObject, mode: 'create' | 'update'): EsmParameterChanges {
  const pipeline: Record<string, unknown> = {};
  const source: Record<string, unknown> = {};
  const awsOnly: Record<string, unknown> = {};
  const warnings: string[] = [];
  refuseUnsupported(body, mode);
  for (const [member, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    const field = SCALARS[member];
    if (mode === 'update' && CREATE_ONLY.has(member)) warnings.push(`${member} cannot be changed by UpdateEventSourceMapping; ignored`);
    else if (field !== undefined) pipeline[field] = value;
    else if (HANDLED.has(member)) continue;
    else {
      // The configuration's table of AWS-only parameters (src/config/aws-only.ts), so the YAML schema, `import` and
      // the API agree on what is accepted without effect. (Queues and DocumentDBEventSourceConfig were refused above.)
      const parameter = awsOnlyParameter(member);
      if (parameter === undefined) warnings.push(`unknown parameter ${member} ignored`);
      else {
        awsOnly[parameter.awsName] = value;
        warnings.push(`${parameter.awsName}: ${awsOnlyMessage(parameter)}`);
      }
    }
  }
  if (body['FunctionResponseTypes'] !== undefined && body['FunctionResponseTypes'] !== null) {
    pipeline['functionResponseTypes'] = isEmptyList(body['FunctionResponseTypes']) ? REMOVE : body['FunctionResponseTypes'];
  }
  const filters = filterCriteriaChange(body['FilterCriteria']);
  if (filters !== undefined) pipeline['filterCriteria'] = filters;
  const destination = destinationChange(body['DestinationConfig']);
  if (destination !== undefined) pipeline['destinationConfig'] = destination;
  if (body['ScalingConfig'] !== undefined && body['ScalingConfig'] !== null) source['scalingConfig'] = scalingConfigOf(body['ScalingConfig']) ?? REMOVE;
  applyChange(pipeline, 'metricsConfig', metricsConfigChange(body['MetricsConfig']));
  applyChange(pipeline, 'provisionedPollerConfig', provisionedPollerChange(body['ProvisionedPollerConfig']));
  const groupName = asRecord(body['ProvisionedPollerConfig'])['PollerGroupName'];
  if (typeof groupName === 'string' && groupName !== '') warnings.push(`${POLLER_GROUP_NAME.awsName}: ${awsOnlyMessage(POLLER_GROUP_NAME)}`);
  if (mode === 'update') {
    // Create-only on AWS ("cannot be updated", KF-CG); merging checks that an update repeats the same value.
    const group = asRecord(body['AmazonManagedKafkaEventSourceConfig'])['ConsumerGroupId'] ?? asRecord(body['SelfManagedKafkaEventSourceConfig'])['ConsumerGroupId'];
    if (group !== undefined && group !== null) source['consumerGroupId'] = group;
  }
  const access = body['SourceAccessConfigurations'];
  if (Array.isArray(access) && access.length > 0) {
    awsOnly['SourceAccessConfigurations'] = access;
    warnings.push('SourceAccessConfigurations of type VPC_SUBNET / VPC_SECURITY_GROUP are accepted and stored but have no effect in Tributary');
  }
  return { pipeline, source, awsOnly, warnings };
}

function applyChange(pipeline: Record<string, unknown>, field: string, change: FieldChange): void {
  if (change.kind === 'set') pipeline[field] = change.value;
  else if (change.kind === 'remove') pipeline[field] = REMOVE;
}

function refuseUnsupported(body: JsonObject, mode: 'create' | 'update'): void {
  if (body['Queues'] !== undefined && body['Queues'] !== null) throw invalidParameter('Amazon MQ event sources (Queues) are not supported by Tributary');
  if (body['DocumentDBEventSourceConfig'] !== undefined && body['DocumentDBEventSourceConfig'] !== null) {
    throw invalidParameter('Amazon DocumentDB event sources are not supported by Tributary');
  }
  for (const member of ['AmazonManagedKafkaEventSourceConfig', 'SelfManagedKafkaEventSourceConfig']) {
    // Taken at creation (esm-source.ts); changing the source's registry is not supported yet.
    if (mode === 'update' && asRecord(body[member])['SchemaRegistryConfig'] !== undefined) {
      throw invalidParameter(`${member}.SchemaRegistryConfig cannot be changed through the API yet: delete and re-create the mapping`);
    }
  }
  const access = body['SourceAccessConfigurations'];
  if (access === undefined || access === null) return;
  if (!Array.isArray(access)) throw invalidParameter('SourceAccessConfigurations must be a list');
  for (const entry of access) {
    const type = asRecord(entry)['Type'];
    if (typeof type === 'string' && NETWORK_ACCESS_TYPES.has(type)) continue;
    throw invalidParameter(
      `SourceAccessConfigurations type ${String(type)} is not supported through the API yet: ` +
        'declare this pipeline in the configuration file with source.sasl (secretArn: a Secrets Manager secret) / source.ssl',
    );
  }
}

function filterCriteriaChange(value: unknown): unknown | undefined {
  if (value === undefined || value === null) return undefined;
  const filters = asRecord(value)['Filters'];
  if (typeof value === 'object' && !Array.isArray(value) && (filters === undefined || filters === null || isEmptyList(filters))) return REMOVE;
  if (!Array.isArray(filters)) return { filters };
  return { filters: filters.map((filter: unknown) => (typeof filter === 'object' && filter !== null ? { pattern: asRecord(filter)['Pattern'] } : filter)) };
}

/**
 * `DestinationConfig` → `destinationConfig`. ESMs have only on-failure destinations; AWS refuses `OnSuccess` with
 * "Unsupported DestinationConfig parameter for given event source mapping type." (LocalStack's AWS-validated provider).
 */
function destinationChange(value: unknown): unknown | undefined {
  if (value === undefined || value === null) return undefined;
  const config = asRecord(value);
  const onSuccess = asRecord(config['OnSuccess'])['Destination'];
  if (typeof onSuccess === 'string' && onSuccess !== '') throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.');
  if (config['OnFailure'] === undefined || config['OnFailure'] === null) return undefined;
  const destination = asRecord(config['OnFailure'])['Destination'];
  if (destination === undefined || destination === null || destination === '') return REMOVE;
  return { onFailure: { destination } };
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}
