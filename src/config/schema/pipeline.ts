/**
 * One pipeline: a name, a source, a function, and the flat Lambda ESM parameters in
 * lowerCamelCase (DESIGN §4; API_CreateEventSourceMapping). The schema checks each field on
 * its own against the widest AWS range; rules/ applies what depends on the source type.
 * Defaults that depend on the source are applied by resolve.ts, so they are absent here.
 */
import * as z from 'zod';
import {
  BATCH_SIZE,
  BATCHING_WINDOW_SECONDS,
  MAX_FILTER_PATTERN_LENGTH,
  MAX_FILTERS,
  AWS_DEFAULT_FILTER_QUOTA,
  MAXIMUM_RECORD_AGE_SECONDS,
  MAXIMUM_RETRY_ATTEMPTS,
  PARALLELIZATION_FACTOR,
  PIPELINE_NAME_PATTERN,
  TUMBLING_WINDOW_SECONDS,
} from '../defaults.js';
import { AWS_ONLY_PARAMETERS } from '../aws-only.js';
import { parseDestination } from '../destination-string.js';
import { UUID_PATTERN } from '../pipeline-uuid.js';
import {
  expected,
  int,
  intOrInfinite,
  matching,
  numberAtLeast,
  oneOf,
  optional,
  optionalBoolean,
  optionalNumber,
  required,
  text,
  url,
} from './fields.js';
import { metricsConfigField, provisionedPollerConfigField } from './esm-knobs.js';
import { sourceSchema } from './source.js';
import { issueMessage } from './zod-issues.js';

const object = expected('a mapping');

