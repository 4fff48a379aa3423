/**
 * The configuration's validation issues (the ones `tributary validate` prints) as Lambda's API errors. Pure.
 *
 * Where AWS has a message for the same mistake, the message is AWS's, as LocalStack's provider records it against
 * real AWS (tests/aws/services/lambda_/event_source_mapping/test_api.snapshot.json and the provider's
 * validate_event_source_mapping): which mistake an issue is, is decided from the issue's field and the request,
 * never from the wording of our own message. Every other issue keeps the configuration's message, prefixed with
 * AWS's parameter name (`BatchSize: must be between 1 and 10000 (got 20000)`).
 */
import type { ConfigIssue } from '../errors.js';
import { findSourceDescriptor } from '../connector/source-descriptors.js';
import { asRecord } from './json-object.js';
import type { PipelineInput } from './ports.js';

/** One issue in API terms: which AWS error it is and its message. */
export interface ApiIssue {
  readonly type: 'InvalidParameterValueException' | 'ValidationException';
  readonly message: string;
}

const PIPELINE_PREFIX = /^pipelines\[0\]\.?/;

/** AWS parameter names of the pipeline fields whose name is not just the PascalCase of ours. */
const AWS_NAMES: readonly (readonly [RegExp, string])[] = [
  [/^source\.(queueArn|queueUrl|streamArn|streamName|tableName|clusterArn)$/, 'EventSourceArn'],
  [/^source\.bootstrapServers/, 'SelfManagedEventSource.Endpoints.KAFKA_BOOTSTRAP_SERVERS'],
  [/^source\.topics/, 'Topics'],
  [/^source\.consumerGroupId$/, 'ConsumerGroupId'],
  [/^source\.scalingConfig\.maximumConcurrency$/, 'ScalingConfig.MaximumConcurrency'],
  [/^source\.scalingConfig$/, 'ScalingConfig'],
  [/^source\.(endpoint|region)$/, 'the configured source endpoint'],
  [/^function\.timeout$/, "the function's Timeout"],
];

/** `filterCriteria.filters[1].pattern` → `FilterCriteria.Filters[1].Pattern`. */
export function awsParameterName(path: string): string {
  const relative = path.replace(PIPELINE_PREFIX, '');
  for (const [pattern, name] of AWS_NAMES) if (pattern.test(relative)) return name;
  return relative.replace(/(^|\.)([a-z])/g, (_, dot: string, letter: string) => `${dot}${letter.toUpperCase()}`);
}

/** The API form of each issue (duplicates merged), in the order given. */
export function apiIssues(issues: readonly ConfigIssue[], pipeline: PipelineInput): ApiIssue[] {
  const mapped = issues.map((issue) => apiIssue(issue, pipeline));
  return mapped.filter((issue, index) => mapped.findIndex((other) => other.message === issue.message) === index);
}

function apiIssue(issue: ConfigIssue, pipeline: PipelineInput): ApiIssue {
  const field = issue.path.replace(PIPELINE_PREFIX, '');
  const known = awsMessage(field, pipeline);
  if (known !== null) return known;
  if (field === 'source.bootstrapServers' && typeof asRecord(pipeline['source'])['clusterArn'] === 'string') {
    const cluster = String(asRecord(pipeline['source'])['clusterArn']);
    return invalid(`The bootstrap servers of MSK cluster ${cluster} are not configured in Tributary: add them to the API's source defaults (mskBootstrapServers)`);
  }
  return invalid(`${awsParameterName(issue.path)}: ${issue.message}`);
}

/** AWS's own error for the mistake at `field`, when AWS has one. */
function awsMessage(field: string, pipeline: PipelineInput): ApiIssue | null {
  const peculiar = findSourceDescriptor(asRecord(pipeline['source'])['type'])?.esm.awsIssueMessage?.(field, pipeline) ?? null;
  if (peculiar !== null) return invalid(peculiar);
  const position = pipeline['startingPosition'];
  if (field === 'startingPositionTimestamp' && position !== 'AT_TIMESTAMP' && pipeline['startingPositionTimestamp'] !== undefined) {
    return invalid('Timestamp only valid with StartingPosition AT_TIMESTAMP');
  }
  if (field === 'startingPosition' && position === undefined) {
    return invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
  }
  if (field === 'startingPosition' && typeof position === 'string' && !['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'].includes(position)) {
    return {
      type: 'ValidationException',
      message: `Value '${position}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]`,
    };
  }
  if (/^filterCriteria\.filters\[\d+\]\.pattern$/.test(field)) return invalid('Invalid filter pattern definition.');
  return null;
}

function invalid(message: string): ApiIssue {
  return { type: 'InvalidParameterValueException', message };
}
