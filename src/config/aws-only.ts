/**
 * Event source mapping parameters that only mean something inside AWS. An AWS definition (a pipelines file written
 * from CreateEventSourceMapping, `tributary import`, the ESM API) may carry them; Tributary accepts them so the
 * definition loads, ignores them, and says so with a warning instead of refusing the file.
 * Parameter list: https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 *
 * One table, shared by the YAML schema (lowerCamelCase `field`), `tributary import` and the ESM API (AWS names), so
 * the three agree. A parameter that Tributary starts to implement moves out of this table into a real field.
 */

/** One AWS-only parameter. */
export interface AwsOnlyParameter {
  /** The API's name (`KMSKeyArn`); CloudFormation and SAM may spell it differently (see `aliases`). */
  readonly awsName: string;
  /** Other spellings: CloudFormation's `KmsKeyArn`. */
  readonly aliases: readonly string[];
  /** The pipeline field of the YAML format, `kmsKeyArn`. */
  readonly field: string;
  /** Why it does not apply to Tributary (ends the warning). */
  readonly reason: string;
}

/** The AWS-only parameters of an event source mapping. */
export const AWS_ONLY_PARAMETERS: readonly AwsOnlyParameter[] = [
  {
    awsName: 'KMSKeyArn',
    aliases: ['KmsKeyArn'],
    field: 'kmsKeyArn',
    reason: 'AWS encrypts the filter criteria at rest with this key; Tributary reads them from this file',
  },
  { awsName: 'Tags', aliases: [], field: 'tags', reason: 'AWS resource tags; a pipeline has no AWS resource to tag' },
  {
    awsName: 'LoggingConfig',
    aliases: [],
    field: 'loggingConfig',
    reason: 'sends ESM system logs to CloudWatch; Tributary logs JSON lines at logLevel',
  },
  {
    awsName: 'DocumentDBEventSourceConfig',
    aliases: [],
    field: 'documentDbEventSourceConfig',
    reason: 'for Amazon DocumentDB sources, which Tributary does not read',
  },
  { awsName: 'Queues', aliases: [], field: 'queues', reason: 'for Amazon MQ sources, which Tributary does not read' },
  {
    awsName: 'SourceAccessConfigurations',
    aliases: [],
    field: 'sourceAccessConfigurations',
    reason: 'VPC settings are the host\'s network here, and Kafka credentials go in source.sasl / source.ssl (from ${ENV}), not Secrets Manager',
  },
];

/**
 * ProvisionedPollerConfig.PollerGroupName (Kafka): AWS shares the Event Poller Unit capacity (and bill) of the mappings
 * of one group; Tributary's pollers are this process's lanes, so the name is accepted, stored and returned, no effect.
 */
export const POLLER_GROUP_NAME: AwsOnlyParameter = {
  awsName: 'ProvisionedPollerConfig.PollerGroupName',
  aliases: [],
  field: 'provisionedPollerConfig.pollerGroupName',
  reason: "AWS shares provisioned pollers' capacity between the mappings of a poller group; Tributary's pollers are this process's own",
};

const BY_NAME = new Map<string, AwsOnlyParameter>();
for (const parameter of AWS_ONLY_PARAMETERS) {
  for (const name of [parameter.awsName, ...parameter.aliases]) BY_NAME.set(name.toLowerCase(), parameter);
}

/** The AWS-only parameter called `name` (any spelling, any case), or undefined. */
export function awsOnlyParameter(name: string): AwsOnlyParameter | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The AWS-only parameter whose pipeline field is `field` (`kmsKeyArn`), or undefined. */
export function awsOnlyField(field: string): AwsOnlyParameter | undefined {
  return AWS_ONLY_PARAMETERS.find((parameter) => parameter.field === field);
}

/** The warning text for an AWS-only parameter: `accepted and ignored: <reason> (AWS <name>)`. */
export function awsOnlyMessage(parameter: AwsOnlyParameter): string {
  return `accepted and ignored: ${parameter.reason} (AWS ${parameter.awsName})`;
}
