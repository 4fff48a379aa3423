/**
 * The settings of an event source mapping → pipeline fields, by their AWS names (the pipelines file uses
 * CreateEventSourceMapping's names in lowerCamelCase, DESIGN §4): `BatchSize` → `batchSize`, … Values are taken as
 * written (evaluated); `tributary validate` checks them against AWS's ranges, and a problem is reported at the
 * template line (import-template.ts). AWS-only settings (src/config/aws-only.ts) are accepted with a warning;
 * anything else not known is listed as not imported.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html
 */
import { awsOnlyMessage, awsOnlyParameter } from '../config/aws-only.js';
import { asRecord } from '../config/rules/pipeline-view.js';
import { envName, interpolation, literal } from './env-names.js';
import type { EsmDefinition } from './esm.js';
import { readValue, referencedResource, shortLocation, type ReadProperty } from './esm-values.js';
import { ENDPOINT_ENV, parseArn } from './source-entries.js';
import { list, scalar, type OutEntry, type OutValue } from './out-yaml.js';
import { physicalName } from './resources.js';
import type { ImportSession } from './session.js';

/** Plain settings: AWS name → pipeline field (and whether the value is numeric). */
const FIELDS: Readonly<Record<string, { readonly field: string; readonly number?: true }>> = {
  Enabled: { field: 'enabled' },
  BatchSize: { field: 'batchSize', number: true },
  MaximumBatchingWindowInSeconds: { field: 'maximumBatchingWindowInSeconds', number: true },
  StartingPosition: { field: 'startingPosition' },
  StartingPositionTimestamp: { field: 'startingPositionTimestamp', number: true },
  ParallelizationFactor: { field: 'parallelizationFactor', number: true },
  BisectBatchOnFunctionError: { field: 'bisectBatchOnFunctionError' },
  MaximumRetryAttempts: { field: 'maximumRetryAttempts', number: true },
  MaximumRecordAgeInSeconds: { field: 'maximumRecordAgeInSeconds', number: true },
  FunctionResponseTypes: { field: 'functionResponseTypes' },
  TumblingWindowInSeconds: { field: 'tumblingWindowInSeconds', number: true },
};

/** SAM-only event properties that only shape the IAM policy SAM writes. */
const SAM_POLICY_ONLY: Readonly<Record<string, string>> = {
  SecretsManagerKmsKeyId: 'SAM adds kms:Decrypt for it to the execution role',
  DynamicPolicyName: 'names the IAM policy SAM writes',
  'DestinationConfig.OnFailure.Type': 'SAM adds the send permission for it to the execution role',
};

/** The mapped pipeline fields, and `scalingConfig` for the source. */
export interface MappedProperties {
  readonly entries: readonly OutEntry[];
  readonly sourceEntries: readonly OutEntry[];
}

/** Map every property of `esm` not in `consumed` (the source's). `pipeline` names the stand-in failure file. */
export function mapProperties(esm: EsmDefinition, session: ImportSession, consumed: ReadonlySet<string>, pipeline: string): MappedProperties {
  const entries: OutEntry[] = [];
  const sourceEntries: OutEntry[] = [];
  for (const [name, property] of esm.properties) {
    if (consumed.has(name)) continue;
    const at = esm.scope.template.locate(property.path);
    const plain = FIELDS[name];
    const awsOnly = awsOnlyParameter(name.split('.')[0] ?? name);
    if (plain !== undefined) {
      const read = readValue(esm, name, property, session.notes);
      if (read !== undefined) entries.push({ key: plain.field, value: plainValue(read.value, plain.number === true), comment: `${name} (${shortLocation(at)})`, origin: at });
    } else if (name === 'FilterCriteria') {
      const read = readValue(esm, name, property, session.notes);
      if (read !== undefined) entries.push(filterEntry(esm, session, read));
    } else if (name === 'DestinationConfig.OnFailure.Destination') {
      const read = readValue(esm, name, property, session.notes);
      if (read !== undefined) entries.push(destinationEntry(esm, session, read, pipeline));
    } else if (name === 'ScalingConfig.MaximumConcurrency') {
      const read = readValue(esm, name, property, session.notes);
      if (read !== undefined) {
        const value: OutValue = { kind: 'map', flow: true, entries: [{ key: 'maximumConcurrency', value: plainValue(read.value, true) }] };
        sourceEntries.push({ key: 'scalingConfig', value, comment: `ScalingConfig (${shortLocation(at)})`, origin: at });
      }
    } else if (name === 'MetricsConfig' || name === 'ProvisionedPollerConfig') {
      const read = readValue(esm, name, property, session.notes);
      if (read !== undefined) entries.push(knobEntry(name, read));
    } else if (awsOnly !== undefined) {
      session.notes.add('warning', at, `${esm.id}: ${name}: ${awsOnlyMessage(awsOnly)}`);
    } else if (SAM_POLICY_ONLY[name] !== undefined) {
      session.notes.add('warning', at, `${esm.id}: ${name}: accepted and ignored (${SAM_POLICY_ONLY[name]}; Tributary writes no IAM policies)`);
    } else if (name.startsWith('DestinationConfig.OnSuccess')) {
      session.notes.add('unmapped', at, `${esm.id}: ${name}: on-success destinations do not exist for event source mappings of these sources`);
    } else {
      session.notes.add('unmapped', at, `${esm.id}: ${name}: not a setting tributary import knows`);
    }
  }
  return { entries, sourceEntries };
}

