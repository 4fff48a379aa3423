/**
 * SAM's `AWS::Serverless::Function`: its properties after the template's `Globals.Function` section is applied,
 * and its `Events` of the pull types, as event source mappings (what SAM's translator generates from them).
 *
 * Globals: a mapping merges with the function's (the function wins key by key), a list is the globals' items
 * followed by the function's, any other value is the function's own when it sets one.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
 * Events: the pull event types become `AWS::Lambda::EventSourceMapping` resources named
 * `<FunctionId><EventId>`, with `Queue` / `Stream` / `Broker` / `Cluster` as `EventSourceArn`,
 * `KafkaBootstrapServers` as `SelfManagedEventSource.Endpoints`, `ConsumerGroupId` (and `SchemaRegistryConfig`) in
 * the MSK / self-managed Kafka config object, and every other property passed through under its own name
 * (samtranslator/model/eventsources/pull.py).
 */
import type { FieldPath } from '../config/field-path.js';
import { asRecord } from '../config/rules/pipeline-view.js';
import { flattenProperties, type EsmDefinition, type EsmProperty } from './esm.js';
import { isIntrinsic } from './intrinsics.js';
import type { ImportNotes } from './notes.js';
import type { TemplateScope } from './scope.js';
import type { TemplateResource } from './template.js';

/** The SAM event types SAM turns into event source mappings. */
export const SAM_PULL_EVENT_TYPES = ['SQS', 'Kinesis', 'DynamoDB', 'MSK', 'SelfManagedKafka', 'MQ', 'DocumentDB'] as const;

/** SAM event property → flattened CloudFormation ESM property, where the name changes. */
function renamed(samType: string, key: string): string {
  switch (key) {
    case 'Queue':
    case 'Stream':
    case 'Broker':
    case 'Cluster':
      return 'EventSourceArn';
    case 'KafkaBootstrapServers':
      return 'SelfManagedEventSource.Endpoints.KafkaBootstrapServers';
    case 'ConsumerGroupId':
    case 'SchemaRegistryConfig':
    case 'ConsumptionMode':
      return `${samType === 'MSK' ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig'}.${key}`;
    case 'DatabaseName':
    case 'CollectionName':
    case 'FullDocument':
      return `DocumentDBEventSourceConfig.${key}`;
    default:
      return key;
  }
}

/**
 * The properties of a SAM function with `Globals.Function` applied: each with the path it was written at (the
 * function's own, or the Globals one it inherits).
 */
export function samFunctionProperties(scope: TemplateScope, resource: TemplateResource): Map<string, EsmProperty> {
  const globals = asRecord(asRecord(scope.template.root['Globals'])['Function']);
  const own = resource.properties;
  const merged = new Map<string, EsmProperty>();
  for (const key of new Set([...Object.keys(globals), ...Object.keys(own)])) {
    const globalPath: FieldPath = ['Globals', 'Function', key];
    const ownPath: FieldPath = ['Resources', resource.id, 'Properties', key];
    if (!(key in own)) merged.set(key, { value: globals[key], path: globalPath });
    else if (!(key in globals)) merged.set(key, { value: own[key], path: ownPath });
    else merged.set(key, { value: mergeGlobal(globals[key], own[key]), path: ownPath });
  }
  return merged;
}

function mergeGlobal(global: unknown, own: unknown): unknown {
  if (Array.isArray(global) && Array.isArray(own)) return [...(global as unknown[]), ...(own as unknown[])];
  const isMap = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && !isIntrinsic(value);
  if (isMap(global) && isMap(own)) {
    const out: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(own)) out[key] = key in global ? mergeGlobal(global[key], value) : value;
    return out;
  }
  return own;
}

/** The event source mappings of every SAM function; other event types are noted as not imported. */
export function samMappings(scope: TemplateScope, notes: ImportNotes): EsmDefinition[] {
  const mappings: EsmDefinition[] = [];
  for (const resource of scope.template.resources.values()) {
    if (resource.type !== 'AWS::Serverless::Function') continue;
    for (const [eventId, event] of Object.entries(asRecord(resource.properties['Events']))) {
      const path: FieldPath = ['Resources', resource.id, 'Properties', 'Events', eventId];
      const type = String(asRecord(event)['Type'] ?? '');
      if (!(SAM_PULL_EVENT_TYPES as readonly string[]).includes(type)) {
        notes.add('unmapped', scope.template.locate([...path, 'Type']), `${resource.id} event ${eventId}: ${type || 'an untyped'} events are not event source mappings; Tributary runs event source mappings only`);
        continue;
      }
      const properties = new Map<string, EsmProperty>();
      const flat = new Map<string, EsmProperty>();
      flattenProperties(asRecord(asRecord(event)['Properties']), [...path, 'Properties'], flat);
      for (const [key, property] of flat) properties.set(renamed(type, key), property);
      mappings.push({
        scope,
        id: `${resource.id}${eventId}`,
        path,
        description: `${type} event ${eventId} of AWS::Serverless::Function ${resource.id}`,
        samType: type,
        function: { kind: 'resource', id: resource.id },
        properties,
      });
    }
  }
  return mappings;
}
