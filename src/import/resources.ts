/**
 * What `Ref` and `Fn::GetAtt` return for the resources an event source mapping touches (queues, streams, tables,
 * MSK clusters, functions, topics, buckets, secrets), per the CloudFormation resource reference ("Return values").
 *
 * Physical names: a resource's name property (`QueueName`, `TableName`…) when the template sets one; otherwise
 * CloudFormation generates `<stack>-<LogicalId>-<random suffix>`. The suffix is unknowable, so the name is taken as
 * `<stack>-<LogicalId>` and the result says it was generated, which the writer turns into an environment variable
 * override (`${ORDERS_QUEUE_ARN:-…}`) with a comment.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html
 */
import type { FieldPath } from '../config/field-path.js';
import { pipelineUuid } from '../config/pipeline-uuid.js';
import { evaluate, ok, unresolved, type Evaluated, type Scope } from './intrinsics.js';
import type { StackContext } from './stack.js';
import type { TemplateResource } from './template.js';

interface Naming {
  readonly name: string;
  readonly stack: StackContext;
  readonly resource: TemplateResource;
  /** Another property of the resource, evaluated (empty when it cannot be). */
  readonly property: (key: string) => string;
}

type Value = (naming: Naming) => string;

interface ResourceKind {
  /** The property holding the physical name, or null when the name is always generated. */
  readonly nameProperty: string | null;
  readonly maxNameLength: number;
  readonly ref: Value;
  readonly attributes: Readonly<Record<string, Value>>;
}

const arn = (n: Naming, service: string, rest: string): string =>
  `arn:${n.stack.partition}:${service}:${n.stack.region}:${n.stack.accountId}:${rest}`;
const queueUrl: Value = (n) => `https://sqs.${n.stack.region}.${n.stack.urlSuffix}/${n.stack.accountId}/${n.name}`;
const functionArn: Value = (n) => arn(n, 'lambda', `function:${n.name}`);
/** MSK cluster ARNs end with a UUID AWS assigns; a stable stand-in is derived from the stack and logical id. */
const clusterArn: Value = (n) => arn(n, 'kafka', `cluster/${n.name}/${pipelineUuid(`${n.stack.stackName}/${n.resource.id}`)}-1`);
/** DynamoDB stream ARNs end with a label AWS assigns when the stream is enabled. */
const tableStreamArn: Value = (n) => arn(n, 'dynamodb', `table/${n.name}/stream/imported`);
/** Secrets Manager appends `-` and 6 random characters to a secret's ARN. */
const secretArn: Value = (n) => arn(n, 'secretsmanager', `secret:${n.name}-AbCdEf`);

const KINDS: Readonly<Record<string, ResourceKind>> = {
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    maxNameLength: 80,
    ref: queueUrl,
    attributes: { Arn: (n) => arn(n, 'sqs', n.name), QueueName: (n) => n.name, QueueUrl: queueUrl },
  },
  'AWS::Kinesis::Stream': { nameProperty: 'Name', maxNameLength: 128, ref: (n) => n.name, attributes: { Arn: (n) => arn(n, 'kinesis', `stream/${n.name}`) } },
  // The consumer ARN ends with its creation time, which only AWS knows (0 stands in for it).
  'AWS::Kinesis::StreamConsumer': {
    nameProperty: 'ConsumerName',
    maxNameLength: 128,
    ref: (n) => `${n.property('StreamARN')}/consumer/${n.name}:0`,
    attributes: { ConsumerARN: (n) => `${n.property('StreamARN')}/consumer/${n.name}:0`, StreamARN: (n) => n.property('StreamARN') },
  },
  'AWS::DynamoDB::Table': {
    nameProperty: 'TableName',
    maxNameLength: 255,
    ref: (n) => n.name,
    attributes: { Arn: (n) => arn(n, 'dynamodb', `table/${n.name}`), StreamArn: tableStreamArn },
  },
  'AWS::DynamoDB::GlobalTable': {
    nameProperty: 'TableName',
    maxNameLength: 255,
    ref: (n) => n.name,
    attributes: { Arn: (n) => arn(n, 'dynamodb', `table/${n.name}`), StreamArn: tableStreamArn },
  },
  'AWS::MSK::Cluster': { nameProperty: 'ClusterName', maxNameLength: 64, ref: clusterArn, attributes: { Arn: clusterArn } },
  'AWS::MSK::ServerlessCluster': { nameProperty: 'ClusterName', maxNameLength: 64, ref: clusterArn, attributes: { Arn: clusterArn } },
  'AWS::Lambda::Function': { nameProperty: 'FunctionName', maxNameLength: 64, ref: (n) => n.name, attributes: { Arn: functionArn } },
  'AWS::Serverless::Function': { nameProperty: 'FunctionName', maxNameLength: 64, ref: (n) => n.name, attributes: { Arn: functionArn } },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    maxNameLength: 256,
    ref: (n) => arn(n, 'sns', n.name),
    attributes: { TopicArn: (n) => arn(n, 'sns', n.name), TopicName: (n) => n.name },
  },
  'AWS::S3::Bucket': { nameProperty: 'BucketName', maxNameLength: 63, ref: (n) => n.name.toLowerCase(), attributes: { Arn: (n) => `arn:${n.stack.partition}:s3:::${n.name.toLowerCase()}` } },
  'AWS::SecretsManager::Secret': { nameProperty: 'Name', maxNameLength: 512, ref: secretArn, attributes: { Id: secretArn } },
};