/** Members of MetricsConfig and ProvisionedPollerConfig → the pipeline's (numbers where numeric). */
const KNOB_MEMBERS: Readonly<Record<string, { readonly field: string; readonly number?: true }>> = {
  Metrics: { field: 'metrics' },
  MinimumPollers: { field: 'minimumPollers', number: true },
  MaximumPollers: { field: 'maximumPollers', number: true },
  PollerGroupName: { field: 'pollerGroupName' },
};

/** `MetricsConfig` / `ProvisionedPollerConfig` → `metricsConfig` / `provisionedPollerConfig` (validated afterwards, as the rest). */
function knobEntry(name: 'MetricsConfig' | 'ProvisionedPollerConfig', read: ReadProperty): OutEntry {
  const members = Object.entries(asRecord(read.value)).map(([member, given]): OutEntry => {
    const known = KNOB_MEMBERS[member];
    return { key: known?.field ?? member, value: plainValue(given, known?.number === true) };
  });
  const key = name === 'MetricsConfig' ? 'metricsConfig' : 'provisionedPollerConfig';
  return { key, value: { kind: 'map', flow: true, entries: members }, comment: `${name} (${shortLocation(read.at)})`, origin: read.at };
}

/** A number-looking string as a number (CloudFormation passes Number parameters as strings). */
function plainValue(value: unknown, numeric: boolean): OutValue {
  if (numeric && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return scalar(Number(value));
  if (typeof value === 'string') return scalar(literal(value));
  if (Array.isArray(value)) return list(value.map((item) => scalar(literal(String(item)))));
  return scalar(typeof value === 'number' || typeof value === 'boolean' ? value : String(value));
}

function filterEntry(esm: EsmDefinition, session: ImportSession, read: ReadProperty): OutEntry {
  const filters = asRecord(read.value)['Filters'];
  const items = (Array.isArray(filters) ? filters : []).map((filter): OutValue => {
    const pattern = asRecord(filter)['Pattern'];
    let text: string;
    if (typeof pattern === 'string') text = pattern;
    else {
      // CloudFormation wants the pattern as a JSON string; a YAML mapping is a common slip, kept as its JSON.
      session.notes.add('warning', read.at, `${esm.id}: FilterCriteria: a Pattern is a mapping, not a JSON string; written as its JSON text`);
      text = JSON.stringify(pattern ?? {});
    }
    return { kind: 'map', flow: true, entries: [{ key: 'pattern', value: scalar(literal(text)) }] };
  });
  return {
    key: 'filterCriteria',
    value: { kind: 'map', entries: [{ key: 'filters', value: list(items, false) }] },
    comment: `FilterCriteria (${shortLocation(read.at)})`,
    origin: read.at,
  };
}

/**
 * `DestinationConfig.OnFailure.Destination`: an SQS queue becomes its URL with `${SQS_ENDPOINT:-https://sqs…}` as the
 * host (emulator or AWS); `kafka://topic` stays. SNS topics and S3 buckets are not supported yet, so failed records
 * go to a stand-in JSON-lines file instead of being dropped, with a note.
 */
function destinationEntry(esm: EsmDefinition, session: ImportSession, read: ReadProperty, pipeline: string): OutEntry {
  const value = String(read.value);
  const entry = (destination: string, comment: string): OutEntry => ({
    key: 'destinationConfig',
    value: { kind: 'map', entries: [{ key: 'onFailure', value: { kind: 'map', flow: true, entries: [{ key: 'destination', value: scalar(destination) }] } }] },
    comment: `DestinationConfig.OnFailure (${shortLocation(read.at)})${comment}`,
    origin: read.at,
  });
  if (value.startsWith('kafka://')) return entry(literal(value), '');
  const arn = parseArn(value);
  if (arn?.service === 'sqs') {
    const stack = esm.scope.stack;
    const resource = referencedResource(esm, read.written);
    const name = resource === undefined ? null : physicalName(resource, stack, esm.scope);
    const host = `https://sqs.${arn.region}.${arn.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
    if (name !== null && name.ok && name.generated.length > 0 && resource !== undefined) {
      const env = envName(resource.id, 'QUEUE', 'URL');
      session.notes.add('action', read.at, `${esm.id}: CloudFormation generates the name of ${resource.id}: set ${env} to the deployed queue's URL (or an emulator's)`);
      return entry(interpolation(env, `${host}/${arn.account}/${arn.resource}`), `; generated name: set ${env}`);
    }
    return entry(`${interpolation(ENDPOINT_ENV.sqs, host)}/${arn.account}/${literal(arn.resource)}`, '');
  }
  const what = arn?.service === 'sns' ? 'SNS topics' : arn?.service === 's3' ? 'S3 buckets' : `"${value}"`;
  const file = `file://./failed/${pipeline}.jsonl`;
  session.notes.add('unmapped', read.at, `${esm.id}: DestinationConfig.OnFailure: ${what} are not supported as on-failure destinations (SQS, Kafka topics and file:// are); failed records go to ${file} instead`);
  return entry(file, `; stand-in for ${value}`);
}
