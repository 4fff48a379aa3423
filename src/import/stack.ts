/**
 * The stack a template is imported as: what CloudFormation's pseudo parameters (`AWS::Region`, `AWS::AccountId`,
 * `AWS::Partition`, `AWS::StackName`…) evaluate to. They come from the command line (`--region`, `--account-id`,
 * `--stack-name`); the partition and URL suffix follow from the region.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
 */
import { pipelineUuid } from '../config/pipeline-uuid.js';
import { NO_VALUE } from './intrinsics.js';

/** The values of the pseudo parameters. */
export interface StackContext {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  readonly urlSuffix: string;
}

/** ElasticMQ's and LocalStack's account id, the default: a file imported without `--account-id` runs against emulators. */
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** The stack context for a region, account and stack name. */
export function stackContext(region: string, accountId: string, stackName: string): StackContext {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return { region, accountId, partition, stackName, urlSuffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com' };
}

/** The value of the pseudo parameter `name`, or undefined when `name` is not one. */
export function pseudoParameter(name: string, stack: StackContext): unknown {
  switch (name) {
    case 'AWS::Region':
      return stack.region;
    case 'AWS::AccountId':
      return stack.accountId;
    case 'AWS::Partition':
      return stack.partition;
    case 'AWS::StackName':
      return stack.stackName;
    case 'AWS::URLSuffix':
      return stack.urlSuffix;
    case 'AWS::StackId':
      // The real id ends with a UUID CloudFormation assigns; a stable stand-in keeps outputs reproducible.
      return `arn:${stack.partition}:cloudformation:${stack.region}:${stack.accountId}:stack/${stack.stackName}/${pipelineUuid(stack.stackName)}`;
    case 'AWS::NotificationARNs':
      return [];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

/** A stack name CloudFormation accepts (`[A-Za-z][-A-Za-z0-9]*`, ≤ 128) made from a file name such as `MyStack.template.json`. */
export function stackNameFromFile(fileName: string): string {
  const base = fileName.replace(/\.template\.json$/i, '').replace(/\.(ya?ml|json|template)$/i, '');
  const cleaned = base.replace(/[^A-Za-z0-9-]/g, '-').replace(/^[^A-Za-z]+/, '').slice(0, 128);
  return cleaned === '' ? 'stack' : cleaned;
}