/** True when `type` is a resource whose `Ref` / `Fn::GetAtt` this module knows. */
export function isKnownResourceType(type: string): boolean {
  return type in KINDS;
}

/** The physical name of a resource of a known type: its name property, or the generated `<stack>-<LogicalId>`. */
export function physicalName(resource: TemplateResource, stack: StackContext, scope: Scope): Evaluated {
  const kind = KINDS[resource.type];
  const path: FieldPath = ['Resources', resource.id, 'Properties'];
  if (kind === undefined) return unresolved(`${resource.type} is not a resource tributary import can name`, ['Resources', resource.id]);
  const given = kind.nameProperty === null ? undefined : resource.properties[kind.nameProperty];
  if (given !== undefined) {
    const result = evaluate(given, [...path, kind.nameProperty ?? ''], scope);
    return result.ok && typeof result.value === 'string' ? result : result.ok ? unresolved(`${kind.nameProperty ?? 'name'} is not a string`, path) : result;
  }
  // FIFO queues get the .fifo suffix on their generated name too (AWS::SQS::Queue, QueueName).
  const fifo = resource.type === 'AWS::SQS::Queue' && isTrue(evaluate(resource.properties['FifoQueue'], [...path, 'FifoQueue'], scope));
  const suffix = fifo ? '.fifo' : '';
  return ok(`${stack.stackName}-${resource.id}`.slice(0, kind.maxNameLength - suffix.length) + suffix, [resource.id]);
}

function isTrue(result: Evaluated): boolean {
  return result.ok && (result.value === true || result.value === 'true');
}

/** `Ref` of a resource. */
export function resourceRef(resource: TemplateResource, stack: StackContext, scope: Scope): Evaluated {
  return resourceValue(resource, stack, scope, (kind) => kind.ref, 'Ref');
}

/** `Fn::GetAtt` of a resource. */
export function resourceAttribute(resource: TemplateResource, attribute: string, stack: StackContext, scope: Scope): Evaluated {
  return resourceValue(resource, stack, scope, (kind) => kind.attributes[attribute], `Fn::GetAtt ${resource.id}.${attribute}`);
}

function resourceValue(resource: TemplateResource, stack: StackContext, scope: Scope, pick: (kind: ResourceKind) => Value | undefined, what: string): Evaluated {
  const kind = KINDS[resource.type];
  const value = kind === undefined ? undefined : pick(kind);
  if (value === undefined) return unresolved(`${what}: tributary import does not know this value of ${resource.type || 'a resource without Type'}`, ['Resources', resource.id]);
  const name = physicalName(resource, stack, scope);
  if (!name.ok) return name;
  const generated = [...name.generated];
  const property = (key: string): string => {
    const result = evaluate(resource.properties[key], ['Resources', resource.id, 'Properties', key], scope);
    if (!result.ok) return '';
    generated.push(...result.generated);
    return String(result.value);
  };
  const text = value({ name: String(name.value), stack, resource, property });
  return ok(text, generated);
}
