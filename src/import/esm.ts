/**
 * An event source mapping found in a template, whatever wrote it: an `AWS::Lambda::EventSourceMapping` resource
 * (CloudFormation, CDK) or an event of an `AWS::Serverless::Function` (SAM, see sam-events.ts). Its properties are
 * flattened to dotted CloudFormation names (`DestinationConfig.OnFailure.Destination`,
 * `SelfManagedKafkaEventSourceConfig.ConsumerGroupId`) with the template path of each, so one mapper serves both
 * and every note points at the line the property is written on.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html
 */
import type { FieldPath } from '../config/field-path.js';
import { isIntrinsic } from './intrinsics.js';
import type { TemplateScope } from './scope.js';

/** A property as written in the template (not evaluated yet) and where. */
export interface EsmProperty {
  readonly value: unknown;
  readonly path: FieldPath;
}

/** The function a mapping invokes. */
export type EsmFunction =
  /** A function resource of the template (a SAM event's own function). */
  | { readonly kind: 'resource'; readonly id: string }
  /** `FunctionName` as written: a Ref / GetAtt of a template resource, a name or an ARN. */
  | { readonly kind: 'expression'; readonly value: unknown; readonly path: FieldPath };

/** One event source mapping. */
export interface EsmDefinition {
  readonly scope: TemplateScope;
  /** Basis of the pipeline name: the ESM's logical id (SAM: function id + event id, the id SAM generates). */
  readonly id: string;
  /** Path of the resource or SAM event, for notes about the whole mapping. */
  readonly path: FieldPath;
  /** `AWS::Lambda::EventSourceMapping OrdersMapping` or `SQS event Orders of AWS::Serverless::Function Handler`. */
  readonly description: string;
  /** SAM's event type (SQS, Kinesis, DynamoDB, MSK, SelfManagedKafka…), or null for a resource. */
  readonly samType: string | null;
  readonly function: EsmFunction;
  /** Flattened properties (dotted CloudFormation names), in template order. */
  readonly properties: ReadonlyMap<string, EsmProperty>;
}

/** Nested property objects whose members are mapped one by one (anything else is mapped as a whole). */
const CONTAINERS = new Set([
  'DestinationConfig',
  'DestinationConfig.OnFailure',
  'DestinationConfig.OnSuccess',
  'ScalingConfig',
  'SelfManagedEventSource',
  'SelfManagedEventSource.Endpoints',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
]);

/** Flatten `properties` (found at `path`) into `out`, with `prefix` for nested containers. */
export function flattenProperties(properties: Readonly<Record<string, unknown>>, path: FieldPath, out: Map<string, EsmProperty>, prefix = ''): void {
  for (const [key, value] of Object.entries(properties)) {
    const name = `${prefix}${key}`;
    const at = [...path, key];
    if (CONTAINERS.has(name) && typeof value === 'object' && value !== null && !Array.isArray(value) && !isIntrinsic(value)) {
      flattenProperties(value as Record<string, unknown>, at, out, `${name}.`);
    } else {
      out.set(name, { value, path: at });
    }
  }
}

/** The `AWS::Lambda::EventSourceMapping` resources of a template. */
export function cloudFormationMappings(scope: TemplateScope): EsmDefinition[] {
  const mappings: EsmDefinition[] = [];
  for (const resource of scope.template.resources.values()) {
    if (resource.type !== 'AWS::Lambda::EventSourceMapping') continue;
    const path: FieldPath = ['Resources', resource.id];
    const properties = new Map<string, EsmProperty>();
    flattenProperties(resource.properties, [...path, 'Properties'], properties);
    const functionName = properties.get('FunctionName');
    properties.delete('FunctionName');
    mappings.push({
      scope,
      id: resource.id,
      path,
      description: `AWS::Lambda::EventSourceMapping ${resource.id}`,
      samType: null,
      function: { kind: 'expression', value: functionName?.value, path: functionName?.path ?? [...path, 'Properties'] },
      properties,
    });
  }
  return mappings;
}