/** A filter pattern must be the JSON text of an object [DG-FILT]; the filter compiler checks the rest (rules/filter-patterns.ts). */
const filterPattern = text()
  .max(MAX_FILTER_PATTERN_LENGTH, { error: `must be at most ${MAX_FILTER_PATTERN_LENGTH} characters (API_Filter)` })
  .superRefine((value, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be a JSON object string (${error instanceof Error ? error.message : 'invalid JSON'})` });
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: `must be a JSON object string such as '{"body": {"type": ["order"]}}'` });
    }
  });

/** One `filters[].pattern` on its own, for the rules. */
export const filterPatternField = required(filterPattern);

const destination = text().superRefine((value, ctx) => {
  const parsed = parseDestination(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

/** The fields of a pipeline except `function` (whose variants differ for files and library objects). */
export const pipelineFields = {
  name: required(matching(PIPELINE_NAME_PATTERN, '1–64 characters of [A-Za-z0-9_-]'), { description: 'Unique pipeline name' }),
  enabled: optionalBoolean({ description: 'false: validated but not started', default: true }),
  source: required(sourceSchema),
  batchSize: optionalNumber(int(BATCH_SIZE), { description: 'BatchSize: 1–10000 (SQS FIFO 1–10); default SQS 10, others 100' }),
  maximumBatchingWindowInSeconds: optionalNumber(int(BATCHING_WINDOW_SECONDS), {
    description: 'MaximumBatchingWindowInSeconds 0–300; default 0, Kafka 0.5 s; not for SQS FIFO',
  }),
  startingPosition: optional(oneOf(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']), {
    description: 'Required for Kinesis, DynamoDB Streams and Kafka; not for SQS',
  }),
  startingPositionTimestamp: optionalNumber(numberAtLeast(0), { description: 'Unix seconds; only with AT_TIMESTAMP' }),
  parallelizationFactor: optionalNumber(int(PARALLELIZATION_FACTOR), { description: 'ParallelizationFactor 1–10 (streams only)' }),
  bisectBatchOnFunctionError: optionalBoolean({ description: 'Streams and Kafka', default: false }),
  maximumRetryAttempts: optionalNumber(intOrInfinite(MAXIMUM_RETRY_ATTEMPTS), {
    description: '-1 (infinite) or 0–10000; streams and Kafka',
    default: -1,
  }),
  maximumRecordAgeInSeconds: optionalNumber(intOrInfinite(MAXIMUM_RECORD_AGE_SECONDS), {
    description: '-1 (infinite) or 60–604800; streams and Kafka',
    default: -1,
  }),
  functionResponseTypes: optional(
    z
      .array(oneOf(['ReportBatchItemFailures']), { error: expected('a list') })
      .max(1, { error: 'must list ReportBatchItemFailures at most once' }),
    { description: '[ReportBatchItemFailures] enables partial batch responses' },
  ),
  filterCriteria: optional(
    z.strictObject(
      {
        filters: required(
          z
            .array(z.strictObject({ pattern: filterPatternField }, { error: object }), { error: expected('a list') })
            .max(MAX_FILTERS, {
              error: (issue) =>
                `must have at most ${MAX_FILTERS} filters (got ${Array.isArray(issue.input) ? issue.input.length : '?'}; ` +
                `AWS allows ${AWS_DEFAULT_FILTER_QUOTA} by default, ${MAX_FILTERS} with a raised quota)`,
            }),
        ),
      },
      { error: object },
    ),
    { description: 'FilterCriteria: up to 10 filters, ORed' },
  ),
  destinationConfig: optional(
    z.strictObject(
      {
        onFailure: required(
          z.strictObject(
            {
              destination: required(destination),
              // Not an AWS field: where S3 / SNS requests go instead of AWS (an emulator, a VPC endpoint), like source.endpoint.
              endpoint: optional(url(['http:', 'https:'], 'an http(s) URL'), {
                description: 'S3 / SNS destinations only: endpoint override, e.g. an emulator (default: AWS, or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SNS)',
              }),
            },
            { error: object },
          ),
        ),
      },
      { error: object },
    ),
    { description: 'onFailure.destination: SQS queue ARN/URL, SNS topic ARN, S3 bucket ARN, kafka://topic or file://path' },
  ),
  tumblingWindowInSeconds: optionalNumber(int(TUMBLING_WINDOW_SECONDS), { description: 'TumblingWindowInSeconds 0–900 (streams only)' }),
  onFailureDeliveryExhausted: optional(oneOf(['hold', 'drop']), {
    description:
      'When the on-failure destination keeps refusing: hold the shard / partition until it accepts (default, nothing is lost) or drop the records after 5 attempts, counted in tributary_dropped_events_total (AWS counts DestinationDeliveryFailures and moves on)',
  }),
  metricsConfig: metricsConfigField,
  provisionedPollerConfig: provisionedPollerConfigField,
  uuid: optional(matching(UUID_PATTERN, 'a UUID such as 6b6c4a1e-1f1a-4c4e-9a39-0b7c1d5e6f10'), {
    description: 'Event source mapping UUID (as Lambda\'s); default: UUIDv5 of the pipeline name, stable across restarts',
  }),
};

/**
 * AWS-only parameters (../aws-only.ts): any value is accepted and validation warns that it is ignored. Typed as
 * no fields at all, so nothing downstream can come to depend on them.
 */
function awsOnlyFields(): Record<never, never> {
  const fields: Record<string, z.ZodType> = {};
  for (const parameter of AWS_ONLY_PARAMETERS) {
    fields[parameter.field] = optional(z.unknown(), { description: `AWS ${parameter.awsName}: accepted and ignored (${parameter.reason})` });
  }
  return fields;
}

/** A function of the top-level `functions:` map, by name (Lambda's function name pattern). */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const functionReference = matching(FUNCTION_NAME, 'the name of an entry of functions: (1–64 characters of [A-Za-z0-9_-])').meta({
  description: 'Name of an entry of the top-level functions: map',
});

/**
 * `function:` is a name of the `functions:` map or an inline definition. A plain union would report a broken inline
 * definition as "does not match any allowed form"; instead the value is first checked against the one form its
 * type selects, and that form's own issues (with their paths: `function.handler`) are reported. The union then only
 * sees valid values and gives the JSON Schema its `anyOf`.
 */
function functionOrReference<F extends z.ZodType>(functionSchema: F) {
  return z.preprocess(
    (value, ctx) => {
      const form: z.ZodType = typeof value === 'string' ? functionReference : functionSchema;
      const result = form.safeParse(value, { error: issueMessage });
      if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as never);
      return value;
    },
    z.union([functionReference, functionSchema]),
  );
}

/** A pipeline with the given `function:` schema (an inline definition, or the name of a `functions:` entry). */
export function pipelineSchema<F extends z.ZodType>(functionSchema: F) {
  return z.strictObject(
    {
      ...pipelineFields,
      ...awsOnlyFields(),
      function: required(functionOrReference(functionSchema), {
        description: 'The function: the name of an entry of functions:, or an inline definition',
      }),
    },
    { error: object },
  );
}
